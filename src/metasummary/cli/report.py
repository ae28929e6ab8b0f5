"""``report``: write the review's report (HTML, Markdown, LaTeX, XLSX) from its data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def report(
    fmt: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="html, markdown, latex, xlsx or all (repeat for several; default: all).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for the report (default: report/ in the review)."),
    ] = None,
    timestamps: Annotated[
        bool,
        typer.Option(
            "--timestamps",
            help="Date the report and the query versions (the files then differ between runs).",
        ),
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the report: selection flow, PRISMA diagram, charts, themes with quotes, references.

    The same data gives byte-identical files unless --timestamps is given.

    Example: metasummary report --format html --out paper/report
    """
    with open_project(project_dir, db) as project:
        written = project.report.write(out, formats=fmt or ["all"], timestamps=timestamps)
    if as_json:
        print_json({"folder": str(written.folder), "files": written.files})
        return
    text = console()
    text.print(f"Wrote the report to {written.folder}:")
    for name in written.files:
        if "/" not in name:
            text.print(f"  {name}")
    text.print(f"  {sum('/' in n for n in written.files)} figure files in figures/")
