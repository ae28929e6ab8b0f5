"""``demo``: build the built-in example review, run the pipeline on it, write its report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.output import console
from metasummary.cli.project import render_status
from metasummary.demo import run_demo
from metasummary.project import Project


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    directory: Annotated[Path, typer.Argument(help="Folder for the example review.")] = Path(
        "metasummary-demo"
    ),
) -> None:
    """Build the built-in example review (a miniature of the CAIN 2023 meta-summary) and its report.

    Imports the papers the talk names, screens them, loads the extraction values and the
    talk's quotes, card-sorts them into its four themes and writes the report in HTML,
    Markdown, LaTeX and XLSX.

    Example: metasummary demo /tmp/demo-review
    """
    out = console()
    result = run_demo(directory)
    out.print(f"Built the example review in {directory}")
    out.print(
        "  (a miniature rebuilt from the published CAIN 2023 talk, not the paper's full data)"
    )
    imported = ", ".join(f"{n} into {source}" for source, n in result.imported.items())
    out.print(f"  imported {sum(result.imported.values())} records: {imported}")
    out.print(f"  deduplicated: {result.duplicates} duplicates found")
    out.print(
        f"  screened: {result.included} included; excluded at title/abstract: "
        f"{', '.join(result.excluded)}"
    )
    out.print(
        f"  {result.findings} findings, {result.sorted_findings} sorted into {result.themes} "
        f"themes ({result.unattributed} quotes of the talk left unattributed)"
    )
    with Project.open(directory) as project:
        render_status(project.status())
    report = result.report
    out.print(f"Report in {report.folder}:")
    for fmt in ("html", "markdown", "latex", "xlsx"):
        out.print(f"  {report.main(fmt)}")
    out.print(f"Open the web app: metasummary serve -p {directory}  (needs the web extra)")
