"""``export records``: write records out as RIS, BibTeX, CSV or an Excel sheet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.options import DbOption, ProjectOption, acting, open_project
from metasummary.cli.output import console
from metasummary.imports.writers import FORMATS

export_app = typer.Typer(
    help="Write records, or the screening decisions, out for other tools.", no_args_is_help=True
)


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


@export_app.command("decisions")
def decisions(
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="File to write: .csv, .xlsx (one line per decision) or .ris."
        ),
    ],
    phase: Annotated[
        str | None,
        typer.Option("--phase", help="Only this phase: title-abstract or full-text."),
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option("--reviewer", "-r", help="Only this reviewer's decisions.")
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Export the screening decisions: one line per standing vote and per resolution, with
    record, phase, reviewer, verdict, criterion codes and their wording, note, PDF and time
    (the full-text exclusions with reasons PRISMA 2020 asks for). As .ris, every decided
    record with its decisions as notes (N1) and keywords, for Zotero or EndNote.

    Blind screening holds: a vote still pending is exported only by its author (--by R1).

    Example: metasummary --by R1 export decisions --out decisions.xlsx --phase full-text
    """
    with open_project(project_dir, db) as project:
        viewer = acting()
        known = {r.id for r in project.protocol.reviewers}
        count = project.decisions.export(
            out, viewer=viewer if viewer in known else None, phase=phase, reviewer=reviewer
        )
    console(stderr=True).print(f"wrote {count} decision(s) to {out}", markup=False)
