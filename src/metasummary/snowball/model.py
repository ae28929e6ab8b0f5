"""Snowballing's words as types: directions, a round's settings, candidates and origins."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from metasummary.errors import InputError
from metasummary.models import Phase, RecordData


class Direction(StrEnum):
    """Backward: the papers a seed cites. Forward: the papers citing it."""

    BACKWARD = "backward"
    FORWARD = "forward"


DIRECTIONS: dict[str, tuple[Direction, ...]] = {
    "backward": (Direction.BACKWARD,),
    "forward": (Direction.FORWARD,),
    "both": (Direction.BACKWARD, Direction.FORWARD),
}


class Via(StrEnum):
    """Where a candidate was found."""

    OPENALEX = "openalex"
    REFERENCES = "references"  # the cited references an export carries (Web of Science, Scopus)
    GROBID = "grobid"  # the reference list of a PDF, read by a GROBID server


ROUND_SOURCE = "Snowballing round {n}"


@dataclass(frozen=True, slots=True)
class RoundSettings:
    """What a round asks for; kept in the round's source details so it can be replayed."""

    direction: str = "both"
    from_phase: Phase = Phase.FULL_TEXT
    year_from: int | None = None
    max_per_paper: int | None = None
    openalex: bool = True
    grobid: str = ""

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise InputError(f"--direction {self.direction}: use one of {', '.join(DIRECTIONS)}")
        if self.max_per_paper is not None and self.max_per_paper < 1:
            raise InputError(f"--max-per-paper {self.max_per_paper}: give at least 1")
        if self.year_from is not None and not 1000 <= self.year_from <= 2999:
            raise InputError(f"--year-from {self.year_from}: give a four-digit year")
        if not self.openalex and Direction.FORWARD in self.directions:
            raise InputError(
                "forward snowballing needs OpenAlex (the papers citing a seed are not in any "
                "export); use --direction backward with --no-openalex"
            )

    @property
    def directions(self) -> tuple[Direction, ...]:
        return DIRECTIONS[self.direction]

    def to_dict(self) -> dict[str, Any]:
        return {
            "direction": self.direction,
            "from_phase": self.from_phase.value,
            "year_from": self.year_from,
            "max_per_paper": self.max_per_paper,
            "openalex": self.openalex,
            "grobid": self.grobid,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RoundSettings:
        return cls(
            direction=str(values.get("direction", "both")),
            from_phase=Phase(values.get("from_phase", Phase.FULL_TEXT.value)),
            year_from=values.get("year_from"),
            max_per_paper=values.get("max_per_paper"),
            openalex=bool(values.get("openalex", True)),
            grobid=str(values.get("grobid", "")),
        )


@dataclass(frozen=True, slots=True, order=True)
class Origin:
    """The included paper (its group's canonical record) and direction that led to a candidate."""

    seed: int
    direction: Direction


@dataclass(slots=True)
class Candidate:
    """One paper a round found, with every seed and direction that led to it.

    ``key`` names it outside the review (``openalex:W123``, ``doi:10.1/x``, ``ref:...``), so
    a replay of the round can be compared with what was stored.
    """

    key: str
    via: Via
    data: RecordData
    origins: set[Origin] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    """Every key of the candidates merged into this one (its own included)."""

    @property
    def openalex_id(self) -> str:
        return self.key.removeprefix("openalex:") if self.key.startswith("openalex:") else ""
