"""The one read model of the screening decisions: every way of asking gives one answer."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest

from metasummary import Phase, Project, RecordState, Verdict
from metasummary.errors import InputError
from metasummary.models import PHASES
from metasummary.screening.standing import Standing, group_keys
from tests.reviewdata import link_duplicate, vote
from tests.screening_helpers import add_records, screening_protocol

VERDICTS = [Verdict.INCLUDE, Verdict.EXCLUDE, Verdict.MAYBE]


def _random_review(make_project: Callable[..., Project], seed: int) -> Project:
    """Dual screening with duplicates (one of them a chain) and every kind of decision,
    written straight into the log, so states the service would refuse to reach appear too."""
    project = make_project(screening_protocol(mode="dual"), name=f"review{seed}")
    ids = add_records(project, 24)
    link_duplicate(project, ids[1], ids[0])
    link_duplicate(project, ids[2], ids[0])
    link_duplicate(project, ids[4], ids[3])
    link_duplicate(project, ids[5], ids[4])  # a chain: 5 -> 4 -> 3
    rng = random.Random(seed)
    for _ in range(70):
        record = rng.choice(ids)
        phase = Phase.TITLE_ABSTRACT if rng.random() < 0.6 else Phase.FULL_TEXT
        kind = rng.choices(["vote", "retraction", "resolution"], [8, 1, 1])[0]
        verdict = None if kind == "retraction" else rng.choice(VERDICTS)
        reviewer = rng.choice(["R1", "R2", "R3"])
        vote(project, record, verdict, reviewer=reviewer, phase=phase, kind=kind)
    return project


@pytest.mark.parametrize("seed", range(4))
def test_every_question_agrees_with_the_whole_fold(
    make_project: Callable[..., Project], seed: int
) -> None:
    project = _random_review(make_project, seed)
    standing = Standing(project.required_votes())
    with project.store.read() as conn:
        whole = standing.everything(conn)
        decided = standing.decided(conn)
        keys = group_keys(conn)
        snapshots = {phase: standing.phase(conn, phase) for phase in PHASES}
        roots = whole.groups.roots()
        for phase in PHASES:
            expected = whole.states[phase]
            assert {root: decided.of(root, phase) for root in roots} == expected
            assert {root: snapshots[phase].state(root) for root in roots} == expected
            for state in RecordState:
                wanted = {root for root, s in expected.items() if s is state}
                assert standing.groups_in(conn, phase, state) == wanted, (phase, state)
        assert standing.included(conn) == standing.groups_in(
            conn, Phase.FULL_TEXT, RecordState.INCLUDED
        )
        for record_id in sorted(whole.groups.root_of):
            root = whole.groups.canonical(record_id)
            one = standing.of_record(conn, record_id)
            assert one.root == root
            assert sorted(one.members) == sorted(whole.groups.members[root])
            assert one.states == {phase: whole.states[phase][root] for phase in PHASES}
            some = standing.of_keys(conn, keys, keys.keys_of({root}))
            assert {phase: some.of(root, phase) for phase in PHASES} == one.states
            for phase in PHASES:
                context = standing.group(conn, record_id, phase)
                assert context.state(project.required_votes()[phase]) is one.states[phase]


def test_status_counts_what_the_read_model_says(make_project: Callable[..., Project]) -> None:
    project = _random_review(make_project, 7)
    with project.store.read() as conn:
        whole = Standing(project.required_votes()).everything(conn)
    status = project.status()
    for phase in PHASES:
        counted = Counter(whole.states[phase].values())
        shown = status.total.phases[phase.value]
        assert shown.included == counted[RecordState.INCLUDED]
        assert shown.excluded == counted[RecordState.EXCLUDED]
        assert shown.conflict == counted[RecordState.CONFLICT]
        assert shown.undecided == counted[RecordState.UNDECIDED]
        assert shown.eligible == len(whole.states[phase]) - counted[RecordState.NOT_ELIGIBLE]


def test_a_missing_record_is_named(make_project: Callable[..., Project]) -> None:
    project = make_project(screening_protocol())
    with project.store.read() as conn, pytest.raises(InputError, match="record 99: no such"):
        Standing(project.required_votes()).of_record(conn, 99)
