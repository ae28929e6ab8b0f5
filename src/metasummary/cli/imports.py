"""``import`` and ``import-log``: bring search-result files into the review, see what came in."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.errors import InputError, MetasummaryError
from metasummary.imports.files import ImportResult, problem_lines
from metasummary.sources import BY_NAME


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)
    app.command("import-log")(import_log)


def _columns(values: list[str]) -> dict[str, str]:
    columns: dict[str, str] = {}
    for value in values:
        fld, sep, header = value.partition("=")
        if not sep or not fld.strip() or not header.strip():
            raise InputError(f"--column {value!r}: write FIELD=HEADER, e.g. title='Article Title'")
        columns[fld.strip()] = header.strip()
    return columns


def import_files(
    files: Annotated[
        list[Path], typer.Argument(help="Export files to import.", show_default=False)
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            "-s",
            help="Source to import into (default: the protocol's source for the file's library, "
            "else the file name). A new name creates a source outside the protocol.",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help=f"File format instead of sniffing: {', '.join(BY_NAME)}."
        ),
    ] = None,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad", help="Import the sound entries; keep the bad ones in the import log."
        ),
    ] = False,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", help="For --format csv: FIELD=HEADER (repeatable)."),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import search results (RIS, BibTeX, library CSVs, Web of Science, nbib, EndNote, JSON).

    Each file is imported whole or not at all: a bad entry refuses the file with FILE:LINE
    messages and changes nothing, unless --skip-bad is given.

    Example: metasummary import ieee.csv scopus.ris --source IEEE
    """
    columns = _columns(column or [])
    results: list[ImportResult] = []
    failed: list[MetasummaryError] = []
    out = console()
    err = console(stderr=True)
    with open_project(project_dir, db) as project:
        for file in files:
            try:
                result = project.imports.import_file(
                    file, source=source, format=fmt, skip_bad=skip_bad, columns=columns
                )
            except MetasummaryError as exc:
                if len(files) == 1:
                    raise
                failed.append(exc)
                for line in exc.lines():
                    err.print(f"error: {line}", markup=False, soft_wrap=True)
                if exc.problems:
                    err.print(f"error: {exc.message}", markup=False, soft_wrap=True)
                continue
            results.append(result)
            if not as_json:
                _report(out, result)
    if as_json:
        print_json([r.to_dict() for r in results])
    if failed:
        raise InputError(f"{len(failed)} of {len(files)} files were not imported (see above)")


def _report(out: Console, result: ImportResult) -> None:
    skipped = f", {len(result.skipped)} bad entries skipped" if result.skipped else ""
    out.print(
        f"{result.file}: {result.imported} record{'' if result.imported == 1 else 's'} into "
        f"'{result.source}' "
        f"({result.format}, {result.encoding}{skipped})",
        markup=False,
        soft_wrap=True,
    )
    for line in problem_lines(result.file, result.skipped):
        out.print(f"  skipped: {line}", markup=False, soft_wrap=True)
    for line in problem_lines(result.file, result.warnings):
        out.print(f"  warning: {line}", markup=False, soft_wrap=True)


def import_log(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source.")] = None,
    entries: Annotated[
        bool, typer.Option("--entries", help="List the entries each import skipped.")
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List every imported file: source, format, sha256, records and skipped entries.

    Example: metasummary import-log --source IEEE --entries
    """
    with open_project(project_dir, db) as project:
        batches = project.imports.log(source)
    if as_json:
        print_json(
            [
                {**{k: getattr(b, k) for k in b.__slots__}, "created_at": b.created_at.isoformat()}
                for b in batches
            ]
        )
        return
    out = console()
    table = Table(box=box.SIMPLE_HEAD, title="Imports", title_justify="left", pad_edge=False)
    for name, justify in (
        ("#", "right"),
        ("When", "left"),
        ("Source", "left"),
        ("File", "left"),
        ("Format", "left"),
        ("Records", "right"),
        ("Skipped", "right"),
        ("sha256", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for b in batches:
        table.add_row(
            str(b.id),
            f"{b.created_at:%Y-%m-%d %H:%M}",
            b.source,
            b.file_name,
            b.format,
            str(b.imported),
            str(b.skipped),
            b.sha256[:12],
        )
    out.print(table)
    if entries:
        for b in batches:
            for skipped in b.skipped_entries:
                out.print(
                    f"{b.file_name}:{skipped.get('line') or ''}: {skipped.get('error')}",
                    markup=False,
                    soft_wrap=True,
                )
