"""``fulltext attach | list | text | fetch``: the papers' PDFs, attached, read and fetched."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.fulltext import Attached

fulltext_app = typer.Typer(
    help="Full texts: attach the papers' PDFs, read them, fetch open-access copies.",
    no_args_is_help=True,
)

ByOption = Annotated[
    str, typer.Option("--by", help="Who does it (a reviewer id or name), kept with the change.")
]


def register(app: typer.Typer) -> None:
    app.add_typer(fulltext_app, name="fulltext")


def render_attached(results: list[Attached]) -> None:
    out = console()
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for column in ("File", "Record", "Matched by", "Version", "Pages", "Status"):
        table.add_column(column, justify="right" if column in ("Record", "Pages") else "left")
    for item in results:
        table.add_row(
            escape(item.file),
            str(item.record_id or "–"),
            f"{item.how}: {escape(item.detail)}" if item.detail else item.how,
            str(item.version or "–"),
            str(item.pages),
            item.status,
        )
    out.print(table)
    for item in results:
        for warning in item.warnings:
            out.print(f"warning: {escape(warning)}")
        if item.status == "unmatched":
            near = "; ".join(
                f"#{c.record_id} {c.title!r} ({c.score:.0f}%)" for c in item.candidates
            )
            out.print(
                f"{escape(item.file)}: not attached, no record matches"
                + (f"; closest: {escape(near)}" if near else "")
                + f". Attach it with --record N: metasummary fulltext attach {item.file} --record N"
            )


@fulltext_app.command("attach")
def attach(
    paths: Annotated[list[Path], typer.Argument(help="PDF files, or folders of them.")],
    record: Annotated[
        int | None, typer.Option("--record", help="The paper this one PDF is (skips matching).")
    ] = None,
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Attach PDFs to their records: matched by a DOI in the PDF, else by the title on its
    first page; unmatched files are listed with their closest records.

    Each file is copied into fulltexts/ by its sha256; a second file for a paper becomes its
    next version. A broken or encrypted PDF stops the whole attach, nothing written.

    Example: metasummary fulltext attach ~/papers/ --by R1
    """
    with open_project(project_dir, db) as project:
        results = project.fulltexts.attach(paths, record=record, actor=by)
    if as_json:
        print_json([r.to_dict() for r in results])
        return
    render_attached(results)
    attached = sum(1 for r in results if r.status == "attached")
    console().print(f"{attached} of {len(results)} file(s) attached")


@fulltext_app.command("list")
def list_(
    all_versions: Annotated[
        bool, typer.Option("--all-versions", help="Every version, not only the current.")
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the papers' attached PDFs: version, pages, how matched, by whom and when.

    Example: metasummary fulltext list --all-versions
    """
    with open_project(project_dir, db) as project:
        found = project.fulltexts.list(all_versions=all_versions)
    if as_json:
        print_json([f.to_dict() for f in found])
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=f"{len(found)} full text(s)")
    for column in ("Record", "Title", "Version", "Pages", "No text", "Matched by", "By", "At"):
        table.add_column(column)
    for info in found:
        row = info.row
        table.add_row(
            str(info.paper),
            escape(info.title),
            str(row.version),
            str(row.pages),
            ", ".join(str(n) for n in row.details.get("empty_pages", [])),
            row.matched_by,
            escape(row.actor),
            row.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    console().print(table)


@fulltext_app.command("text")
def text(
    record: Annotated[int, typer.Argument(help="The paper's record id.")],
    page: Annotated[int | None, typer.Option("--page", help="Only this page.")] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print a paper's text as extracted, page by page (with --json: offsets too).

    Example: metasummary fulltext text 12 --page 3
    """
    with open_project(project_dir, db) as project:
        pages = project.fulltexts.pages(record)
        if not pages:
            project.fulltexts.require(record)
    chosen = [p for p in pages if page is None or p.page == page]
    if page is not None and not chosen:
        raise typer.BadParameter(f"the PDF has pages 1-{len(pages)}", param_hint="--page")
    if as_json:
        print_json(
            [{"page": p.page, "start": p.start, "text": p.text, "search": p.search} for p in chosen]
        )
        return
    for p in chosen:
        typer.echo(f"--- page {p.page} ---")
        typer.echo(p.search if p.search else "(no text on this page: scanned? OCR it)")


@fulltext_app.command("fetch")
def fetch(
    email: Annotated[
        str,
        typer.Option(help="Your email for Unpaywall (default: the protocol's 'email')."),
    ] = "",
    offline: Annotated[
        bool, typer.Option("--offline", help="Only answers already in the review's cache.")
    ] = False,
    by: ByOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Find legal open-access PDFs (OpenAlex, Unpaywall, arXiv) of the papers included at
    title/abstract that have no full text yet, attach them, and list what was not found.

    Answers are cached and paced; run it again to resume where it stopped.

    Example: metasummary fulltext fetch --email you@example.org
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with open_project(project_dir, db) as project:
        if as_json:
            report = project.fulltexts.fetching.run(email=email, offline=offline, actor=by)
        else:
            with Progress(
                TextColumn("fetching"), BarColumn(), MofNCompleteColumn(), console=console()
            ) as bar:
                task = bar.add_task("fetch", total=None)

                def step(done: int, total: int, _title: str) -> None:
                    bar.update(task, completed=done, total=total)

                report = project.fulltexts.fetching.run(
                    email=email, offline=offline, progress=step, actor=by
                )
    if as_json:
        print_json(report.to_dict())
        return
    out = console()
    found = [o for o in report.outcomes if o.status == "found"]
    out.print(
        f"{report.sought} paper(s) sought: {report.already} already held, {len(found)} found "
        f"and attached, {len(report.not_found)} not retrieved"
    )
    if report.not_found:
        table = Table(
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            title="Not retrieved: get these through your library and attach them",
        )
        for column in ("Record", "Title", "Why"):
            table.add_column(column, overflow="fold")
        for o in report.not_found:
            table.add_row(str(o.record_id), escape(o.title), escape(o.detail))
        out.print(table)
