"""The interactive screening loop, driven by fed keys and a recording console."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.console import Console

from metasummary import Phase, Project, RecordState
from metasummary.cli.terminal import ScreeningSession
from metasummary.store import decisions as store_decisions
from tests.screening_helpers import screening_project


def keys(sequence: Iterable[str]) -> Callable[[], str]:
    feed = iter(sequence)
    return lambda: next(feed, "")


def session(
    project: Project, typed: Iterable[str], phase: Phase = Phase.TITLE_ABSTRACT
) -> tuple[ScreeningSession, Console]:
    console = Console(record=True, width=100, color_system=None)
    run = ScreeningSession(
        project.screening, phase=phase, reviewer="R1", keys=keys(typed), console=console
    )
    return run, console


def votes(project: Project) -> list[tuple[int, str, str | None, list[str]]]:
    with project.store.read() as conn:
        return [
            (e.record_id, e.kind, e.verdict, e.criteria) for e in store_decisions.all_entries(conn)
        ]


def test_keys_include_exclude_with_codes_undo_skip_and_quit(
    make_project: Callable[..., Project],
) -> None:
    project = screening_project(make_project)
    # include; exclude without a code (refused), toggle E1 (digit 2) then exclude; skip;
    # maybe; undo (the maybe comes back first); include it; quit.
    run, console = session(project, ["i", "e", "2", "e", "s", "m", "u", "i", "q"])
    summary = run.run()
    text = console.export_text()
    assert "an exclusion needs a criterion code" in text
    assert (summary.decided, summary.undone, summary.skipped, summary.finished) == (
        4,
        1,
        1,
        False,
    )
    log = votes(project)
    assert [(kind, verdict) for _, kind, verdict, _ in log] == [
        ("vote", "include"),
        ("vote", "exclude"),
        ("vote", "maybe"),
        ("retraction", None),
        ("vote", "include"),
    ]
    assert log[1][3] == ["E1"]
    assert log[2][0] == log[4][0]  # the undone record was shown again and decided
    assert log[0][0] not in (log[1][0], log[2][0])
    assert "record " in text
    assert "screened" in text
    assert "inclusions left" in text


def test_screening_to_the_end_and_highlighting(make_project: Callable[..., Project]) -> None:
    project = screening_project(make_project)
    run, console = session(project, ["n", *"ok", "\r", "i"] + ["2", "e"] * 5)
    summary = run.run()
    assert summary.finished
    assert summary.decided == 6
    assert "Nothing left to screen" in console.export_text()
    states = project.status().total.phases["title-abstract"]
    assert (states.included, states.excluded) == (1, 5)
    assert votes(project)[0][0] == summary.records[0]
    view = project.screening.view(summary.records[0], phase=Phase.TITLE_ABSTRACT, viewer="R1")
    assert view.state is RecordState.INCLUDED
    assert view.decisions[0].note == "ok"
    # The protocol's query terms ("machine learning", "software engineering") are marked.
    highlighted = run._highlight("Software   engineering for machine-learning systems")
    assert [highlighted.plain[s.start : s.end] for s in highlighted.spans] == [
        "Software engineering",
        "machine-learning",
    ]


def test_full_text_takes_a_pdf_link(make_project: Callable[..., Project]) -> None:
    project = screening_project(make_project)
    project.screening.decide(2, phase="ta", reviewer="R1", verdict="include")
    run, _ = session(project, ["p", *"2.pdf", "\n", "i"], phase=Phase.FULL_TEXT)
    assert run.run().finished
    view = project.screening.view(2, phase=Phase.FULL_TEXT, viewer="R1")
    assert view.decisions[0].pdf == "2.pdf"
