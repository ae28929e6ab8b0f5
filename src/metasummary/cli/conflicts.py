"""``conflicts list`` and ``conflicts resolve``: the queue of disagreements in dual screening."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.cli.screening_options import (
    CriteriaOption,
    NoteOption,
    PhaseOption,
    ReviewerOption,
    split_codes,
)

conflicts_app = typer.Typer(
    help="List and resolve conflicting screening votes.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(conflicts_app, name="conflicts")


@conflicts_app.command("list")
def list_(
    reviewer: ReviewerOption,
    phase: PhaseOption = "title-abstract",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List groups whose votes disagree (or agree on maybe), with every vote.

    Example: metasummary conflicts list --phase title-abstract --reviewer R3
    """
    with open_project(project_dir, db) as project:
        found = project.screening.conflicts(phase=phase, viewer=reviewer)
    if as_json:
        print_json([c.to_dict() for c in found])
        return
    out = console()
    if not found:
        out.print(f"No conflicts at {phase}.")
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Record", justify="right")
    table.add_column("State")
    table.add_column("Votes", min_width=28, overflow="fold")
    table.add_column("Title", overflow="ellipsis", max_width=40, no_wrap=True)
    for conflict in found:
        votes = "; ".join(
            f"{v.reviewer}: {v.verdict}" + (f" {','.join(v.criteria)}" if v.criteria else "")
            for v in conflict.votes
        )
        table.add_row(str(conflict.group), conflict.state.value, votes, conflict.title)
    out.print(table)
    out.print(f"{len(found)} to resolve: metasummary conflicts resolve RECORD VERDICT ...")


@conflicts_app.command("resolve")
def resolve(
    record: Annotated[int, typer.Argument(help="Record id of the conflicting group.")],
    verdict: Annotated[str, typer.Argument(help="include, exclude or maybe.")],
    reviewer: ReviewerOption,
    phase: PhaseOption = "title-abstract",
    criteria: CriteriaOption = None,
    note: NoteOption = "",
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Replace an earlier resolution (both stay in the log)."),
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Settle a conflict: as a third reviewer, or by consensus when you voted on it yourself.

    A second resolution of the same record is refused unless --replace says it is meant.

    Example: metasummary conflicts resolve 42 exclude --reviewer R3 --criteria E2
    """
    with open_project(project_dir, db, by=reviewer) as project:
        result = project.screening.resolve(
            record,
            phase=phase,
            reviewer=reviewer,
            verdict=verdict,
            criteria=split_codes(criteria),
            note=note,
            replace=replace,
        )
    if as_json:
        print_json(result.to_dict())
        return
    console().print(
        f"record {result.record_id} at {result.phase.value}: resolved, now {result.state.value}"
        " (both votes kept)"
    )
