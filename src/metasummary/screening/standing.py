"""Where records stand: the one read model of the screening decisions.

Every question about the state of records is asked here — the state of record N, all groups
in phase P with state S, the included papers — by screening itself, status, browse, the
report, snowballing, the synthesis, exports and the web app. The rules are those of
:mod:`metasummary.screening.state`; this module only chooses what to read, sized to the
question: one group, the groups of a few keys, the groups that carry decisions (so the cost
follows the number of decisions, not of records), or the whole review (the report).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.models import PHASES, Phase, RecordState
from metasummary.screening.snapshot import PhaseSnapshot
from metasummary.screening.state import (
    GroupKeys,
    GroupVotes,
    PhaseStates,
    decided_groups,
    default_state,
    fold_decisions,
    phase_states,
    state_in_phase,
)
from metasummary.store import decisions as store_decisions
from metasummary.store import phases as store_phases
from metasummary.store.counts import decision_rows, record_links
from metasummary.store.decisions import DecisionEntry
from metasummary.store.groups import DuplicateGroups


@dataclass(slots=True)
class GroupStanding:
    """One record's duplicate group, its decisions and its state in every phase."""

    record_id: int
    root: int
    members: list[int]
    entries: list[DecisionEntry]
    """Every decision on a member, in log order."""
    votes: dict[Phase, GroupVotes]
    states: dict[Phase, RecordState]


@dataclass(slots=True)
class GroupContext:
    """A group in one phase: its members, its folded votes, and the previous phase's state."""

    record_id: int
    root: int
    members: list[int]
    phase: Phase
    votes: GroupVotes
    entries: dict[int, DecisionEntry]
    previous_state: RecordState | None

    def state(self, required: int) -> RecordState:
        return state_in_phase(self.previous_state, self.votes, required)

    def voters(self) -> set[int]:
        return set(self.votes.current())


@dataclass(slots=True)
class ReviewFold:
    """Every group of the review with its folded decisions and states (what a report counts)."""

    groups: DuplicateGroups
    folded: dict[Phase, dict[int, GroupVotes]]
    states: dict[Phase, dict[int, RecordState]]


def group_keys(conn: sa.Connection) -> GroupKeys:
    """Group keys (``coalesce(duplicate_of, id)``) to canonical records, read cheaply."""
    return GroupKeys(store_phases.chain_links(conn))


class Standing:
    """Answers where records stand, for a review needing ``required`` votes per phase."""

    def __init__(self, required: Mapping[Phase, int]) -> None:
        self.required = dict(required)

    # -- one record ---------------------------------------------------------------------------

    def of_record(self, conn: sa.Connection, record_id: int) -> GroupStanding:
        """The group of ``record_id`` and its state in every phase, read with a few targeted
        queries; :class:`InputError` when there is no such record."""
        found = store_decisions.group_members(conn, record_id)
        if found is None:
            raise InputError(f"record {record_id}: no such record in this review")
        root, members = found
        entries = store_decisions.for_records(conn, members)
        votes = {
            phase: GroupVotes.of(e for e in entries if e.phase == phase.value) for phase in PHASES
        }
        states: dict[Phase, RecordState] = {}
        previous: RecordState | None = None
        for phase in PHASES:
            previous = states[phase] = state_in_phase(previous, votes[phase], self.required[phase])
        return GroupStanding(record_id, root, members, entries, votes, states)

    def group(self, conn: sa.Connection, record_id: int, phase: Phase) -> GroupContext:
        """The group of ``record_id`` in ``phase``, as a decision on it needs it."""
        standing = self.of_record(conn, record_id)
        return GroupContext(
            record_id=record_id,
            root=standing.root,
            members=standing.members,
            phase=phase,
            votes=standing.votes[phase],
            entries={e.id: e for e in standing.entries if e.phase == phase.value},
            previous_state=None if phase.previous is None else standing.states[phase.previous],
        )

    # -- some groups ----------------------------------------------------------------------------

    def of_keys(self, conn: sa.Connection, keys: GroupKeys, wanted: Collection[int]) -> PhaseStates:
        """The states of the groups of the keys ``wanted`` (a page of a list, one group)."""
        return PhaseStates.build(*store_phases.decisions_on(conn, wanted), keys, self.required)

    # -- every group ----------------------------------------------------------------------------

    def decided(self, conn: sa.Connection, keys: GroupKeys | None = None) -> PhaseStates:
        """The state of every group that carries a decision; every other group has the
        :func:`~metasummary.screening.state.default_state` of its phase."""
        return PhaseStates.build(
            store_phases.all_decisions(conn),
            store_phases.decided_links(conn),
            keys or group_keys(conn),
            self.required,
        )

    def groups_in(self, conn: sa.Connection, phase: Phase, state: RecordState) -> set[int]:
        """Canonical records of all groups in ``state`` at ``phase``."""
        states = self.decided(conn)
        if state is not default_state(phase):
            return states.with_state(phase, state)
        roots = DuplicateGroups(record_links(conn)).roots()  # undecided groups: all of them
        return {root for root in roots if states.of(root, phase) is state}

    def included(self, conn: sa.Connection, phase: Phase = Phase.FULL_TEXT) -> set[int]:
        """Canonical records of the groups included at ``phase``: the papers every later
        step (exports, the synthesis, snowballing seeds, the report) works on."""
        return self.groups_in(conn, phase, RecordState.INCLUDED)

    def votes(
        self, conn: sa.Connection, keys: GroupKeys | None = None
    ) -> dict[Phase, dict[int, GroupVotes]]:
        """The decisions folded per phase and group, for the groups that carry them."""
        rows = store_phases.all_decisions(conn)
        links = store_phases.decided_links(conn)
        return fold_decisions(rows, decided_groups(rows, links, keys or group_keys(conn)))

    def decided_by(
        self,
        conn: sa.Connection,
        keys: GroupKeys,
        *,
        reviewer_id: int | None = None,
        criterion: str | None = None,
    ) -> set[int]:
        """Canonical records of the groups with a standing decision (a reviewer's current
        vote or the resolution, in either phase) by ``reviewer_id`` citing ``criterion``;
        given both, one decision must match both ("R1 excluded it for E2")."""
        found: set[int] = set()
        for folded in self.votes(conn, keys).values():
            for root, votes in folded.items():
                if any(
                    (reviewer_id is None or row.reviewer_id == reviewer_id)
                    and (criterion is None or criterion in row.criteria)
                    for row in votes.standing()
                ):
                    found.add(root)
        return found

    def phase(self, conn: sa.Connection, phase: Phase) -> PhaseSnapshot:
        """A whole phase folded, to be refreshed incrementally (queues, conflicts, agreement)."""
        return PhaseSnapshot.take(conn, phase, self.required)

    def everything(self, conn: sa.Connection) -> ReviewFold:
        """Every group of the review, decided or not, with its decisions and states."""
        groups = DuplicateGroups(record_links(conn))
        folded = fold_decisions(decision_rows(conn), groups)
        return ReviewFold(groups, folded, phase_states(folded, groups, self.required))
