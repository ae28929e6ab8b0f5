"""Options shared by every command, and opening the project they point at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import click
import typer

from metasummary.project import PROJECT_ENV, Project
from metasummary.store.engine import DB_ENV


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
    state = click.get_current_context().find_object(CliState) or CliState()
    project = Project.open(project_dir or state.project, db=db or state.db)
    for swept in project.swept:
        click.echo(f"note: {swept.line(project.root)}", err=True)
    return project
