"""``init`` and ``status``: create a review and see where it stands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.table import Table

from metasummary.cli.options import DbOption, JsonOption, ProjectOption, open_project
from metasummary.cli.output import console, print_json
from metasummary.models import Phase
from metasummary.project import Project
from metasummary.screening.status import ProjectStatus


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("status")(status)


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the review in.")],
    title: Annotated[str | None, typer.Option(help="Review title (default: folder name).")] = None,
    db: DbOption = None,
) -> None:
    """Create a review folder with a commented protocol.yaml and an empty review.db.

    Example: metasummary init my-review --title "ML challenges meta-summary"
    """
    with Project.init(directory, title=title, db=db) as project:
        out = console()
        out.print(f"Created review '{project.protocol.title}' in {directory}")
        out.print(f"  protocol: {project.protocol_path}")
        out.print(f"  database: {project.store.display_url}")
        out.print(f"Next: edit {project.protocol_path}, then metasummary status -p {directory}")


def status(
    project_dir: ProjectOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show, per source and per screening phase, how many records there are and where they stand.

    Example: metasummary status -p my-review --json
    """
    with open_project(project_dir, db) as project:
        result = project.status()
    if as_json:
        print_json(result.to_dict())
    else:
        render_status(result)


_PHASE_LABEL = {Phase.TITLE_ABSTRACT: "T/A", Phase.FULL_TEXT: "FT"}


def render_status(result: ProjectStatus) -> None:
    """Two tables: sources by phase (open = not yet decided), then every state per phase."""
    out = console()
    out.print(f"[bold]{result.title}[/bold]")
    out.print(f"{result.database} (schema {result.schema_version})")
    table = Table(
        box=box.SIMPLE_HEAD,
        title="Records per source",
        title_justify="left",
        pad_edge=False,
        collapse_padding=True,
    )
    table.add_column("\nSource", no_wrap=True, overflow="ellipsis", max_width=24)
    table.add_column("\nRecords", justify="right")
    table.add_column("\nDupl.", justify="right")
    for phase in Phase:
        for column in ("in", "out", "open"):
            table.add_column(f"{_PHASE_LABEL[phase]}\n{column}", justify="right")
    rows = [*result.sources, result.total]
    for i, row in enumerate(rows):
        # Snowballing rounds follow the other sources, set apart by a line.
        starts_snowball = row.kind == "snowball" and (i == 0 or rows[i - 1].kind != "snowball")
        if starts_snowball and i > 0:
            table.add_section()
        cells = [row.name, str(row.records), str(row.duplicates)]
        for phase in Phase:
            counts = row.phases[phase.value]
            still_open = counts.eligible - counts.included - counts.excluded
            cells += [str(counts.included), str(counts.excluded), str(still_open)]
        table.add_row(*cells, end_section=i == len(rows) - 2)
    out.print(table)

    phases = Table(
        box=box.SIMPLE_HEAD, title="Unique records per phase", title_justify="left", pad_edge=False
    )
    phases.add_column("State")
    for phase in Phase:
        phases.add_column(phase.value, justify="right")
    for state in ("eligible", "included", "excluded", "maybe", "conflict", "awaiting", "undecided"):
        phases.add_row(state, *(str(getattr(result.total.phases[p.value], state)) for p in Phase))
    out.print(phases)
    out.print(
        f"{result.imports} import(s); {result.findings} finding(s), "
        f"{result.sorted_findings} sorted into {result.themes} theme(s)"
    )
