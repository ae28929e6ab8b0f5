"""``screen``: screen records one at a time in the terminal."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from metasummary.cli.options import DbOption, ProjectOption, open_project
from metasummary.cli.output import console
from metasummary.cli.screening_options import PhaseOption, ReviewerOption
from metasummary.screening.rules import parse_phase


def register(app: typer.Typer) -> None:
    app.command("screen")(screen)


def read_key() -> str:
    """One key press from the terminal (no Enter needed); a line's first key from a pipe."""
    if not sys.stdin.isatty():
        return sys.stdin.read(1)
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        key = sys.stdin.read(1)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
    return "q" if key == "\x03" else key  # Ctrl-C quits cleanly


def screen(
    reviewer: ReviewerOption,
    phase: PhaseOption = "title-abstract",
    features: Annotated[
        str, typer.Option("--features", help="tfidf, or embeddings (semantic extra).")
    ] = "tfidf",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Screen one record at a time, most likely inclusion first; every key press is saved.

    Example: metasummary screen --phase title-abstract --reviewer R1
    """
    from metasummary.cli.terminal import HELP, ScreeningSession  # numpy, scikit-learn

    out = console()
    with open_project(project_dir, db, by=reviewer) as project:
        for line in project.screening.warnings():
            out.print(f"warning: {line}", markup=False, soft_wrap=True)
        out.print(HELP)
        session = ScreeningSession(
            project.screening,
            phase=parse_phase(phase),
            reviewer=reviewer,
            keys=read_key,
            console=out,
            features=features,
        )
        summary = session.run()
    out.print(
        f"{summary.decided} decided, {summary.undone} undone, {summary.skipped} skipped "
        "this session."
    )
