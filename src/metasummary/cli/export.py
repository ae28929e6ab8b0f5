"""``export records``: write records out as RIS, BibTeX, CSV or an Excel sheet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.options import DbOption, ProjectOption, open_project
from metasummary.cli.output import console
from metasummary.imports.writers import FORMATS

export_app = typer.Typer(help="Write records out for other tools.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


@export_app.command("records")
def records(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")
    ] = "ris",
    included: Annotated[
        bool, typer.Option("--included", help="Only papers included at full text (one per group).")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: standard output).")
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Export records with their id, duplicate_of link and original key.

    Example: metasummary export records --format bibtex --included --out included.bib
    """
    with open_project(project_dir, db) as project:
        count = project.exports.records(
            fmt, out if out is not None else sys.stdout, included=included
        )
    if out is not None:
        console(stderr=True).print(f"wrote {count} records to {out}", markup=False)
