"""What every stopping rule reads and says: the screening history, the target, a reading.

A rule never decides: it reads the history of a screening (labels in order, which records
were drawn at random) and says whether the team may stop, in plain words, with the figures
behind it. Some rules ask for a random sample of the unscreened records first; the queue
serves those records next and marks them, and they count as screening work like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

Evidence = dict[str, float | int | str | None]


@dataclass(frozen=True, slots=True)
class Target:
    """The recall the protocol asks for, and the confidence a statistical rule must reach."""

    recall: float = 0.95
    confidence: float = 0.95

    @property
    def alpha(self) -> float:
        return 1.0 - self.confidence


@dataclass(frozen=True, slots=True)
class History:
    """A screening so far: labels in order (1 = include or maybe), random draws marked."""

    labels: Sequence[int]
    random: Sequence[bool]
    total: int
    """Records in the phase, screened or not."""

    @property
    def screened(self) -> int:
        return len(self.labels)

    @property
    def found(self) -> int:
        return int(sum(self.labels))

    @property
    def left(self) -> int:
        return self.total - self.screened

    @property
    def checking(self) -> int:
        """Records drawn at random since the last ranked one: a random check under way."""
        run = 0
        for drawn in reversed(self.random):
            if not drawn:
                break
            run += 1
        return run

    @classmethod
    def ranked(cls, labels: Sequence[int], total: int) -> History:
        """A history without random draws."""
        return cls(list(labels), [False] * len(labels), total)


@dataclass(frozen=True, slots=True)
class Reading:
    """A rule's verdict at one point, with its evidence."""

    rule: str
    stop: bool
    statement: str
    """One sentence a reviewer can read, e.g. "p = 0.03 that recall is below 95 %"."""
    evidence: Evidence = field(default_factory=dict)
    sample: int = 0
    """Random records the rule asks to screen next before it can say stop."""

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "stop": self.stop,
            "statement": self.statement,
            "evidence": dict(self.evidence),
            "random_sample_requested": self.sample,
        }


class Rule(Protocol):
    """A stopping rule: ``name`` for the command line, ``title`` for people."""

    name: str
    title: str

    def read(self, history: History, target: Target) -> Reading: ...


def percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3g}"
