"""``dedup``: find duplicates across sources, review the doubtful ones, link and unlink by hand."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich import box
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.dedup.engine import DEFAULT_THRESHOLD
from metasummary.dedup.engine import Progress as ProgressCallback
from metasummary.dedup.views import PairView, RunSummary

dedup_app = typer.Typer(
    help="Find duplicate records across sources; review, link and unlink them.",
    invoke_without_command=True,
)

ByOption = Annotated[
    str, typer.Option("--by", help="Reviewer code recorded with the change.", show_default=False)
]
ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="Link duplicates scoring at least this automatically; the rest go to review.",
    ),
]

_STAGES = {
    "normalise": "Normalising",
    "block": "Blocking",
    "compare": "Comparing pairs",
    "cluster": "Grouping",
}


def register(app: typer.Typer) -> None:
    app.add_typer(dedup_app, name="dedup")


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[ProgressCallback | None]:
    if not enabled:
        yield None
        return
    with Progress(
        TextColumn("{task.description:<16}"),
        BarColumn(),
        TextColumn("{task.completed:>9,}/{task.total:,}"),
        TimeElapsedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield report


@dedup_app.callback()
def dedup(
    ctx: typer.Context,
    threshold: ThresholdOption = DEFAULT_THRESHOLD,
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Link duplicates automatically above the threshold; keep the doubtful pairs for review.

    Nothing is deleted: a duplicate points at its group's canonical record and keeps its
    source, so the group is screened and counted once and still shows every source.

    Example: metasummary dedup -p my-review --threshold 0.9
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_project(project_dir, db) as project, _progress_bar(not as_json) as report:
        summary = project.dedup.run(threshold=threshold, actor=by, progress=report)
    if as_json:
        print_json(summary.to_dict())
    else:
        render_summary(summary)


def render_summary(summary: RunSummary) -> None:
    out = console()
    table = Table(box=box.SIMPLE_HEAD, title="Deduplication", title_justify="left")
    table.add_column("")
    table.add_column("count", justify="right")
    rows = [
        ("records compared", summary.records),
        ("candidate pairs", summary.compared),
        ("duplicate pairs", summary.duplicates),
        ("records newly linked", summary.linked),
        ("duplicate groups", summary.groups),
        ("records in groups", summary.in_groups),
        ("maybe pairs found", summary.maybe),
        ("pairs waiting for review", summary.pending),
        ("versions (conference/journal, preprint)", summary.versions),
        ("related (erratum, reply, retraction)", summary.related),
    ]
    for label, value in rows:
        table.add_row(label, f"{value:,}")
    out.print(table)
    out.print(f"threshold {summary.threshold:.2f}; {summary.seconds:.1f} s")
    if summary.pending:
        out.print("Next: metasummary dedup review")


def _record_table(view: PairView) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, expand=True)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column(f"A: record {view.a.id} ({view.source_a})", ratio=1)
    table.add_column(f"B: record {view.b.id} ({view.source_b})", ratio=1)
    a, b = view.a.data, view.b.data
    fields = [
        ("title", a.title, b.title),
        ("authors", "; ".join(a.authors), "; ".join(b.authors)),
        ("year", str(a.year or ""), str(b.year or "")),
        ("venue", a.venue, b.venue),
        ("volume", a.volume, b.volume),
        ("issue", a.issue, b.issue),
        ("pages", a.pages, b.pages),
        ("doi", a.doi, b.doi),
        ("key", a.original_key, b.original_key),
    ]
    for name, left, right in fields:
        if left or right:
            style = "" if left == right else "yellow"
            table.add_row(name, left, right, style=style)
    return table


@dedup_app.command("review")
def review(
    limit: Annotated[int, typer.Option(help="Review at most this many pairs.", min=1)] = 50,
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the maybe pairs side by side and accept (a), reject (r) or skip (s) each; q stops.

    With --json, list the waiting pairs instead of asking.

    Example: metasummary dedup review --by R1 --limit 20
    """
    out = console()
    with open_project(project_dir, db) as project:
        pending = project.dedup.pending()
        if as_json:
            print_json([view.to_dict() for view in pending[:limit]])
            return
        if not pending:
            out.print("No pairs waiting for review.")
            return
        accepted = rejected = shown = 0
        seen: set[int] = set()
        queue = pending
        while shown < limit:
            queue = [v for v in queue if v.pair.id not in seen]
            if not queue:
                break
            view = queue[0]
            seen.add(view.pair.id)
            shown += 1
            score = f"{view.pair.score:.2f}" if view.pair.score is not None else "-"
            out.print(
                f"[bold]Pair {view.pair.id}[/bold] ({shown} of {shown + len(queue) - 1}, "
                f"score {score}): {view.pair.reason}"
            )
            out.print(_record_table(view))
            answer = typer.prompt("Same paper? [a]ccept / [r]eject / [s]kip / [q]uit", default="s")
            choice = answer.strip().lower()[:1]
            if choice == "q":
                break
            if choice in ("a", "r"):
                project.dedup.decide(view.pair.id, accept=choice == "a", actor=by)
                accepted += choice == "a"
                rejected += choice == "r"
            if choice == "a":  # accepting a pair can settle others: ask afresh
                queue = project.dedup.pending()
        left = len(project.dedup.pending())
    out.print(f"{accepted} accepted, {rejected} rejected; {left} pair(s) still waiting")


@dedup_app.command("link")
def link(
    record: Annotated[int, typer.Argument(help="The record to keep as canonical.")],
    duplicate: Annotated[int, typer.Argument(help="The record that duplicates it.")],
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Mark a record (and its group) as a duplicate of another record's group.

    Example: metasummary dedup link 12 345
    """
    with open_project(project_dir, db) as project:
        changed = project.dedup.link(record, duplicate, actor=by)
        canonical = project.record(record).duplicate_of or record
    if changed:
        console().print(
            f"Linked: {len(changed)} record(s) now point at record {canonical} "
            f"({', '.join(map(str, changed))})"
        )
    else:
        console().print(f"Records {record} and {duplicate} are already in one group.")


@dedup_app.command("unlink")
def unlink(
    record: Annotated[int, typer.Argument(help="The record to take out of its group.")],
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Take a record out of its duplicate group (undo a link); later runs keep it apart.

    Example: metasummary dedup unlink 345
    """
    with open_project(project_dir, db) as project:
        changed = project.dedup.unlink(record, actor=by)
    console().print(
        f"Unlinked record {record}; links changed on {len(changed)} record(s) "
        f"({', '.join(map(str, changed))})"
    )


@dedup_app.command("undo")
def undo(
    pair: Annotated[int, typer.Argument(help="The pair whose review to take back.")],
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Take back the latest review of a pair (accept or reject): its verdict and its links.

    Example: metasummary dedup undo 12
    """
    with open_project(project_dir, db) as project:
        found = project.dedup.undo_review(pair, actor=by)
    console().print(
        f"Pair {found.id}: review undone; records {found.record_a} and {found.record_b} are "
        f"{'waiting for review' if found.status == 'candidate' else found.status} again"
    )


@dedup_app.command("groups")
def groups(
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the duplicate groups with every source their records came from.

    Example: metasummary dedup groups --json
    """
    with open_project(project_dir, db) as project:
        found = project.dedup.groups()
    if as_json:
        print_json(
            [{"canonical": g.canonical, "members": g.members, "sources": g.sources} for g in found]
        )
        return
    table = Table(box=box.SIMPLE_HEAD, title=f"{len(found)} duplicate group(s)")
    table.add_column("canonical", justify="right")
    table.add_column("members")
    table.add_column("sources")
    for group in found:
        table.add_row(
            str(group.canonical), ", ".join(map(str, group.members)), ", ".join(group.sources)
        )
    console().print(table)


@dedup_app.command("show")
def show(
    record: Annotated[int, typer.Argument(help="Any record of the group.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the merged view of a record's group: the best value of each field and its origin.

    Example: metasummary dedup show 12
    """
    with open_project(project_dir, db) as project:
        merged = project.dedup.merged(record)
    data = merged.to_dict()
    if as_json:
        print_json(data)
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"Record {merged.canonical} and its group ({len(merged.members)} records)",
        title_justify="left",
    )
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_column("from", no_wrap=True)
    for name, value in data["record"].items():
        origin = data["provenance"].get(name)
        shown = "; ".join(value) if isinstance(value, list) else str(value or "")
        if shown:
            where = f"{origin['record']} ({origin['source']})" if origin else ""
            table.add_row(name, shown, where)
    console().print(table)
