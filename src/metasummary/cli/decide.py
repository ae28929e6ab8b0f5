"""``decide``, ``undo``, ``queue`` and ``pilot``: screening without the interactive screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from metasummary.errors import InputError

if TYPE_CHECKING:
    from metasummary.screening.decisions import DecisionResult
    from metasummary.screening.intake import IntakeResult
    from metasummary.screening.queue import Queue


def register(app: typer.Typer) -> None:
    app.command("decide")(decide)
    app.command("undo")(undo)
    app.command("queue")(queue)
    app.command("pilot")(pilot)


def report_intake(result: IntakeResult, as_json: bool) -> None:
    """What a file of decisions brought in, and the papers it names that the review lacks."""
    if as_json:
        print_json(result.to_dict())
        return
    out = console()
    out.print(
        f"{result.file} ({result.format}): {result.written} decision(s) recorded on "
        f"{result.records} paper(s); {result.already} already held",
        markup=False,
        soft_wrap=True,
    )
    if result.skipped:
        out.print(f"{result.skipped} row(s) hold no decision (not screened there)")
    if result.unmatched:
        out.print(
            f"{len(result.unmatched)} line(s) name a paper this review does not hold:",
            markup=False,
        )
        for line in result.unmatched:
            out.print(f"  {line}", markup=False, soft_wrap=True)


def warn(lines: list[str]) -> None:
    """Warnings on stderr, so a --json answer on stdout stays clean."""
    err = console(stderr=True)
    for line in lines:
        err.print(f"warning: {line}", markup=False, soft_wrap=True)


def _report(result: DecisionResult, as_json: bool) -> None:
    if as_json:
        print_json(result.to_dict())
        return
    group = f" (group {result.group})" if result.group != result.record_id else ""
    console().print(
        f"record {result.record_id}{group} at {result.phase.value}: {result.kind} recorded; "
        f"now {result.state.value}"
    )


def decide(
    record: Annotated[
        int | None,
        typer.Argument(help="Record id (any member of a duplicate group).", show_default=False),
    ] = None,
    verdict: Annotated[
        str | None,
        typer.Argument(help="include, exclude or maybe (or i, e, m).", show_default=False),
    ] = None,
    reviewer: ReviewerOption = "",
    phase: PhaseOption = "title-abstract",
    criteria: CriteriaOption = None,
    note: NoteOption = "",
    pdf: Annotated[str, typer.Option("--pdf", help="Link or path to the PDF (full text).")] = "",
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="A .csv or .xlsx of decisions (the columns of 'export decisions': record, "
            "phase, reviewer, kind, verdict, criteria, note, pdf), all or none.",
            show_default=False,
        ),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a screening decision; an exclusion names a criterion it meets (E1) or an
    inclusion criterion it does not meet (I2). With --from, record a whole file of them:
    every line or none, each problem named by its line.

    Example: metasummary decide 42 exclude --phase title-abstract --reviewer R1 --criteria E1
    """
    if from_file is not None:
        if record is not None or verdict is not None:
            raise InputError("give either RECORD VERDICT or --from FILE, not both")
        with open_project(project_dir, db) as project:
            taken = project.decisions.decide_from(from_file, reviewer=reviewer)
            warn(project.screening.warnings())
        report_intake(taken, as_json)
        return
    if record is None or verdict is None or not reviewer:
        raise InputError("give RECORD VERDICT and --reviewer CODE (or --from FILE)")
    with open_project(project_dir, db, by=reviewer) as project:
        result = project.screening.decide(
            record,
            phase=phase,
            reviewer=reviewer,
            verdict=verdict,
            criteria=split_codes(criteria),
            note=note,
            pdf=pdf,
        )
        warn(project.screening.warnings())
    _report(result, as_json)


def undo(
    reviewer: ReviewerOption,
    record: Annotated[
        int | None,
        typer.Argument(
            help="Record whose vote to undo (default: your latest).", show_default=False
        ),
    ] = None,
    phase: PhaseOption = "title-abstract",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Undo your latest vote (or your vote on RECORD); the log keeps both.

    Example: metasummary undo --phase title-abstract --reviewer R1
    """
    with open_project(project_dir, db, by=reviewer) as project:
        result = project.screening.retract(record, phase=phase, reviewer=reviewer)
    _report(result, as_json)


def queue(
    reviewer: ReviewerOption,
    phase: PhaseOption = "title-abstract",
    limit: Annotated[int, typer.Option("--limit", help="How many records to list.")] = 10,
    features: Annotated[
        str, typer.Option("--features", help="tfidf, or embeddings (semantic extra).")
    ] = "tfidf",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the records you would screen next, most likely inclusion first, with progress.

    Example: metasummary queue --phase title-abstract --reviewer R1 --limit 5
    """
    with open_project(project_dir, db, by=reviewer) as project:
        warn(project.screening.warnings())
        result = project.screening.queue(phase=phase, reviewer=reviewer, features=features)
        titles = {r.id: r.data.title for r in (project.record(i) for i in result.records[:limit])}
    if as_json:
        print_json({**result.to_dict(), "records": result.records[: max(limit, 0)]})
        return
    render_queue(result, titles, limit)


def render_queue(result: Queue, titles: dict[int, str], limit: int) -> None:
    out = console()
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Record", justify="right")
    table.add_column("Title", overflow="ellipsis", max_width=70, no_wrap=True)
    for i, record in enumerate(result.records[:limit], start=1):
        mark = " (pilot)" if record in result.pilot else ""
        mark += " (random check)" if record in result.check else ""
        table.add_row(str(i), str(record), titles.get(record, "") + mark)
    out.print(table)
    out.print(progress_line(result))


def progress_line(result: Queue) -> str:
    p = result.progress
    left = "n/a" if p.inclusions_left is None else f"~{p.inclusions_left:.0f}"
    knee = "suggests stopping" if p.knee.stop else "not yet"
    rule = f"; stopping rule: {p.stopping.statement}" if p.stopping is not None else ""
    return (
        f"{p.screened}/{p.eligible} screened, {p.included} included, {p.open} open for "
        f"{result.reviewer}; {p.since_inclusion} since the last inclusion; estimated "
        f"inclusions left {left}; knee rule: {knee}{rule}"
    )


def pilot(
    phase: PhaseOption = "title-abstract",
    size: Annotated[
        int | None,
        typer.Option("--size", help="Records in the pilot (default: protocol pilot_size)."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random draw.")] = 0,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draw the pilot round: a seeded random sample every reviewer screens first.

    Example: metasummary pilot --phase title-abstract --size 20 --seed 1
    """
    with open_project(project_dir, db) as project:
        sample = project.screening.start_pilot(phase=phase, size=size, seed=seed)
    if as_json:
        print_json(sample.to_dict())
        return
    console().print(
        f"Pilot for {sample.phase.value}: {len(sample.records)} records (seed {sample.seed}); "
        "every reviewer's queue serves them first. Then: metasummary agreement --pilot"
    )
