"""Screening claims: a record on two reviewers' screens is offered to no third one in dual
screening; a claim moves with its reviewer and lapses; a vote never depends on one."""

from __future__ import annotations

from collections.abc import Callable

from metasummary import Phase, Project
from metasummary.web.desk import Desk
from tests.screening_helpers import add_records, screening_protocol


def test_a_record_on_two_screens_is_offered_to_nobody_else(
    make_project: Callable[..., Project],
) -> None:
    project = make_project(screening_protocol(mode="dual"))
    first, second, *_ = add_records(project, 4)
    screening = project.screening
    assert screening.claim(first, phase="title-abstract", reviewer="R1")
    assert screening.claim(first, phase="title-abstract", reviewer="R2")
    assert not screening.claim(first, phase="title-abstract", reviewer="R3")
    assert screening.taken(phase="title-abstract", viewer="R3") == {first}
    assert screening.taken(phase="title-abstract", viewer="R1") == set()
    # R2 moves on: their one claim moves with them, and the place opens again
    assert screening.claim(second, phase="title-abstract", reviewer="R2")
    assert screening.claim(first, phase="title-abstract", reviewer="R3")
    # votes fill places too, and a voter's own claim is not counted twice
    screening.decide(first, phase="title-abstract", reviewer="R1", verdict="include")
    assert not screening.claim(first, phase="title-abstract", reviewer="R2")
    # a claim never stops a vote: R2 may vote on what R3 has on screen (places permitting)
    screening.decide(second, phase="title-abstract", reviewer="R1", verdict="include")
    assert screening.decide(second, phase="title-abstract", reviewer="R3", verdict="include")


def test_claims_lapse(make_project: Callable[..., Project]) -> None:
    project = make_project(screening_protocol(mode="dual"))
    (record,) = add_records(project, 1)
    screening = project.screening
    for reviewer in ("R1", "R2"):
        assert screening.claim(record, phase="title-abstract", reviewer=reviewer, minutes=-1)
    assert screening.claim(record, phase="title-abstract", reviewer="R3")  # both lapsed


def test_the_desk_shows_a_team_different_records(make_project: Callable[..., Project]) -> None:
    project = make_project(screening_protocol(mode="dual"))
    add_records(project, 6)
    desk = Desk(wait=60)
    shown = {}
    for reviewer in ("R1", "R2", "R3"):
        live = desk.live(project, "title-abstract", reviewer)
        assert live.wait(60)
        view = desk.next_view(project, live, Phase.TITLE_ABSTRACT, reviewer)
        assert view is not None
        shown[reviewer] = view.group
    desk.close()
    # the same ranking for all three (no labels yet), yet the third is shown another record
    assert shown["R1"] == shown["R2"]
    assert shown["R3"] != shown["R1"]
