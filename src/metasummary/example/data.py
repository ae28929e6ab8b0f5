"""The built-in example's data files (``example/cain2023``), read into plain values.

The files are made only from the CAIN 2023 talk and the papers it names; their headers say
where each value comes from and what was ambiguous. :mod:`metasummary.example.demo` feeds
them through the real pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from io import StringIO
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

EXAMPLE = "cain2023"
IMPORTS = (("ieee.ris", "IEEE"), ("acm.bib", "ACM"), ("springer.ris", "Springer"))
"""Each library export of the example and the protocol source it goes into."""
EXTRACTION = "extraction.csv"
EXTRACTION_SHEET = "extraction-sheet.csv"
"""The two rows of the talk's extraction sheet: listed RQs, study method, challenges."""


def example_file(name: str) -> str:
    """The text of one of the example's data files."""
    return _resource(name).read_text(encoding="utf-8")


def example_bytes(name: str) -> bytes:
    return _resource(name).read_bytes()


@contextmanager
def example_path(name: str) -> Iterator[Path]:
    """A file system path to one of the example's data files, for the sheet readers."""
    with as_file(_resource(name)) as path:
        yield path


def _resource(name: str) -> Traversable:
    return files("metasummary.example").joinpath(f"{EXAMPLE}/{name}")


def _yaml(name: str) -> Any:
    return YAML(typ="safe").load(StringIO(example_file(name)))


@dataclass(frozen=True, slots=True)
class Exclusion:
    paper: str
    criteria: list[str]
    note: str


@dataclass(frozen=True, slots=True)
class ScreeningPlan:
    reviewer: str
    include: list[str]
    exclude_title_abstract: list[Exclusion]


def screening_plan() -> ScreeningPlan:
    data = _yaml("screening.yaml")
    return ScreeningPlan(
        reviewer=str(data["reviewer"]),
        include=[str(k) for k in data["include"]],
        exclude_title_abstract=[
            Exclusion(str(e["paper"]), [str(c) for c in e["criteria"]], str(e["note"]))
            for e in data["exclude_title_abstract"]
        ],
    )


@dataclass(frozen=True, slots=True)
class FindingSpec:
    paper: str
    kind: str
    text: str
    footnote: str


@dataclass(frozen=True, slots=True)
class ThemeSpec:
    stage: str
    label: str
    reported: int
    description: str
    sub_points: list[str]
    findings: list[FindingSpec]


@dataclass(frozen=True, slots=True)
class Placement:
    """A finding from the extraction sheet, by paper and text, and the theme it goes in."""

    paper: str
    text: str
    theme: str


@dataclass(slots=True)
class Challenges:
    themes: list[ThemeSpec]
    placements: list[Placement]
    unattributed: list[dict[str, Any]] = field(default_factory=list)


def challenges() -> Challenges:
    data = _yaml("challenges.yaml")
    themes = [
        ThemeSpec(
            stage=str(t["stage"]),
            label=str(t["label"]),
            reported=int(t["reported"]),
            description=str(t.get("description") or ""),
            sub_points=[str(p) for p in t.get("sub_points") or []],
            findings=[
                FindingSpec(str(f["paper"]), str(f["kind"]), str(f["text"]), str(f["footnote"]))
                for f in t.get("findings") or []
            ],
        )
        for t in data["themes"]
    ]
    placements = [
        Placement(str(p["paper"]), str(p["text"]), str(p["theme"]))
        for p in data.get("sheet_placements") or []
    ]
    return Challenges(themes, placements, list(data.get("unattributed") or []))
