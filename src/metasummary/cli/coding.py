"""``coding agreement`` and ``coding adopt``: two coders' independent sorts compared."""

from __future__ import annotations

from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.synthesis.coding import AgreementReport, ThemeRef

coding_app = typer.Typer(help="Two coders sorting independently: agreement.", no_args_is_help=True)

CodersOption = Annotated[
    tuple[str, str] | None,
    typer.Option(
        "--coders",
        help="The two coders (reviewer ids); default: the two with a sort.",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(coding_app, name="coding")


@coding_app.command("agreement")
def agreement(
    coders: CodersOption = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Agreement on finding -> theme (and -> stage) between two coders, and the findings to
    reconcile.

    Example: metasummary coding agreement --coders R1 R2
    """
    first, second = coders or (None, None)
    with open_project(project_dir, db) as project:
        report = project.synthesis.coding.agreement(first, second)
    if as_json:
        print_json(report.to_dict())
    else:
        render_agreement(report)


@coding_app.command("adopt")
def adopt(
    coders: CodersOption = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Put every finding both coders sorted into the same theme there in the consensus sort
    (one step; 'sort undo' takes it back).

    Example: metasummary coding adopt --coders R1 R2
    """
    first, second = coders or (None, None)
    with open_project(project_dir, db) as project:
        placed = project.synthesis.coding.adopt_agreed(first, second)
    console().print(f"Placed {len(placed)} agreed finding(s) in the consensus sort")


def _ref(theme: ThemeRef | None) -> str:
    return f"{theme.id} {escape(theme.label)} ({theme.stage})" if theme else "—"


def render_agreement(report: AgreementReport) -> None:
    out = console()
    out.print(
        f"{report.first} and {report.second}: {report.both} of {report.findings} finding(s) "
        f"sorted by both ({report.only_first} only by {report.first}, {report.only_second} "
        f"only by {report.second})"
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Layer")
    for column in ("Percent agreement", "Cohen's kappa", "Krippendorff's alpha"):
        table.add_column(column, justify="right")
    table.add_row(
        "theme",
        report.percent.format(proportion=True),
        report.kappa.format(),
        report.alpha.format(),
    )
    table.add_row(
        "stage",
        report.stage_percent.format(proportion=True),
        report.stage_kappa.format(),
        report.stage_alpha.format(),
    )
    out.print(table)
    if not report.disagreements:
        out.print("No disagreements.")
        return
    listing = Table(
        box=box.SIMPLE_HEAD,
        title=f"{len(report.disagreements)} finding(s) to reconcile",
        title_justify="left",
        pad_edge=False,
    )
    for column in ("Finding", "Text", report.first, report.second, "Consensus"):
        listing.add_column(column)
    for d in report.disagreements:
        listing.add_row(
            str(d.finding_id), escape(d.text), _ref(d.first), _ref(d.second), _ref(d.consensus)
        )
    out.print(listing)
