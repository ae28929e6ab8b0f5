"""``demo``: build the built-in example review, run the pipeline on it, write its report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.output import console
from metasummary.cli.project import render_status
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
    # Imported here: the demo writes a report, and the report's modules (matplotlib among
    # them) would otherwise load on the start of every command.
    from metasummary.example.demo import run_demo

    out = console()
    result = run_demo(directory)

    def say(line: str) -> None:
        out.print(line, soft_wrap=True)  # paths stay whole, however narrow the terminal

    say(f"Built the example review in {directory}:")
    say("  a miniature rebuilt from the published CAIN 2023 talk,")
    say("  not the paper's full data; its counts are its own")
    imported = ", ".join(f"{n} into {source}" for source, n in result.imported.items())
    say(f"  imported {sum(result.imported.values())} records: {imported}")
    say(f"  deduplicated: {result.duplicates} duplicates found")
    say(f"  screened: {result.included} included")
    say(f"  excluded at title/abstract: {', '.join(result.excluded)}")
    say(
        f"  {result.findings} findings, {result.sorted_findings} sorted into {result.themes} themes"
    )
    say(f"  ({result.unattributed} quotes of the talk left unattributed)")
    with Project.open(directory) as project:
        render_status(project.status())
    say(f"Report in {result.report.folder}:")
    for fmt in ("html", "markdown", "latex", "xlsx"):
        say(f"  {result.report.main(fmt)}")
    say(f"Open the web app: metasummary serve -p {directory}  (needs the web extra)")
