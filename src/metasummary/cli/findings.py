"""``findings …``: import, list, add, edit, split, show and export extracted findings."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.cli.synthesis_options import (
    AddPapersOption,
    CsvOption,
    SortCoderOption,
    XlsxOption,
    sheet_path,
)
from metasummary.synthesis.findings import Finding
from metasummary.synthesis.statements import Split

findings_app = typer.Typer(
    help="Findings: statements and quotes from included papers.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(findings_app, name="findings")


def render_findings(findings: list[Finding], *, title: str = "") -> None:
    table = Table(box=box.SIMPLE_HEAD, title=title or None, title_justify="left", pad_edge=False)
    for column in ("ID", "Paper", "Kind", "Value", "Location", "Text"):
        table.add_column(column, justify="right" if column in ("ID", "Paper") else "left")
    for f in findings:
        flag = " (retired)" if f.retired else ""
        table.add_row(str(f.id), str(f.record_id), f.kind, f.value, f.location, f.text + flag)
    console().print(table)


@findings_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx sheet of findings.")],
    split: Annotated[
        Split,
        typer.Option(help="Cut a cell into statements: 'lines' = one per line or bullet."),
    ] = Split.NONE,
    separator: Annotated[
        str, typer.Option(help="Cut a cell into statements at this text instead (e.g. ';').")
    ] = "",
    column: Annotated[
        str | None, typer.Option(help="The column holding the findings (default: by its name).")
    ] = None,
    coder: Annotated[
        str, typer.Option(help="Who extracted them, when the sheet has no coder column.")
    ] = "",
    add_papers: AddPapersOption = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import findings from a sheet; with any bad row nothing is written.

    A 'theme' column (with 'stage' for new themes) places the findings in the card sort.

    Example: metasummary findings import challenges.xlsx --split lines --add-papers
    """
    with open_project(project_dir, db) as project:
        result = project.synthesis.findings.import_file(
            file,
            split=split,
            separator=separator,
            text_column=column,
            coder=coder,
            add_missing=add_papers,
            actor=coder,
        )
    if as_json:
        print_json(asdict(result))
        return
    out = console()
    out.print(f"{result.file}: {result.findings} finding(s) from {result.rows} row(s)")
    if result.duplicates:
        out.print(f"  skipped {result.duplicates} already held")
    if result.papers_added:
        out.print(f"  added {result.papers_added} paper(s) to the review")
    if result.placed:
        out.print(f"  placed {result.placed} in themes ({len(result.themes_created)} new)")


@findings_app.command("list")
def list_(
    paper: Annotated[int | None, typer.Option(help="Only this paper's (a record id).")] = None,
    unsorted: Annotated[
        bool, typer.Option("--unsorted", help="Only those not yet in the coder's sort.")
    ] = False,
    coder: SortCoderOption = "",
    retired: Annotated[
        bool, typer.Option("--retired", help="Include findings replaced by a split.")
    ] = False,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List findings by paper.

    Example: metasummary findings list --unsorted
    """
    with open_project(project_dir, db) as project:
        found = project.synthesis.findings.find(
            record_id=paper, include_retired=retired, unsorted_for=coder if unsorted else None
        )
    if as_json:
        print_json([f.to_dict() for f in found])
    else:
        render_findings(found, title=f"{len(found)} finding(s)")


@findings_app.command("add")
def add(
    paper: Annotated[int, typer.Argument(help="The paper's record id.")],
    text: Annotated[str, typer.Argument(help="The statement or verbatim quote.")],
    location: Annotated[str, typer.Option(help="Page or section.")] = "",
    kind: Annotated[str, typer.Option(help="quote or paraphrase.")] = "paraphrase",
    value: Annotated[str, typer.Option(help="A percentage or count the paper reports.")] = "",
    coder: Annotated[str, typer.Option(help="Who extracted it.")] = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Add one finding to an included paper.

    Example: metasummary findings add 12 "No well-defined process" --location "p. 4"
    """
    with open_project(project_dir, db) as project:
        found = project.synthesis.findings.add(
            paper, text, location=location, kind=kind, value=value, coder=coder, actor=coder
        )
    console().print(f"Added finding {found.id} to paper {found.record_id}")


@findings_app.command("edit")
def edit(
    finding: Annotated[int, typer.Argument(help="The finding's id.")],
    text: Annotated[str | None, typer.Option(help="New text.")] = None,
    location: Annotated[str | None, typer.Option(help="New location.")] = None,
    kind: Annotated[str | None, typer.Option(help="quote or paraphrase.")] = None,
    value: Annotated[str | None, typer.Option(help="New percentage or count.")] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Change a finding; the previous text stays in its history ('findings show').

    Example: metasummary findings edit 7 --text "Unclear accuracy goals" --kind paraphrase
    """
    with open_project(project_dir, db) as project:
        found = project.synthesis.findings.edit(
            finding, text=text, location=location, kind=kind, value=value
        )
    render_findings([found])


@findings_app.command("split")
def split_(
    finding: Annotated[int, typer.Argument(help="The finding's id.")],
    parts: Annotated[list[str], typer.Argument(help="Two or more texts it is split into.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Split a finding into parts; the original is kept, retired, and the parts keep its
    place in every sort.

    Example: metasummary findings split 7 "Unclear accuracy goals" "No test oracle"
    """
    with open_project(project_dir, db) as project:
        found = project.synthesis.findings.split(finding, parts)
    render_findings(found, title=f"Finding {finding} split into {len(found)}")


@findings_app.command("show")
def show(
    finding: Annotated[int, typer.Argument(help="The finding's id.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show a finding with its history: edits, the finding it was split from, its parts.

    Example: metasummary findings show 7
    """
    with open_project(project_dir, db) as project:
        history = project.synthesis.findings.history(finding)
    if as_json:
        print_json(asdict(history))
        return
    render_findings([history.finding])
    out = console()
    if history.parent:
        out.print(f"split from finding {history.parent.id}: {history.parent.text}")
    if history.parts:
        out.print("split into: " + ", ".join(str(p.id) for p in history.parts))
    for change in history.changes:
        detail = ""
        if change["action"] == "finding.edit":
            detail = f" {change.get('before')} -> {change.get('after')}"
        out.print(f"{change['at']} {change['action']}{detail}")


@findings_app.command("export")
def export(
    xlsx: XlsxOption = None,
    csv: CsvOption = None,
    coder: SortCoderOption = "",
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Write every finding with its paper, stage and theme to a sheet.

    Example: metasummary findings export --xlsx findings.xlsx
    """
    path = sheet_path(xlsx, csv)
    with open_project(project_dir, db) as project:
        count = project.synthesis.findings.export(path, coder=coder)
    console().print(f"Wrote {count} finding(s) to {path}")


@findings_app.command("check")
def check(
    paper: Annotated[int | None, typer.Option(help="Only this paper's (a record id).")] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Look every quote up in its paper's full text; list those not found, with the closest
    passage. Exits 1 when a quote is not found.

    Example: metasummary findings check --paper 12
    """
    with open_project(project_dir, db) as project:
        statuses = project.fulltexts.quotes.check(record_id=paper)
    if as_json:
        print_json([s.to_dict() for s in statuses])
    else:
        out = console()
        counts: dict[str, int] = {}
        for s in statuses:
            counts[s.status] = counts.get(s.status, 0) + 1
        for s in statuses:
            if s.status != "not-found":
                continue
            out.print(f"finding {s.finding_id} (paper {s.record_id}) not found: “{escape(s.text)}”")
            if s.closest:
                out.print(
                    f"  closest, p. {s.closest.page} ({s.closest.score:.0f}% alike): "
                    f"“{escape(s.closest.passage)}”"
                )
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        out.print(f"{len(statuses)} quote(s): {summary or 'none to check'}")
    if any(s.status == "not-found" for s in statuses):
        raise typer.Exit(1)
