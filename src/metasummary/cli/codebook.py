"""``codebook export`` and ``codebook import``: themes as a REFI-QDA codebook (.qdc)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.options import DbOption, ProjectOption, open_project
from metasummary.cli.output import console

codebook_app = typer.Typer(
    help="The theme hierarchy as a REFI-QDA codebook (QualCoder, ATLAS.ti, MAXQDA, NVivo).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(codebook_app, name="codebook")


@codebook_app.command("export")
def export(
    file: Annotated[Path, typer.Argument(help="The .qdc file to write.")],
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Write stages > themes > sub-points as a REFI-QDA codebook.

    Example: metasummary codebook export themes.qdc
    """
    with open_project(project_dir, db) as project:
        count = project.synthesis.codebook.export(file)
    console().print(f"Wrote {count} theme(s) to {file}")


@codebook_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A REFI-QDA codebook (.qdc).")],
    stage: Annotated[
        str | None,
        typer.Option(help="Stage for top-level codes that are not stages (default: refuse)."),
    ] = None,
    project_dir: ProjectOption = None,
    db: DbOption = None,
) -> None:
    """Add a codebook's codes as themes (one undoable step; themes already there are kept).

    Example: metasummary codebook import qualcoder.qdc --stage QA
    """
    with open_project(project_dir, db) as project:
        result = project.synthesis.codebook.import_file(file, stage=stage)
    console().print(
        f"{result.file}: created {len(result.created)} theme(s), {result.existing} already there"
    )
