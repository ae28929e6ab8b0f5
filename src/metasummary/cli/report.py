"""``report``: write the review's report (HTML, Markdown, LaTeX, XLSX) from its data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json


def register(app: typer.Typer) -> None:
    app.command("report")(report)


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[str, int, int], None]]:
    """Each step of writing the report as it happens, on stderr (stdout stays for --json);
    only on a terminal, so a pipe or a log gets the result alone."""
    err = console(stderr=True)
    if not enabled or not err.is_terminal:
        yield lambda _what, _done, _total: None
        return
    with Progress(
        TextColumn("{task.description:<44}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("Writing the report", total=None)

        def step(what: str, done: int, total: int) -> None:
            bar.update(task, description=what[:44], completed=done, total=total)

        yield step


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
    with open_project(project_dir, db) as project, _progress_bar(not as_json) as step:
        written = project.report.write(
            out, formats=fmt or ["all"], timestamps=timestamps, progress=step
        )
    if as_json:
        print_json({"folder": str(written.folder), "files": written.files})
        return
    text = console()
    text.print(f"Wrote the report to {written.folder}:")
    for name in written.files:
        if "/" not in name:
            text.print(f"  {name}")
    text.print(f"  {sum('/' in n for n in written.files)} figure files in figures/")
