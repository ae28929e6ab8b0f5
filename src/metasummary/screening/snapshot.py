"""A whole phase folded at once: groups, votes and states, for queues, conflicts and agreement.

Taken through :meth:`metasummary.screening.standing.Standing.phase`; the states follow the
rules of :mod:`metasummary.screening.state`.

The decision log is append-only, so a snapshot refreshes by folding only the decisions made
since it was taken; the duplicate groups are re-read only when the records changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from metasummary.models import PHASES, Phase, RecordState
from metasummary.screening.state import GroupVotes, state_in_phase
from metasummary.store import catalog
from metasummary.store import decisions as store_decisions
from metasummary.store.counts import record_links
from metasummary.store.decisions import DecisionEntry
from metasummary.store.groups import DuplicateGroups


@dataclass(slots=True)
class PhaseSnapshot:
    """Every group's votes in a phase (and in the phase before it), kept up to date."""

    phase: Phase
    required: dict[Phase, int]
    groups: DuplicateGroups = field(default_factory=lambda: DuplicateGroups([]))
    folded: dict[Phase, dict[int, GroupVotes]] = field(default_factory=dict)
    entries: dict[int, DecisionEntry] = field(default_factory=dict)
    codes: dict[int, str] = field(default_factory=dict)
    last_decision: int = 0
    links_signature: tuple[int, ...] = ()

    @classmethod
    def take(cls, conn: sa.Connection, phase: Phase, required: dict[Phase, int]) -> PhaseSnapshot:
        snapshot = cls(phase, required)
        snapshot.refresh(conn)
        return snapshot

    def refresh(self, conn: sa.Connection) -> set[int] | None:
        """Fold what changed since the last read.

        Returns the roots of the groups whose decisions changed, or ``None`` when the groups
        themselves changed (records added or linked) and everything must be looked at again.
        """
        signature = store_decisions.links_signature(conn)
        rebuilt = signature != self.links_signature
        if rebuilt:
            self.groups = DuplicateGroups(record_links(conn))
            self.links_signature = signature
            self.folded = {p: {} for p in Phase}
            self.entries = {}
            self.last_decision = 0
        self.codes = {r.id: r.code for r in catalog.list_reviewers(conn)}
        touched = {self.add(entry) for entry in store_decisions.since(conn, self.last_decision)}
        return None if rebuilt else touched

    def add(self, entry: DecisionEntry) -> int:
        """Fold one decision in; the root of its group."""
        phase = Phase(entry.phase)
        if phase is self.phase:
            self.entries[entry.id] = entry
        root = self.groups.canonical(entry.record_id)
        self.folded[phase].setdefault(root, GroupVotes()).add(entry)
        self.last_decision = max(self.last_decision, entry.id)
        return root

    def votes(self, root: int) -> GroupVotes:
        return self.folded[self.phase].get(root) or GroupVotes()

    def state(self, root: int) -> RecordState:
        state: RecordState | None = None
        for phase in PHASES[: PHASES.index(self.phase) + 1]:
            state = state_in_phase(state, self.folded[phase].get(root), self.required[phase])
        assert state is not None
        return state

    def eligible(self) -> list[int]:
        """Roots of the groups this phase holds."""
        return [
            root for root in self.groups.roots() if self.state(root) is not RecordState.NOT_ELIGIBLE
        ]
