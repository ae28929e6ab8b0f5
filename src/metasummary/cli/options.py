"""Options shared by every command, and opening the project they point at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer

from metasummary.environment import DB_ENV, PROJECT_ENV

if TYPE_CHECKING:
    from metasummary.project import Project


@dataclass(slots=True)
class CliState:
    project: Path | None = None
    db: str | None = None
    debug: bool = False


ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "-p",
        "--project",
        envvar=PROJECT_ENV,
        help="Review folder (default: the current folder).",
        show_default=False,
    ),
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar=DB_ENV,
        help="Database URL instead of the folder's review.db (postgresql+psycopg://...).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def open_project(project_dir: Path | None, db: str | None) -> Project:
    """The project a command works on: its own -p/--db, else the global ones."""
    from metasummary.project import Project

    state = click.get_current_context().find_object(CliState) or CliState()
    return Project.open(project_dir or state.project, db=db or state.db)
