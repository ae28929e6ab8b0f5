"""Where the rounds stand: per round its seeds, candidates, new and known papers, how many
are screened and included; and whether another round is due.

Rounds repeat until one adds no new inclusion. A round's candidates that were new to the
review are screened like any other record; once all of them are screened, a round that
included none of them ends the snowballing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.models import Phase, RecordState
from metasummary.screening.standing import Standing
from metasummary.screening.state import PhaseStates
from metasummary.snowball.model import DIRECTIONS, Direction, RoundSettings
from metasummary.store.catalog import SourceRow
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups
from metasummary.store.snowball import origin_links, round_sources

_DECIDED = (RecordState.INCLUDED, RecordState.EXCLUDED)


@dataclass(slots=True)
class RoundSummary:
    """One round's counts; ``new`` papers were not in the review before, ``known`` were."""

    round: int
    source: str
    date: str
    direction: str
    from_phase: str
    seeds: int
    candidates: int
    new: int
    known: int
    screened: int
    included: int
    unresolved: int

    @property
    def pending(self) -> int:
        return self.new - self.screened

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pending": self.pending}


@dataclass(slots=True)
class SnowballState:
    """Whether another round is due, and why (or why not)."""

    due: bool
    reason: str
    next_round: int
    included: int
    fresh: dict[str, int] = field(default_factory=dict)
    """Per direction: included papers not yet snowballed that way."""
    last: RoundSummary | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["last"] = self.last.to_dict() if self.last else None
        return data


@dataclass(slots=True)
class RoundBook:
    """The rounds held, read once: their sources, groups and the screening states."""

    sources: list[SourceRow]
    groups: DuplicateGroups
    states: PhaseStates
    origins: dict[int, list[tuple[int, int, str]]]  # source id -> (record, seed, direction)

    @classmethod
    def read(cls, conn: sa.Connection, standing: Standing) -> RoundBook:
        origins: dict[int, list[tuple[int, int, str]]] = {}
        for link in origin_links(conn):
            origins.setdefault(link.source_id, []).append(
                (link.record_id, link.seed_record_id, link.direction)
            )
        states = standing.decided(conn)
        return cls(round_sources(conn), DuplicateGroups(record_links(conn)), states, origins)

    def summaries(self) -> list[RoundSummary]:
        return [self.summary(source) for source in self.sources]

    def summary(self, source: SourceRow) -> RoundSummary:
        details = source.details
        settings = RoundSettings.from_dict(details.get("settings") or {})
        rows = self.origins.get(source.id, [])
        candidates = {self.groups.canonical(record) for record, _, _ in rows}
        new = {  # groups this round brought in: their canonical record is one of its own
            m
            for m, s in self.groups.source_of.items()
            if s == source.id and self.groups.canonical(m) == m
        }
        seeds = {s for ids in (details.get("seeds") or {}).values() for s in ids}
        phase = settings.from_phase
        return RoundSummary(
            round=int(details["round"]),
            source=source.name,
            date=str(details.get("date", "")),
            direction=settings.direction,
            from_phase=phase.value,
            seeds=len({self.groups.canonical(s) for s in seeds}),
            candidates=len(candidates | new),
            new=len(new),
            known=len(candidates - new),
            screened=sum(1 for root in new if self._screened(root, phase)),
            included=sum(1 for root in new if self.states.of(root, phase) is RecordState.INCLUDED),
            unresolved=len(details.get("unresolved") or []),
        )

    def _screened(self, root: int, phase: Phase) -> bool:
        first = self.states.of(root, Phase.TITLE_ABSTRACT)
        if first is RecordState.EXCLUDED or phase is Phase.TITLE_ABSTRACT:
            return first in _DECIDED
        return first is RecordState.INCLUDED and self.states.of(root, phase) in _DECIDED

    def snowballed(self) -> dict[Direction, set[int]]:
        """The papers (canonical record ids) each direction has already started from."""
        done: dict[Direction, set[int]] = {d: set() for d in Direction}
        for source in self.sources:
            for direction, ids in (source.details.get("seeds") or {}).items():
                done[Direction(direction)].update(self.groups.canonical(i) for i in ids)
        return done


def assess(book: RoundBook, included: set[int], direction: str, phase: Phase) -> SnowballState:
    """Whether a round in ``direction`` from the papers included at ``phase`` is due."""
    summaries = book.summaries()
    last = summaries[-1] if summaries else None
    next_round = last.round + 1 if last else 1
    done = book.snowballed()
    fresh = {d.value: len(included - done[d]) for d in DIRECTIONS[direction]}
    state = SnowballState(False, "", next_round, len(included), fresh, last)
    way = "" if direction == "both" else f" {direction}"
    if not included:
        state.reason = (
            f"no paper is included at {phase.value} yet; screen first (or start from "
            "title-abstract inclusions with --from-phase title-abstract)"
        )
    elif last is not None and last.pending and _covers(last.direction, direction):
        state.reason = (
            f"round {last.round} has {last.pending} new candidate(s) left to screen; screen "
            f"them, then start round {next_round}"
        )
    elif not any(fresh.values()):
        if last is not None and last.included == 0:
            state.reason = f"round {last.round} added no new inclusion: snowballing is complete"
        else:
            state.reason = f"every included paper has already been snowballed{way}"
    else:
        state.due = True
        count = max(fresh.values())
        state.reason = (
            f"{count} included paper(s) not yet snowballed{way}: round {next_round} is due"
        )
    return state


def _covers(done: str, asked: str) -> bool:
    """Whether a round going ``done`` went every way ``asked`` goes."""
    return set(DIRECTIONS[asked]) <= set(DIRECTIONS[done])
