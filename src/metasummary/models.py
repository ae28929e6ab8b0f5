"""Domain words as types: no I/O here, only values the rest of the package passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SourceKind(StrEnum):
    """Where a source's records come from."""

    LIBRARY = "library"
    API = "api"
    FILE = "file"
    SNOWBALL = "snowball"
    MANUAL = "manual"


class Phase(StrEnum):
    """A screening phase; full text only sees records that passed title and abstract."""

    TITLE_ABSTRACT = "title-abstract"
    FULL_TEXT = "full-text"

    @property
    def previous(self) -> Phase | None:
        return Phase.TITLE_ABSTRACT if self is Phase.FULL_TEXT else None


PHASES: tuple[Phase, ...] = (Phase.TITLE_ABSTRACT, Phase.FULL_TEXT)


class Verdict(StrEnum):
    """One reviewer's vote on a record in a phase."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    MAYBE = "maybe"


class DecisionKind(StrEnum):
    """A vote by one reviewer, or the resolution of a conflict between votes."""

    VOTE = "vote"
    RESOLUTION = "resolution"
    RETRACTION = "retraction"


class RecordState(StrEnum):
    """Where a record stands in a phase, derived from the decisions."""

    INCLUDED = "included"
    EXCLUDED = "excluded"
    MAYBE = "maybe"
    CONFLICT = "conflict"
    AWAITING = "awaiting"  # some but not all required votes are in
    UNDECIDED = "undecided"
    NOT_ELIGIBLE = "not-eligible"  # did not pass the previous phase


@dataclass(frozen=True, slots=True)
class Author:
    """One author as the export gave it, split into family and given names where possible."""

    family: str
    given: str = ""

    def display(self) -> str:
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(slots=True)
class RecordData:
    """One candidate paper in the normalised shape every reader produces.

    ``raw`` keeps the entry as it stood in the file; ``entry_index`` and ``entry_line`` say
    where, so any record can be traced back to its origin.
    """

    title: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    doi: str = ""
    url: str = ""
    keywords: list[str] = field(default_factory=list)
    type: str = ""
    language: str = ""
    publisher: str = ""
    references: list[str] = field(default_factory=list)
    original_key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    raw: str = ""
    entry_index: int | None = None
    entry_line: int | None = None
