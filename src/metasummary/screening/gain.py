"""The team's screening of a phase as the stopping rules read it: the gain curve.

A group counts as screened once its state in the phase is settled (included, maybe or
excluded), at the decision that settled it; the curve follows those groups in that order
(1 = included or maybe). Records a reviewer decided as part of a random check are marked
(``screening.check`` events), so the rules know which records were drawn at random. The
team's decision to stop is a ``screening.stop`` event carrying the rule's reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.models import Phase, RecordState
from metasummary.protocol import StoppingSettings
from metasummary.screening.snapshot import PhaseSnapshot
from metasummary.screening.stopping import RULES, History, Reading, Target
from metasummary.store import events

CHECK_EVENT = "screening.check"
STOP_EVENT = "screening.stop"
EXACT_UP_TO = 500
COARSE_POINTS = 25
_SETTLED = {RecordState.INCLUDED: 1, RecordState.MAYBE: 1, RecordState.EXCLUDED: 0}


@dataclass(frozen=True, slots=True)
class StopDecision:
    """The team's logged decision to stop screening a phase."""

    phase: Phase
    actor: str
    at: datetime
    screened: int
    found: int
    eligible: int
    rule: str
    statement: str
    note: str

    def to_dict(self) -> dict[str, object]:
        return {
            "phase": self.phase.value,
            "decided_by": self.actor,
            "decided_at": self.at.isoformat(timespec="seconds"),
            "screened": self.screened,
            "included": self.found,
            "eligible": self.eligible,
            "rule": self.rule,
            "statement": self.statement,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class GainCurve:
    """A phase's screening so far, every rule's reading of it, and any decision to stop."""

    phase: Phase
    history: History
    settings: StoppingSettings
    readings: list[Reading]
    decision: StopDecision | None

    @property
    def target(self) -> Target:
        return Target(self.settings.recall, self.settings.confidence)

    @property
    def followed(self) -> Reading:
        """The reading of the rule the protocol follows."""
        return next(r for r in self.readings if r.rule == self.settings.rule)

    def first_stop(self) -> int | None:
        """Records screened when the followed rule first said stop (``None``: not yet).

        Read at every point up to ``EXACT_UP_TO`` records. Beyond, a reading costs too much to
        take at every point (a dashboard would wait seconds on 1,500 records, minutes on
        100,000): the rule is read at ``COARSE_POINTS`` evenly spaced points, and between the
        last point where it said go on and the first where it said stop the first stop is
        found by halving, as if the rule kept saying stop once it had (the chart's marker,
        not a decision).
        """
        size = len(self.history.labels)
        if size <= EXACT_UP_TO:
            return next((n for n in range(1, size + 1) if self.prefix_says_stop(n)), None)
        below = 0
        for i in range(COARSE_POINTS):
            point = round(size * (i + 1) / COARSE_POINTS)
            if self.prefix_says_stop(point):
                above = point
                while above - below > 1:  # stop at ``above``, not (or not known) at ``below``
                    middle = (above + below) // 2
                    if self.prefix_says_stop(middle):
                        above = middle
                    else:
                        below = middle
                return above
            below = point
        return None

    def prefix_says_stop(self, screened: int) -> bool:
        """Whether the followed rule said stop after the first ``screened`` records."""
        history = History(
            self.history.labels[:screened], self.history.random[:screened], self.history.total
        )
        return RULES[self.settings.rule].read(history, self.target).stop

    def to_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase.value,
            "eligible": self.history.total,
            "screened": self.history.screened,
            "included": self.history.found,
            "recall_target": self.settings.recall,
            "confidence": self.settings.confidence,
            "rule": self.settings.rule,
            "statement": self.followed.statement,
            "stop": self.followed.stop,
            "readings": [r.to_dict() for r in self.readings],
            "curve": list(self.history.labels),
            "random_check": [int(r) for r in self.history.random],
            "decision": None if self.decision is None else self.decision.to_dict(),
        }


def team_history(conn: sa.Connection, snapshot: PhaseSnapshot) -> History:
    """The settled groups of the snapshot's phase in the order they were settled."""
    phase = snapshot.phase
    eligible = snapshot.eligible()
    settled: list[tuple[int, int, int]] = []
    for root in eligible:
        label = _SETTLED.get(snapshot.state(root))
        standing = snapshot.votes(root).standing()
        if label is not None and standing:
            settled.append((max(row.id for row in standing), root, label))
    settled.sort()
    drawn = {
        snapshot.groups.canonical(int(e.entity_id))
        for e in events.of_action(conn, CHECK_EVENT)
        if e.entity_id is not None and e.payload.get("phase") == phase.value
    }
    return History(
        [label for _, _, label in settled], [root in drawn for _, root, _ in settled], len(eligible)
    )


def last_decision(conn: sa.Connection, phase: Phase) -> StopDecision | None:
    found = [
        e
        for e in events.of_action(conn, STOP_EVENT)
        if e.payload.get("phase") == phase.value and not e.undone
    ]
    if not found:
        return None
    event = found[-1]
    p = event.payload
    return StopDecision(
        phase,
        event.actor,
        event.created_at,
        int(p["screened"]),
        int(p["included"]),
        int(p["eligible"]),
        str(p["rule"]),
        str(p["statement"]),
        str(p.get("note", "")),
    )


def gain_curve(
    conn: sa.Connection, snapshot: PhaseSnapshot, settings: StoppingSettings
) -> GainCurve:
    history = team_history(conn, snapshot)
    target = Target(settings.recall, settings.confidence)
    readings = [rule.read(history, target) for rule in RULES.values()]
    return GainCurve(
        snapshot.phase, history, settings, readings, last_decision(conn, snapshot.phase)
    )


def log_stop(conn: sa.Connection, curve: GainCurve, actor: str, note: str) -> int:
    """Log the team's decision to stop, with the followed rule's reading at this point."""
    reading = curve.followed
    return events.log(
        conn,
        STOP_EVENT,
        entity="phase",
        actor=actor,
        payload={
            "phase": curve.phase.value,
            "screened": curve.history.screened,
            "included": curve.history.found,
            "eligible": curve.history.total,
            "rule": reading.rule,
            "stop": reading.stop,
            "statement": reading.statement,
            "evidence": dict(reading.evidence),
            "recall_target": curve.settings.recall,
            "confidence": curve.settings.confidence,
            "note": note,
        },
    )
