"""Deriving record states from append-only decisions."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from metasummary.models import Phase, RecordState
from metasummary.screening.state import GroupVotes, fold_decisions, phase_states
from metasummary.store.counts import DecisionRow, RecordLink
from metasummary.store.groups import DuplicateGroups, canonical_of
from metasummary.store.schema import records

_ids = iter(range(1, 10_000))


def row(
    record: int,
    reviewer: int,
    verdict: str | None,
    kind: str = "vote",
    phase: str = "title-abstract",
) -> DecisionRow:
    return DecisionRow(next(_ids), record, phase, reviewer, kind, verdict, [])


def test_latest_vote_counts_and_retraction_restores_the_previous() -> None:
    votes = GroupVotes()
    votes.add(row(1, 1, "exclude"))
    votes.add(row(1, 1, "include"))
    assert votes.state(1) is RecordState.INCLUDED
    votes.add(row(1, 1, None, kind="retraction"))
    assert votes.state(1) is RecordState.EXCLUDED
    votes.add(row(1, 1, None, kind="retraction"))
    assert votes.state(1) is RecordState.UNDECIDED


def test_dual_mode_states() -> None:
    votes = GroupVotes()
    votes.add(row(1, 1, "maybe"))
    assert votes.state(2) is RecordState.AWAITING
    votes.add(row(1, 2, "maybe"))
    assert votes.state(2) is RecordState.MAYBE
    votes.add(row(1, 2, "include"))
    assert votes.state(2) is RecordState.CONFLICT
    votes.add(row(1, 3, "include", kind="resolution"))
    assert votes.state(2) is RecordState.INCLUDED


def test_duplicates_share_decisions_and_full_text_needs_inclusion() -> None:
    groups = DuplicateGroups([RecordLink(1, 1, None), RecordLink(2, 2, 1), RecordLink(3, 1, None)])
    folded = fold_decisions([row(2, 1, "include"), row(3, 1, "maybe")], groups)
    states = phase_states(folded, groups, {Phase.TITLE_ABSTRACT: 1, Phase.FULL_TEXT: 1})
    assert states[Phase.TITLE_ABSTRACT] == {1: RecordState.INCLUDED, 3: RecordState.MAYBE}
    assert states[Phase.FULL_TEXT] == {1: RecordState.UNDECIDED, 3: RecordState.NOT_ELIGIBLE}


def test_cycles_do_not_hang() -> None:
    groups = DuplicateGroups([RecordLink(1, 1, 2), RecordLink(2, 1, 1)])
    assert groups.canonical(1) == groups.canonical(2) == 1
    assert sorted(groups.members[1]) == [1, 2]


def test_the_canonical_record_of_a_few_records_is_the_groups_own() -> None:
    engine = sa.create_engine("sqlite://")
    records.create(engine)
    links = [
        RecordLink(1, 1, None),
        RecordLink(2, 2, 1),
        RecordLink(3, 1, 2),
        RecordLink(4, 1, None),
    ]
    links += [RecordLink(5, 1, 6), RecordLink(6, 1, 5)]  # a cycle, as a damaged database has
    with engine.begin() as conn:
        conn.execute(
            records.insert(),
            [
                {"id": link.id, "source_id": link.source_id, "duplicate_of": link.duplicate_of,
                 "created_at": datetime(2026, 1, 1, tzinfo=UTC)}
                for link in links
            ],
        )  # fmt: skip
        groups = DuplicateGroups(links)
        found = canonical_of(conn, [3, 4, 6, 99])
    assert found == {3: 1, 2: 1, 1: 1, 4: 4, 6: 5, 5: 5, 99: 99}  # with the links followed
    assert {r: found[r] for r in (3, 4, 6)} == {r: groups.canonical(r) for r in (3, 4, 6)}
