"""``source list``, ``rename``, ``merge`` and ``unmerge``: correct the sources of a review."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.imports.source_edits import MergeResult

source_app = typer.Typer(
    help="List sources; rename, merge and unmerge them (each change logged, undoable).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(source_app, name="source")


@source_app.command("list")
def list_(
    merged: Annotated[
        bool, typer.Option("--merged", help="Also list sources merged into another.")
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the sources with their records and imports, and whether the protocol names them.

    Example: metasummary source list --merged
    """
    with open_project(project_dir, db) as project:
        found = project.sources.list(merged=merged)
    if as_json:
        print_json([s.to_dict() for s in found])
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in (
        ("Source", "left"),
        ("Kind", "left"),
        ("Library", "left"),
        ("In protocol", "left"),
        ("Records", "right"),
        ("Imports", "right"),
        ("Merged into", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in found:
        table.add_row(
            s.name,
            s.kind,
            s.library,
            "yes" if s.in_protocol else "no",
            str(s.records),
            str(s.imports),
            s.merged_into,
        )
    console().print(table)


@source_app.command("rename")
def rename(
    old: Annotated[str, typer.Argument(help="The source's name now.")],
    new: Annotated[str, typer.Argument(help="Its new name.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Rename a source the protocol does not name (rename it back to undo).

    Example: metasummary source rename acm.bib "ACM (exported file)"
    """
    with open_project(project_dir, db) as project:
        renamed = project.sources.rename(old, new)
    console().print(f"source '{old}' is now '{renamed.name}'", markup=False)


@source_app.command("merge")
def merge(
    source: Annotated[str, typer.Argument(help="The mistaken source, outside the protocol.")],
    into: Annotated[str, typer.Argument(help="The source its records and imports move to.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Move every record and import of SOURCE into INTO; SOURCE is kept, empty, and the
    status, flow table and PRISMA diagram count its records under INTO.

    Example: metasummary source merge acm.bib "ACM Digital Library"
    """
    with open_project(project_dir, db) as project:
        result = project.sources.merge(source, into)
    _report(result, as_json, "merged into")


@source_app.command("unmerge")
def unmerge(
    source: Annotated[str, typer.Argument(help="A source merged into another.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Undo a merge: exactly the records and imports it moved go back to SOURCE.

    Example: metasummary source unmerge acm.bib
    """
    with open_project(project_dir, db) as project:
        result = project.sources.unmerge(source)
    _report(result, as_json, "taken back from")


def _report(result: MergeResult, as_json: bool, verb: str) -> None:
    if as_json:
        print_json(result.to_dict())
        return
    out = console()
    out.print(
        f"'{result.source}' {verb} '{result.into}': {result.records} record(s), "
        f"{len(result.imports)} import(s)",
        markup=False,
        soft_wrap=True,
    )
    for earlier, moved in result.same_files:
        out.print(
            f"warning: imports {earlier} and {moved} hold the same file in '{result.into}'; "
            f"undo one of them (metasummary import undo {moved})",
            markup=False,
            soft_wrap=True,
        )
