"""``snowball``: start a round from the included papers; list rounds; is one due; replay one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json, print_retry
from metasummary.models import Phase
from metasummary.snowball import RoundResult, RoundSettings, RoundSummary
from metasummary.snowball.collect import Progress as ProgressCallback

GROBID_ENV = "METASUMMARY_GROBID_URL"
_PHASE = {Phase.FULL_TEXT.value: "FT", Phase.TITLE_ABSTRACT.value: "T/A"}

snowball_app = typer.Typer(
    help="Snowballing rounds: backward and forward citations of the included papers.",
    invoke_without_command=True,
)

DirectionOption = Annotated[
    str,
    typer.Option(
        "--direction", "-d", help="backward (papers they cite), forward (citing them) or both."
    ),
]
PhaseOption = Annotated[
    Phase,
    typer.Option(
        "--from-phase", help="Start from papers included at full-text or at title-abstract."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(snowball_app, name="snowball")


@contextmanager
def _progress_bar(enabled: bool, out: Console) -> Iterator[ProgressCallback | None]:
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn("Snowballing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}", style="dim"),
        console=out,
        transient=True,
    )
    tasks: list[TaskID] = []

    def advance(done: int, total: int, what: str) -> None:
        if not tasks:  # shown once the work starts, so a refusal prints one line alone
            bar.start()
            tasks.append(bar.add_task("", total=total))
        bar.update(tasks[0], completed=done, total=total, description=what[:50])

    try:
        yield advance
    finally:
        if tasks:
            bar.stop()


@snowball_app.callback()
def snowball(
    ctx: typer.Context,
    direction: DirectionOption = "both",
    from_phase: PhaseOption = Phase.FULL_TEXT,
    year_from: Annotated[
        int | None, typer.Option("--year-from", help="Leave out papers published before.")
    ] = None,
    max_per_paper: Annotated[
        int | None,
        typer.Option(
            "--max-per-paper",
            help="At most N candidates per paper and direction (forward: the most cited).",
        ),
    ] = None,
    no_openalex: Annotated[
        bool,
        typer.Option(
            "--no-openalex",
            help="Only the cited references the imported records carry (no network).",
        ),
    ] = False,
    grobid: Annotated[
        str,
        typer.Option(
            "--grobid",
            envvar=GROBID_ENV,
            help="A GROBID server URL: also read the reference lists of the full-text PDFs.",
            show_default=False,
        ),
    ] = "",
    offline: Annotated[
        bool, typer.Option("--offline", help="Use only answers already in the review's cache.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Start a round even when none is due.")
    ] = False,
    by: Annotated[
        str, typer.Option("--by", help="Reviewer code recorded with the round.", show_default=False)
    ] = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Start the next snowballing round from the currently included papers.

    Backward finds the papers they cite, forward the papers citing them, through OpenAlex
    and the cited references of Web of Science and Scopus exports. Each round is a source
    ("Snowballing round N"); new candidates join the screening queue, papers already in the
    review gain the new provenance. Answers are cached, so an interrupted round resumes.

    Example: metasummary snowball --direction both --year-from 2015 --max-per-paper 200
    """
    if ctx.invoked_subcommand is not None:
        return
    settings = RoundSettings(
        direction=direction,
        from_phase=from_phase,
        year_from=year_from,
        max_per_paper=max_per_paper,
        openalex=not no_openalex,
        grobid=grobid.strip(),
    )
    err = console(stderr=True)
    with open_project(project_dir, db) as project, _progress_bar(not as_json, err) as report:
        result = project.snowball.run(
            settings,
            offline=offline,
            force=force,
            actor=by,
            progress=report,
            on_retry=print_retry(err),
        )
    if as_json:
        print_json(result.to_dict())
    else:
        render_result(result)


def render_result(result: RoundResult) -> None:
    out = console()
    out.print(
        f"{result.source}: {result.candidates} candidate(s) from {result.seeds} included "
        f"paper(s) ({result.direction}): {result.new} new, {result.known} already in the review",
        markup=False,
        soft_wrap=True,
    )
    out.print(
        f"{result.followed} of {result.seeds} seed(s) had citations to follow",
        markup=False,
    )
    fetched = f"{result.fetched} answer(s) fetched, {result.from_cache} from the cache"
    out.print(fetched, markup=False)
    if result.unresolved:
        out.print(
            f"{result.unresolved} paper(s) not found in OpenAlex: only the references their "
            "exports carry were followed",
            markup=False,
        )
    if result.maybe_pairs:
        out.print(f"{result.maybe_pairs} doubtful duplicate(s): metasummary dedup review")
    for note in result.notes:
        out.print(f"note: {note}", markup=False, soft_wrap=True)
    if result.new:
        out.print("Next: screen the new candidates, then metasummary snowball status")
    elif result.candidates:
        out.print(f"Round {result.round} found no new paper: snowballing is complete")
    else:
        out.print(
            f"Round {result.round} found no candidate at all; that says nothing about "
            "completeness: check the seeds' references (metasummary snowball status)",
            markup=False,
        )


@snowball_app.command("rounds")
def rounds(
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the rounds: seeds, candidates, new and already known, screened, included.

    Example: metasummary snowball rounds --json
    """
    with open_project(project_dir, db) as project:
        found = project.snowball.rounds()
    if as_json:
        print_json([r.to_dict() for r in found])
        return
    render_rounds(found)


def render_rounds(found: list[RoundSummary]) -> None:
    out = console()
    if not found:
        out.print("No snowballing round yet: metasummary snowball")
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        title="Snowballing rounds",
        title_justify="left",
        pad_edge=False,
        padding=0,
        show_edge=False,
    )
    table.add_column("Round", justify="right")
    table.add_column("Date", no_wrap=True)
    table.add_column("Direction", no_wrap=True)
    table.add_column("From", no_wrap=True)
    for column in ("Seeds", "Candidates", "New", "Known", "Screened", "Included"):
        table.add_column(column, justify="right")
    for r in found:
        table.add_row(
            str(r.round),
            r.date[:10],
            r.direction,
            _PHASE[r.from_phase],
            *(str(n) for n in (r.seeds, r.candidates, r.new, r.known, r.screened, r.included)),
        )
    out.print(table)


@snowball_app.command("status")
def status(
    direction: DirectionOption = "both",
    from_phase: PhaseOption = Phase.FULL_TEXT,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Say whether another round is due: rounds repeat until one adds no new inclusion.

    Example: metasummary snowball status
    """
    with open_project(project_dir, db) as project:
        state = project.snowball.status(direction=direction, from_phase=from_phase)
    if as_json:
        print_json(state.to_dict())
        return
    out = console()
    out.print(f"{'Due' if state.due else 'Not due'}: {state.reason}", markup=False, soft_wrap=True)
    if state.due:
        way = "" if direction == "both" else f" --direction {direction}"
        out.print(f"Next: metasummary snowball{way}")


@snowball_app.command("replay")
def replay(
    number: Annotated[int, typer.Argument(help="The round to replay.", show_default=False)],
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compute a round again from the review's cache, offline, and compare it with what it
    stored (same papers, seeds and directions). Writes nothing.

    Example: metasummary snowball replay 1
    """
    with open_project(project_dir, db) as project:
        report = project.snowball.replay(number)
    if as_json:
        print_json(report.to_dict())
    else:
        out = console()
        verdict = "the same result" if report.same else "a different result"
        out.print(
            f"Round {report.round} replayed offline ({report.from_cache} cached answer(s)): "
            f"{verdict}; {report.candidates} candidate(s), {report.stored} stored",
            markup=False,
            soft_wrap=True,
        )
        for paper, seed, direction in report.missing:
            out.print(f"  stored, not replayed: record {paper} from {seed} ({direction})")
        for found, seed, direction in report.added:
            out.print(f"  replayed, not stored: {found} from {seed} ({direction})")
    if not report.same:
        raise typer.Exit(1)
