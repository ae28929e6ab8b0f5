"""``extract export`` and ``extract import``: the extraction sheet, out and back in."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.cli.synthesis_options import AddPapersOption, CsvOption, XlsxOption, sheet_path

extract_app = typer.Typer(help="Extraction fields per included paper.", no_args_is_help=True)

CoderOption = Annotated[
    str, typer.Option("--coder", help="Whose values (a reviewer id; default: the agreed ones).")
]


def register(app: typer.Typer) -> None:
    app.add_typer(extract_app, name="extract")


@extract_app.command("export")
def export(
    xlsx: XlsxOption = None,
    csv: CsvOption = None,
    coder: CoderOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Write the extraction sheet: one row per included paper, one column per field.

    Choice fields get drop-downs in the workbook. Fill it in, then run 'extract import'.

    Example: metasummary extract export --xlsx extraction.xlsx
    """
    path = sheet_path(xlsx, csv)
    with open_project(project_dir, db) as project:
        count = project.synthesis.extraction.export(path, coder=coder)
    console().print(f"Wrote {count} paper(s) to {path}")


@extract_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A filled-in .xlsx or .csv sheet.")],
    coder: CoderOption = "",
    add_papers: AddPapersOption = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read an extraction sheet back; every bad cell is reported and nothing is written.

    Papers are matched by the record, key, doi or title column.

    Example: metasummary extract import extraction.xlsx
    """
    with open_project(project_dir, db) as project:
        result = project.synthesis.extraction.import_file(
            file, coder=coder, add_missing=add_papers, actor=coder
        )
    if as_json:
        print_json(asdict(result))
        return
    out = console()
    out.print(
        f"{result.file}: {result.rows} paper(s), {result.changed} value(s) changed, "
        f"{result.unchanged} unchanged ({', '.join(result.fields)})"
    )
    if result.papers_added:
        out.print(f"  added {result.papers_added} paper(s) to the review")
    if result.ignored_columns:
        out.print(f"  ignored columns: {', '.join(result.ignored_columns)}")
