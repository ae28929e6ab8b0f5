"""``protocol check``: validate protocol.yaml and name the line of every mistake."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import click
import typer

from metasummary.cli.options import CliState, JsonOption
from metasummary.cli.output import console, print_json
from metasummary.environment import PROJECT_ENV
from metasummary.protocol import PROTOCOL_FILE, load_protocol

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
    """Validate a protocol without opening the database; exit 1 and list every problem.

    Example: metasummary protocol check my-review/protocol.yaml
    """
    state = click.get_current_context().find_object(CliState) or CliState()
    path = file or (project_dir or state.project or Path()) / PROTOCOL_FILE
    protocol = load_protocol(path)
    if as_json:
        print_json(protocol.model_dump(mode="json", by_alias=True))
        return
    console().print(
        f"{path}: valid — {len(protocol.criteria.inclusion)} inclusion and "
        f"{len(protocol.criteria.exclusion)} exclusion criteria, {len(protocol.query.groups)} "
        f"query groups, {len(protocol.sources)} sources, {len(protocol.stages)} stages"
    )
