"""``quality answer | show | agreement | export | import``: the quality checklist per paper."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.cli.screening_options import ReviewerOption
from metasummary.cli.synthesis_options import CsvOption, XlsxOption, sheet_path
from metasummary.errors import InputError
from metasummary.fulltext.quality import PaperQuality

quality_app = typer.Typer(
    help="Quality assessment: the protocol's checklist answered per paper and reviewer.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(quality_app, name="quality")


def _pairs(items: list[str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for item in items:
        question, sep, answer = item.partition("=")
        if not sep or not question.strip():
            raise InputError(f"{item!r}: write each answer as QUESTION=ANSWER (Q1=yes)")
        answers[question.strip()] = answer.strip()
    return answers


def render_papers(papers: list[PaperQuality], questions: list[str]) -> None:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=f"{len(papers)} paper(s) assessed")
    table.add_column("Record", justify="right")
    table.add_column("Title")
    for q in questions:
        table.add_column(q)
    table.add_column("Score", justify="right")
    for paper in papers:
        cells = [
            " / ".join(f"{r}:{a}" for r, a in sorted(paper.answers.get(q, {}).items()))
            for q in questions
        ]
        mark = "" if paper.complete else " (incomplete)"
        table.add_row(str(paper.record_id), escape(paper.title), *cells, f"{paper.score:g}{mark}")
    console().print(table)


@quality_app.command("answer")
def answer(
    record: Annotated[int, typer.Argument(help="The paper's record id.")],
    answers: Annotated[list[str], typer.Argument(help="QUESTION=ANSWER pairs (Q1=yes Q2=no).")],
    reviewer: ReviewerOption,
    note: Annotated[str, typer.Option(help="Why, in a few words.")] = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer checklist questions for a paper; a later answer replaces yours (kept in the
    log), an empty one (Q1=) withdraws it.

    Example: metasummary quality answer 12 Q1=yes Q2=partly --reviewer R1
    """
    with open_project(project_dir, db) as project:
        paper = project.fulltexts.quality.answer(
            record, _pairs(answers), reviewer=reviewer, note=note
        )
        questions = [q.id for q in project.protocol.quality.questions]
    if as_json:
        print_json(paper.to_dict())
    else:
        render_papers([paper], questions)


@quality_app.command("show")
def show(
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every assessed paper: each reviewer's answers and the paper's score.

    Example: metasummary quality show --json
    """
    with open_project(project_dir, db) as project:
        quality = project.fulltexts.quality
        papers = quality.papers()
        checklist = quality.checklist
        below = quality.below()
    if as_json:
        print_json(
            {
                "maximum": checklist.maximum,
                "threshold": checklist.threshold,
                "papers": [p.to_dict() for p in papers],
                "below_threshold": sorted(below),
            }
        )
        return
    render_papers(papers, [q.id for q in checklist.questions])
    if checklist.threshold is not None:
        console().print(
            f"threshold {checklist.threshold:g} of {checklist.maximum:g}: {len(below)} paper(s) "
            "below it are left out of the meta-summary"
        )


@quality_app.command("agreement")
def agreement(
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Agreement per question between the reviewers who both answered it.

    Example: metasummary quality agreement
    """
    with open_project(project_dir, db) as project:
        rows = project.fulltexts.quality.agreement()
    if as_json:
        print_json([r.to_dict() for r in rows])
        return
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Quality assessment agreement")
    for column in ("Question", "Papers", "Reviewers", "Agreement", "Cohen's κ", "Krippendorff's α"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            f"{row.question} {escape(row.text)}",
            str(row.items),
            ", ".join(row.raters),
            row.percent.format() if row.percent else "–",
            row.kappa.format() if row.kappa else "–",
            row.alpha.format() if row.alpha else "–",
        )
    console().print(table)


@quality_app.command("export")
def export(
    reviewer: ReviewerOption,
    xlsx: XlsxOption = None,
    csv: CsvOption = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Write a reviewer's sheet to fill in: a row per included paper, a drop-down per question.

    Example: metasummary quality export --xlsx quality-R1.xlsx --reviewer R1
    """
    from metasummary.fulltext.quality_sheet import export_sheet

    path = sheet_path(xlsx, csv)
    with open_project(project_dir, db) as project:
        count = export_sheet(project.fulltexts.quality, path, reviewer=reviewer)
    console().print(f"Wrote {count} paper(s) to {path}")


@quality_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A filled-in sheet (.xlsx or .csv).")],
    reviewer: Annotated[
        str, typer.Option("--reviewer", "-r", help="Whose answers, when it has no reviewer column.")
    ] = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Read a filled-in quality sheet; with any bad cell nothing is written.

    Example: metasummary quality import quality-R1.xlsx
    """
    from metasummary.fulltext.quality_sheet import import_sheet

    with open_project(project_dir, db) as project:
        count = import_sheet(project.fulltexts.quality, file, reviewer=reviewer, actor=reviewer)
    console().print(f"{file.name}: {count} answer(s) recorded")
