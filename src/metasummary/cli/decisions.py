"""``import-decisions``: screening decisions made in Rayyan, ASReview LAB, Covidence or
another copy of a review, brought in all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.decide import report_intake, warn
from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.screening_options import PhaseOption
from metasummary.screening.decision_files import COVIDENCE_LISTS, FORMATS
from metasummary.screening.intake import Names, parse_pairs


def register(app: typer.Typer) -> None:
    app.command("import-decisions")(import_decisions)


def import_decisions(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx of decisions.")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", help=f"One of {', '.join(FORMATS)} (default: told from the columns)."
        ),
    ] = None,
    phase: PhaseOption = "title-abstract",
    reviewer: Annotated[
        str,
        typer.Option(
            "--reviewer",
            "-r",
            help="Whose decisions a file naming nobody holds (ASReview, Covidence).",
        ),
    ] = "",
    reviewer_map: Annotated[
        list[str] | None,
        typer.Option(
            "--reviewer-map",
            help="NAME=CODE: a reviewer as the file names them, and their protocol id "
            "(repeatable; names equal to a protocol id or name need none).",
        ),
    ] = None,
    reason: Annotated[
        list[str] | None,
        typer.Option(
            "--reason",
            help="REASON=CODE: an exclusion reason in the file's words, and the criterion it "
            "means (repeatable; a reason equal to a code or a criterion's text needs none).",
        ),
    ] = None,
    default_reason: Annotated[
        str,
        typer.Option(
            "--default-reason",
            help="The criterion code for exclusions the file gives no reason for (ASReview).",
        ),
    ] = "",
    covidence_list: Annotated[
        str | None,
        typer.Option(
            "--list",
            help=f"Covidence list the file holds: {', '.join(COVIDENCE_LISTS)} (default: from "
            "the file name).",
        ),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Bring in screening decisions made elsewhere: Rayyan's CSV export, ASReview LAB's
    dataset export (asreview_label), a Covidence list's CSV, or 'export decisions' of another
    copy. Papers are matched by DOI, then title; those the review lacks are listed. Every
    decision is recorded, or none (each problem named by its line).

    Example: metasummary import-decisions articles.csv --reviewer-map Ann=R1 --reason "design=E2"
    """
    names = Names(
        reviewer=reviewer,
        reviewers=parse_pairs(reviewer_map or [], "reviewer-map"),
        reasons=parse_pairs(reason or [], "reason"),
        default_reason=default_reason.strip(),
    )
    with open_project(project_dir, db) as project:
        result = project.decisions.import_file(
            file, fmt=fmt, phase=phase, covidence_list=covidence_list, names=names
        )
        warn(project.screening.warnings())
    report_intake(result, as_json)
