"""``demo``: build the built-in example review and show what it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from metasummary.cli.output import console
from metasummary.cli.project import render_status
from metasummary.demo import build_demo


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    directory: Annotated[Path, typer.Argument(help="Folder for the example review.")] = Path(
        "metasummary-demo"
    ),
) -> None:
    """Build the built-in example review (a miniature of the CAIN 2023 meta-summary).

    Example: metasummary demo /tmp/demo-review
    """
    out = console()
    with build_demo(directory) as project:
        out.print(f"Built the example review in {directory}:")
        out.print(f"  protocol {project.protocol_path} — {project.protocol.title}")
        out.print(
            f"  {len(project.protocol.sources)} sources with the talk's reported counts, "
            f"{len(project.protocol.seed_papers)} seed papers, "
            f"{len(project.protocol.stages)} card-sort stages"
        )
        render_status(project.status())
