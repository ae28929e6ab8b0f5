"""The built-in example review: a miniature of the CAIN 2023 meta-summary.

``build_demo`` creates the example project from the data files in ``examples/cain2023``.
Later steps of the pipeline (import, screening, synthesis, report) add to it as they land.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from metasummary.errors import ProjectError
from metasummary.project import Project

EXAMPLE = "cain2023"


def example_file(name: str) -> str:
    """The text of one of the example's data files."""
    return files("metasummary").joinpath(f"examples/{EXAMPLE}/{name}").read_text(encoding="utf-8")


def build_demo(directory: Path) -> Project:
    """Create the example review in ``directory`` (which must not hold a review yet)."""
    if (directory / "protocol.yaml").exists():
        raise ProjectError(f"{directory}: already holds a review; give another folder")
    return Project.init(directory, protocol_text=example_file("protocol.yaml"))
