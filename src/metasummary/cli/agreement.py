"""``agreement``: how far independent reviewers agreed, per phase and per criterion."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.screening.reliability import PairAgreement, PhaseAgreement


def register(app: typer.Typer) -> None:
    app.command("agreement")(agreement)


def agreement(
    phase: Annotated[
        list[str] | None,
        typer.Option("--phase", help="Phase(s) to report (default: both).", show_default=False),
    ] = None,
    pilot: Annotated[bool, typer.Option("--pilot", help="Only the pilot round's votes.")] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Report Cohen's kappa per reviewer pair, Fleiss' kappa and Krippendorff's alpha for more
    reviewers, and percent agreement, each with a 95 % confidence interval, per phase and per
    criterion.

    Example: metasummary agreement --phase title-abstract --json
    """
    with open_project(project_dir, db) as project:
        reports = project.screening.agreement(phases=phase or (), pilot_only=pilot)
    if as_json:
        print_json([r.to_dict() for r in reports])
        return
    render_agreement(reports, console())


def render_agreement(reports: list[PhaseAgreement], out: Console) -> None:
    for report in reports:
        out.print(
            f"[bold]{report.phase.value}[/bold]: {report.items} records rated by two or more "
            f"reviewers ({', '.join(report.reviewers) or 'none'})"
        )
        if not report.items:
            continue
        out.print(_pair_table("Verdict (include / exclude / maybe)", report.pairs))
        for name, estimate in (
            ("Fleiss' kappa", report.fleiss),
            ("Krippendorff's alpha", report.krippendorff),
        ):
            if estimate is not None:
                out.print(f"  {name}: {estimate.format()} (n = {estimate.n})")
        for criterion in report.criteria:
            out.print(_pair_table(f"Criterion {criterion.code} cited or not", criterion.pairs))
            if len(report.reviewers) > 2:
                out.print(f"  Krippendorff's alpha: {criterion.krippendorff.format()}")


def _pair_table(title: str, pairs: list[PairAgreement]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", pad_edge=False)
    table.add_column("Reviewers")
    table.add_column("n", justify="right")
    table.add_column("Agreement [95 % CI]", justify="right")
    table.add_column("Cohen's kappa [95 % CI]", justify="right")
    for pair in pairs:
        table.add_row(
            f"{pair.first} × {pair.second}",
            str(pair.percent.n),
            pair.percent.format(proportion=True),
            pair.cohen.format(),
        )
    return table
