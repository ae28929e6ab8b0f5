"""``import``, ``import undo``/``redo`` and ``import-log``: bring search-result files into the
review, take a mistaken import back, see what came in.

``metasummary import FILE ...`` is ``metasummary import files FILE ...``: the group passes any
first word that is not one of its commands to ``files``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich import box
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.errors import InputError, MetasummaryError, SourceChoiceError
from metasummary.imports.files import ImportResult, problem_lines
from metasummary.imports.retraction import UndoResult
from metasummary.project import Project
from metasummary.sources import BY_NAME

DEFAULT_COMMAND = "files"


class _FilesByDefault(TyperGroup):
    """``import FILE`` runs ``import files FILE``; ``import undo 3`` runs ``undo``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)


import_app = typer.Typer(
    cls=_FilesByDefault,
    no_args_is_help=True,
    help=(
        "Import search-result files into sources; undo or redo an import.\n\n"
        "metasummary import FILE ... is short for metasummary import files FILE ...\n\n"
        "Example: metasummary import scopus.ris ieee.csv"
    ),
)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    import_app.command(DEFAULT_COMMAND)(import_files)
    import_app.command("undo")(undo)
    import_app.command("redo")(redo)
    app.command("import-log")(import_log)


def interactive() -> bool:
    """Whether a person is at the terminal to answer a question (tests set this)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _ask_source(error: SourceChoiceError) -> str | None:
    """Ask which source a file goes to; None when nobody can answer."""
    if not error.choices or not interactive():
        return None
    err = console(stderr=True)
    err.print(error.message, markup=False, soft_wrap=True)
    for number, name in enumerate(error.choices, start=1):
        err.print(f"  {number}. {name}", markup=False)
    answer = click.prompt(
        "Import into source number",
        type=click.IntRange(1, len(error.choices)),
        err=True,
    )
    return error.choices[int(answer) - 1]


def _import_one(project: Project, file: Path, **options: Any) -> ImportResult:
    try:
        return project.imports.import_file(file, **options)
    except SourceChoiceError as exc:
        chosen = _ask_source(exc)
        if chosen is None:
            raise
        return project.imports.import_file(file, **{**options, "source": chosen})


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
            help="Source to import into (default: the protocol's source for the library the "
            "file names; asked for, or refused, when it names none or several). A new name "
            "creates a source outside the protocol.",
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
    again: Annotated[
        bool,
        typer.Option(
            "--again", help="Import a file already imported into another source (counts twice)."
        ),
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import search results (RIS, BibTeX, library CSVs, Web of Science, nbib, EndNote, JSON).

    Each file is imported whole or not at all: a bad entry refuses the file with FILE:LINE
    messages and changes nothing, unless --skip-bad is given. Without --source a file goes
    to the protocol's source for the library its content names (a Scopus RIS to Scopus).

    Example: metasummary import files scopus.ris ieee.csv
    """
    columns = _columns(column or [])
    results: list[ImportResult] = []
    failed: list[MetasummaryError] = []
    out = console()
    err = console(stderr=True)
    with open_project(project_dir, db) as project:
        for file in files:
            try:
                result = _import_one(
                    project,
                    file,
                    source=source,
                    format=fmt,
                    skip_bad=skip_bad,
                    columns=columns,
                    again=again,
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


def undo(
    batch: Annotated[int, typer.Argument(help="The import's number (see import-log).")],
    reason: Annotated[str, typer.Option("--reason", help="Why, kept in the log.")] = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take an import back: its records leave every count, list, flow and export.

    Nothing is deleted: the file, its records and their decisions stay in the database and
    the log, and import-log marks the import undone; redo brings it back.

    Example: metasummary import undo 3 --reason "imported into the wrong source"
    """
    with open_project(project_dir, db) as project:
        result = project.imports.undo(batch, reason=reason)
    _report_undo(result, as_json)


def redo(
    batch: Annotated[int, typer.Argument(help="The undone import's number (see import-log).")],
    again: Annotated[
        bool,
        typer.Option("--again", help="Redo it though the same file counts in another source."),
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Count an undone import again (its records, and their decisions, come back).

    Example: metasummary import redo 3
    """
    with open_project(project_dir, db) as project:
        result = project.imports.redo(batch, again=again)
    _report_undo(result, as_json)


def _report_undo(result: UndoResult, as_json: bool) -> None:
    if as_json:
        print_json(result.to_dict())
        return
    out = console()
    if result.action == "undo":
        out.print(
            f"import {result.batch_id} ({result.file}, '{result.source}') undone: "
            f"{result.records} record(s) left every count, list and export; the file and its "
            f"rows stay (metasummary import redo {result.batch_id} brings them back)",
            markup=False,
            soft_wrap=True,
        )
        if result.regrouped:
            out.print(
                f"{result.regrouped} record(s) re-pointed so papers found elsewhere too stay "
                "in the review with their decisions",
                markup=False,
                soft_wrap=True,
            )
    else:
        out.print(
            f"import {result.batch_id} ({result.file}, '{result.source}') counts again: "
            f"{result.records} record(s)",
            markup=False,
            soft_wrap=True,
        )
    if result.decided:
        out.print(
            f"{result.decided} of its records carry screening decisions (kept in the log)",
            markup=False,
        )


def import_log(
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source.")] = None,
    entries: Annotated[
        bool, typer.Option("--entries", help="List the entries each import skipped.")
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List every imported file: source, format, sha256, records, skipped entries, undone.

    Example: metasummary import-log --source IEEE --entries
    """
    with open_project(project_dir, db) as project:
        batches = project.imports.log(source)
    if as_json:
        print_json(
            [
                {
                    **{k: getattr(b, k) for k in b.__slots__},
                    "created_at": b.created_at.isoformat(),
                    "retracted_at": b.retracted_at.isoformat() if b.retracted_at else None,
                    "retracted": b.retracted,
                }
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
        ("Undone", "left"),
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
            f"{b.retracted_at:%Y-%m-%d} by {b.retracted_by}" if b.retracted_at else "",
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
