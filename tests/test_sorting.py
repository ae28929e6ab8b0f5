"""Card-sort operations: what each does, that each is logged, and that undo restores the exact
previous state (same rows, ids, positions and timestamps)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from metasummary import InputError, Project
from metasummary.store import events
from metasummary.synthesis.sorting import Sorting
from tests.synthesis_data import (
    add_finding,
    add_papers,
    event_count,
    placements,
    snapshot,
    synthesis_protocol,
)


def build_board(project: Project) -> tuple[Project, dict[str, Any]]:
    """Two themes in QA, one in ORG; five findings, four of them sorted."""
    p1, p2 = add_papers(project, ["Paper one", "Paper two"])
    sorting = project.synthesis.sorting
    specs = sorting.create_theme("QA", "Lack of specifications", sub_points=["oracle problem"])
    tests = sorting.create_theme("QA", "Test data")
    people = sorting.create_theme("ORG", "Expectations")
    f = [add_finding(project, p, f"finding {i}") for i, p in enumerate([p1, p1, p2, p2, p1])]
    sorting.move_findings([f[0], f[1]], specs.id)
    sorting.move_findings([f[2]], tests.id)
    sorting.move_findings([f[3]], people.id)
    return project, {"specs": specs.id, "tests": tests.id, "people": people.id, "f": f}


@pytest.fixture
def board(make_project: Callable[..., Project], db_url: str) -> tuple[Project, dict[str, Any]]:
    """The board on SQLite and on PostgreSQL (undo must be exact on both)."""
    return build_board(make_project(synthesis_protocol(), db=db_url))


@pytest.fixture
def sqlite_board(make_project: Callable[..., Project]) -> tuple[Project, dict[str, Any]]:
    return build_board(make_project(synthesis_protocol()))


OPERATIONS: dict[str, Callable[[Sorting, dict[str, Any]], object]] = {
    "create": lambda s, ids: s.create_theme("REQ", "Unclear goals", description="d"),
    "rename": lambda s, ids: s.rename_theme(ids["specs"], "No specifications"),
    "describe": lambda s, ids: s.describe_theme(
        ids["specs"], description="Testing is hard", sub_points=["a", "b"]
    ),
    "merge": lambda s, ids: s.merge_themes([ids["tests"], ids["people"]], ids["specs"]),
    "split": lambda s, ids: s.split_theme(ids["specs"], "Oracle", [ids["f"][1]]),
    "move-theme": lambda s, ids: s.move_theme(ids["tests"], "ORG", position=0),
    "move-theme-within": lambda s, ids: s.move_theme(ids["tests"], "QA", position=0),
    "reorder-themes": lambda s, ids: s.reorder_themes("QA", [ids["tests"], ids["specs"]]),
    "move": lambda s, ids: s.move_findings([ids["f"][4], ids["f"][2]], ids["specs"], position=0),
    "unsort": lambda s, ids: s.move_findings([ids["f"][0]], None),
    "move-coder": lambda s, ids: s.move_findings([ids["f"][0]], ids["tests"], coder="R1"),
    "reorder": lambda s, ids: s.reorder_findings(ids["specs"], [ids["f"][1], ids["f"][0]]),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_undo_restores_the_exact_previous_state(
    board: tuple[Project, dict[str, Any]], name: str
) -> None:
    project, ids = board
    sorting = project.synthesis.sorting
    before = snapshot(project)
    OPERATIONS[name](sorting, ids)
    assert snapshot(project) != before, "the operation changed nothing"
    undone = sorting.undo()
    assert undone.undone
    assert snapshot(project) == before
    assert sorting.history(limit=2)[0].action == "sort.undo"


def test_undo_walks_back_step_by_step(board: tuple[Project, dict[str, Any]]) -> None:
    project, ids = board
    sorting = project.synthesis.sorting
    start = snapshot(project)
    sorting.rename_theme(ids["specs"], "Specs")
    middle = snapshot(project)
    sorting.merge_themes([ids["tests"]], ids["specs"])
    sorting.undo()
    assert snapshot(project) == middle
    sorting.undo()
    assert snapshot(project) == start


def test_undo_refuses_when_a_later_change_touched_the_same_rows(
    sqlite_board: tuple[Project, dict[str, Any]],
) -> None:
    project, ids = sqlite_board
    sorting = project.synthesis.sorting
    sorting.move_findings([ids["f"][4]], ids["specs"], coder="R1", actor="R1")
    sorting.move_findings([ids["f"][4]], ids["tests"], coder="R1", actor="R2")
    before = snapshot(project)
    with pytest.raises(InputError, match="moved since"):
        sorting.undo(actor="R1")
    assert snapshot(project) == before


def test_undo_finds_an_actors_change_behind_many_newer_ones_of_others(
    sqlite_board: tuple[Project, dict[str, Any]],
) -> None:
    project, ids = sqlite_board
    sorting = project.synthesis.sorting
    before = snapshot(project)
    sorting.rename_theme(ids["specs"], "Specs by R1", actor="R1")
    with project.store.write() as conn:  # 1,000 newer undoable changes logged by R2
        for n in range(1000):
            events.log(conn, "sort.theme.rename", entity="theme", actor="R2", payload={"n": n})
    undone = sorting.undo(actor="R1")
    assert undone.undone
    assert snapshot(project) == before


def test_describing_nothing_is_refused_and_not_logged(
    sqlite_board: tuple[Project, dict[str, Any]],
) -> None:
    project, ids = sqlite_board
    sorting = project.synthesis.sorting
    history = sorting.history(limit=5)
    with pytest.raises(InputError, match="nothing to describe"):
        sorting.describe_theme(ids["specs"])
    assert sorting.history(limit=5) == history


def test_operations_do_what_they_say(sqlite_board: tuple[Project, dict[str, Any]]) -> None:
    project, ids = sqlite_board
    sorting = project.synthesis.sorting
    f = ids["f"]
    merged = sorting.merge_themes([ids["tests"]], ids["specs"])
    assert placements(project)[f[2]] == merged.id
    retired = {t.id: t for t in sorting.themes(include_retired=True)}[ids["tests"]]
    assert retired.retired
    assert retired.merged_into == ids["specs"]
    split = sorting.split_theme(ids["specs"], "Oracle", [f[1], f[2]])
    assert (placements(project)[f[1]], placements(project)[f[2]]) == (split.id, split.id)
    assert split.stage == "QA"
    moved = sorting.move_theme(split.id, "org")
    assert moved.stage == "ORG"
    placed = sorting.move_findings([f[4]], ids["people"], position=0)
    assert placed[0].position == 0
    board_view = project.synthesis.board()
    org = next(s for s in board_view.stages if s.code == "ORG")
    assert [c.id for c in org.themes[0].cards] == [f[4], f[3]]
    assert [t.theme.id for t in org.themes] == [ids["people"], split.id]
    assert board_view.unsorted == []
    assert len(sorting.history(limit=50)) == 10  # fixture 6, merge, split, move-theme, move


def test_each_operation_is_one_event(sqlite_board: tuple[Project, dict[str, Any]]) -> None:
    project, ids = sqlite_board
    count = event_count(project)
    project.synthesis.sorting.move_findings(ids["f"][:3], ids["people"])
    assert event_count(project) == count + 1
    event = project.synthesis.sorting.history(limit=1)[0]
    assert event.action == "sort.finding.move"
    assert "moved finding(s)" in event.summary


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, ids: s.create_theme("XX", "New"), "not a stage of the protocol"),
        (lambda s, ids: s.create_theme("QA", "  "), "needs a label"),
        (lambda s, ids: s.create_theme("QA", "test DATA"), "already has a theme"),
        (lambda s, ids: s.rename_theme(999, "x"), "no such theme"),
        (lambda s, ids: s.merge_themes([ids["specs"]], ids["specs"]), "other than"),
        (lambda s, ids: s.split_theme(ids["specs"], "X", [ids["f"][3]]), "not in theme"),
        (lambda s, ids: s.move_findings([999], ids["specs"]), "no such finding"),
        (lambda s, ids: s.move_findings([ids["f"][0]], ids["specs"], coder="R9"), "not a reviewer"),
        (lambda s, ids: s.reorder_themes("QA", [ids["people"]]), "not active themes of QA"),
    ],
)
def test_bad_operations_change_nothing(
    sqlite_board: tuple[Project, dict[str, Any]],
    call: Callable[[Sorting, dict[str, Any]], object],
    message: str,
) -> None:
    project, ids = sqlite_board
    before, events = snapshot(project), event_count(project)
    with pytest.raises(InputError, match=message):
        call(project.synthesis.sorting, ids)
    assert (snapshot(project), event_count(project)) == (before, events)


def test_merged_theme_cannot_be_used(sqlite_board: tuple[Project, dict[str, Any]]) -> None:
    project, ids = sqlite_board
    sorting = project.synthesis.sorting
    sorting.merge_themes([ids["tests"]], ids["specs"])
    with pytest.raises(InputError, match="merged into theme"):
        sorting.move_findings([ids["f"][4]], ids["tests"])


def test_nothing_to_undo(make_project: Callable[..., Project]) -> None:
    project = make_project(synthesis_protocol())
    with pytest.raises(InputError, match="nothing to undo"):
        project.synthesis.sorting.undo()
