"""Options shared by every command, and opening the project they point at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import click
import typer

from metasummary.environment import ACTOR_ENV, DB_ENV, PROJECT_ENV

if TYPE_CHECKING:
    from metasummary.project import Project


@dataclass(slots=True)
class CliState:
    project: Path | None = None
    db: str | None = None
    debug: bool = False
    by: str | None = None
    """Who the session acts as (``--by``); None: ``$METASUMMARY_BY``, else the login name."""


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
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by",
        envvar=ACTOR_ENV,
        help="Who makes the changes, recorded with each (a reviewer code or your name; "
        "default: your login name).",
        show_default=False,
    ),
]


def acting(by: str | None = None) -> str | None:
    """Who a command acts as: its own ``--by``/``--reviewer``, else the global ``--by``."""
    state = click.get_current_context().find_object(CliState) or CliState()
    return by or state.by


def open_project(
    project_dir: Path | None, db: str | None, *, by: str | None = None, per_request: bool = False
) -> Project:
    """The project a command works on: its own -p/--db, else the global ones, acting as
    ``by`` (else the global --by, else ``$METASUMMARY_BY`` or the login name).

    ``per_request``: nobody acts for the session (the web app names the acting reviewer
    with every change, and the store refuses one that names nobody).
    """
    from metasummary.project import Project

    state = click.get_current_context().find_object(CliState) or CliState()
    actor = "" if per_request else acting(by)
    project = Project.open(project_dir or state.project, db=db or state.db, actor=actor)
    for swept in project.swept:
        click.echo(f"note: {swept.line(project.root)}", err=True)
    return project
