"""``protocol check``: validate protocol.yaml and name the line of every mistake."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import click
import typer

from metasummary.cli.options import CliState, JsonOption
from metasummary.cli.output import console, print_json
from metasummary.environment import DB_ENV, PROJECT_ENV
from metasummary.errors import ProtocolError
from metasummary.protocol import PROTOCOL_FILE, load_protocol
from metasummary.query.libraries import known_library
from metasummary.review.consistency import Inconsistency
from metasummary.store.engine import DB_FILE

protocol_app = typer.Typer(help="Check the review protocol.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(protocol_app, name="protocol")


@protocol_app.command("check")
def check(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="A protocol file (default: protocol.yaml of the project).", show_default=False
        ),
    ] = None,
    project_dir: Annotated[
        Path | None, typer.Option("-p", "--project", envvar=PROJECT_ENV, help="Review folder.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Validate a protocol; exit 1 and list every problem.

    Beside the file itself, it checks the library ids of the sources and, in a review
    folder, what the stored data cites that the protocol no longer lists: criteria that
    decisions cite, stages holding themes, extraction fields with values, reviewers with
    decisions (each an error), and sources outside the protocol holding records (a note).

    Example: metasummary protocol check my-review/protocol.yaml
    """
    state = click.get_current_context().find_object(CliState) or CliState()
    path = file or (project_dir or state.project or Path()) / PROTOCOL_FILE
    protocol = load_protocol(path)
    found = _against_the_review(path, state)
    if found is None:
        found = [
            Inconsistency("library", s.library, f"sources: {s.name!r}: unknown library")
            for s in protocol.sources
            if s.library and not known_library(s.library)
        ]
    errors = [f for f in found if f.error]
    if as_json:
        print_json(
            {
                "protocol": protocol.model_dump(mode="json", by_alias=True),
                "problems": [f.to_dict() for f in found],
            }
        )
        if errors:
            raise typer.Exit(1)
        return
    err = console(stderr=True)
    for problem in found:
        prefix = "error" if problem.error else "note"
        err.print(f"{prefix}: {path}: {problem.message}", markup=False, soft_wrap=True)
    if errors:
        raise ProtocolError(
            f"{path}: {len(errors)} problem{'' if len(errors) == 1 else 's'} with the data "
            "the review holds (see above)"
        )
    console().print(
        f"{path}: valid — {len(protocol.criteria.inclusion)} inclusion and "
        f"{len(protocol.criteria.exclusion)} exclusion criteria, {len(protocol.query.groups)} "
        f"query groups, {len(protocol.sources)} sources, {len(protocol.stages)} stages"
    )


def _against_the_review(path: Path, state: CliState) -> list[Inconsistency] | None:
    """The review's checks when ``path`` is a review's protocol; None outside a review."""
    folder = path.resolve().parent
    if path.name != PROTOCOL_FILE:
        return None  # a draft beside the review's protocol.yaml: the file alone
    if not ((folder / DB_FILE).exists() or state.db or os.environ.get(DB_ENV)):
        return None
    from metasummary.project import Project

    with Project.open(folder, db=state.db, actor=state.by) as project:
        return project.check()
