"""Decisions: validation, duplicate groups, undo, resolution, pilot, and blind dual screening."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from metasummary import InputError, Phase, Project, RecordState
from metasummary.store import decisions as store_decisions
from metasummary.store import events
from metasummary.store import records as store_records
from tests.screening_helpers import screening_project

TA = Phase.TITLE_ABSTRACT
FT = Phase.FULL_TEXT


def decision_count(project: Project) -> int:
    with project.store.read() as conn:
        return store_decisions.count(conn)


@pytest.fixture
def single(make_project: Callable[..., Project]) -> Project:
    return screening_project(make_project)


@pytest.fixture
def dual(make_project: Callable[..., Project]) -> Project:
    return screening_project(make_project, mode="dual", name="dual")


def test_decide_include_and_exclude_with_codes(single: Project) -> None:
    s = single.screening
    first = s.decide(1, phase="title-abstract", reviewer="R1", verdict="include", criteria=["I1"])
    assert first.state is RecordState.INCLUDED
    second = s.decide(2, phase="ta", reviewer="R1", verdict="exclude", criteria=["E1", "E2"])
    assert second.state is RecordState.EXCLUDED
    view = s.view(2, phase=TA, viewer="R1")
    assert [d.criteria for d in view.decisions] == [["E1", "E2"]]
    with single.store.read() as conn:
        actions = [e.action for e in events.recent(conn, prefix="screening.")]
    assert actions == ["screening.vote", "screening.vote"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"criteria": ["E9"]}, "criterion 'E9': not in the protocol"),
        ({"reviewer": "R9"}, "reviewer 'R9': not in the protocol"),
        ({"phase": "abstract-only"}, "phase 'abstract-only': unknown"),
        ({"criteria": []}, "an exclusion needs a criterion code: an exclusion criterion it"),
        ({"verdict": "include", "criteria": ["E1"]}, "cannot justify an inclusion"),
        ({"verdict": "perhaps"}, "verdict 'perhaps': unknown"),
        ({"pdf": "paper.pdf"}, "PDF link belongs to a full-text decision"),
        ({"record": 99}, "record 99: no such record"),
        ({"phase": "full-text"}, "record 1: not in full-text"),
    ],
)
def test_bad_decisions_write_nothing(
    single: Project, change: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {
        "record": 1,
        "phase": "title-abstract",
        "reviewer": "R1",
        "verdict": "exclude",
        "criteria": ["E1"],
    }
    args.update(change)
    record = args.pop("record")
    before = decision_count(single)
    with pytest.raises(InputError, match=message) as caught:
        single.screening.decide(record, **args)  # type: ignore[arg-type]
    assert "\n" not in str(caught.value)
    assert decision_count(single) == before


def test_free_notes_allow_an_exclusion_without_code(
    make_project: Callable[..., Project],
) -> None:
    project = screening_project(make_project, free_notes=True)
    with pytest.raises(InputError, match="or a note"):
        project.screening.decide(1, phase=TA, reviewer="R1", verdict="exclude")
    result = project.screening.decide(
        1, phase=TA, reviewer="R1", verdict="exclude", note="an editorial"
    )
    assert result.state is RecordState.EXCLUDED


def test_full_text_only_after_inclusion_and_takes_a_pdf(single: Project) -> None:
    s = single.screening
    s.decide(3, phase=TA, reviewer="R1", verdict="maybe")
    with pytest.raises(InputError, match="not in full-text"):
        s.decide(3, phase=FT, reviewer="R1", verdict="include")
    s.decide(3, phase=TA, reviewer="R1", verdict="include")
    result = s.decide(3, phase=FT, reviewer="R1", verdict="include", pdf="pdfs/3.pdf")
    assert result.state is RecordState.INCLUDED
    assert s.view(3, phase=FT, viewer="R1").decisions[0].pdf == "pdfs/3.pdf"


def test_a_decision_on_a_duplicate_counts_for_its_group(single: Project) -> None:
    with single.store.write() as conn:
        store_records.set_duplicate_of(conn, 4, 1)
    result = single.screening.decide(4, phase=TA, reviewer="R1", verdict="include")
    assert result.group == 1
    assert single.screening.view(1, phase=TA, viewer="R1").state is RecordState.INCLUDED
    status = single.status().total.phases["title-abstract"]
    assert status.included == 1
    # The group is decided: a vote on another member by another reviewer is refused.
    with pytest.raises(InputError, match="already has the 1 vote"):
        single.screening.decide(1, phase=TA, reviewer="R2", verdict="include")


def test_undo_restores_the_previous_vote_and_keeps_the_log(single: Project) -> None:
    s = single.screening
    s.decide(1, phase=TA, reviewer="R1", verdict="exclude", criteria=["E1"])
    s.decide(1, phase=TA, reviewer="R1", verdict="include")
    s.decide(2, phase=TA, reviewer="R1", verdict="include")
    undone = s.retract(phase=TA, reviewer="R1")
    assert (undone.record_id, undone.state) == (2, RecordState.UNDECIDED)
    undone = s.retract(phase=TA, reviewer="R1")
    assert (undone.record_id, undone.state) == (1, RecordState.EXCLUDED)
    assert s.retract(1, phase=TA, reviewer="R1").state is RecordState.UNDECIDED
    with pytest.raises(InputError, match="no vote at title-abstract to undo"):
        s.retract(phase=TA, reviewer="R1")
    assert decision_count(single) == 6


def test_blind_dual_screening_hides_the_other_vote_until_both_decided(dual: Project) -> None:
    s = dual.screening
    s.decide(1, phase=TA, reviewer="R1", verdict="include", note="looks right")
    for viewer in ("R2", "R3"):
        view = s.view(1, phase=TA, viewer=viewer)
        assert view.decisions == []
        assert view.hidden == 1
        assert "looks right" not in str(view.to_dict())
    own = s.view(1, phase=TA, viewer="R1")
    assert [d.reviewer for d in own.decisions] == ["R1"]
    assert own.state is RecordState.AWAITING

    s.decide(1, phase=TA, reviewer="R2", verdict="exclude", criteria=["E1"])
    for viewer in ("R1", "R2", "R3"):
        view = s.view(1, phase=TA, viewer=viewer)
        assert sorted(d.reviewer for d in view.decisions) == ["R1", "R2"]
        assert view.state is RecordState.CONFLICT


def test_blindness_holds_in_every_read(dual: Project) -> None:
    s = dual.screening
    s.decide(2, phase=TA, reviewer="R1", verdict="include")
    assert s.conflicts(phase=TA, viewer="R2") == []
    assert 2 in s.queue(phase=TA, reviewer="R2").records
    assert 2 not in s.queue(phase=TA, reviewer="R1").records
    # R2's ranking may not learn from R1's pending vote.
    assert s.queue(phase=TA, reviewer="R2").labelled == 0


def test_third_reviewer_and_consensus_resolve_conflicts_keeping_both_votes(
    dual: Project,
) -> None:
    s = dual.screening
    for record in (1, 2):
        s.decide(record, phase=TA, reviewer="R1", verdict="include")
        s.decide(record, phase=TA, reviewer="R2", verdict="exclude", criteria=["E2"])
    conflicts = s.conflicts(phase=TA, viewer="R3")
    assert [c.group for c in conflicts] == [1, 2]
    assert {v.reviewer for v in conflicts[0].votes} == {"R1", "R2"}

    with pytest.raises(InputError, match="already has the 2 vote"):
        s.decide(1, phase=TA, reviewer="R3", verdict="include")
    assert s.resolve(1, phase=TA, reviewer="R3", verdict="include").state is RecordState.INCLUDED
    assert s.resolve(2, phase=TA, reviewer="R1", verdict="exclude", criteria=["E2"]).state is (
        RecordState.EXCLUDED
    )
    assert [p["by"] for p in resolution_payloads(dual)] == ["third reviewer", "consensus"]
    view = s.view(1, phase=TA, viewer="R1")
    assert [d.kind for d in view.decisions] == ["vote", "vote", "resolution"]
    assert s.conflicts(phase=TA, viewer="R3") == []
    with pytest.raises(InputError, match="nothing to resolve"):
        s.resolve(3, phase=TA, reviewer="R3", verdict="include")


def resolution_payloads(project: Project) -> list[dict[str, object]]:
    """The payloads of the resolution events, oldest first."""
    with project.store.read() as conn:
        found = events.recent(conn, prefix="screening.resolve")
    return [e.payload for e in reversed(found)]


def test_pilot_sample_is_seeded_served_first_and_marked(
    make_project: Callable[..., Project],
) -> None:
    project = screening_project(make_project, pilot_size=2)
    s = project.screening
    sample = s.start_pilot(phase=TA, seed=7)
    assert len(sample.records) == 2
    again = screening_project(make_project, pilot_size=2, name="again")
    assert again.screening.start_pilot(phase=TA, seed=7).records == sample.records
    queue = s.queue(phase=TA, reviewer="R1")
    assert queue.records[:2] == sample.records
    s.decide(sample.records[0], phase=TA, reviewer="R1", verdict="include")
    other = next(r for r in range(1, 7) if r not in sample.records)
    s.decide(other, phase=TA, reviewer="R1", verdict="include")
    with project.store.read() as conn:
        flags = [e.pilot for e in store_decisions.all_entries(conn)]
    assert flags == [True, False]
    with pytest.raises(InputError, match="already drawn"):
        s.start_pilot(phase=TA, seed=8)
