"""One duplicate group's decisions in a phase, read with a few targeted queries.

Deciding on one record must not read the whole review: the group's members and their
decisions are enough to check eligibility and fold the current state.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.models import Phase, RecordState
from metasummary.screening.state import GroupVotes
from metasummary.store import decisions as store_decisions
from metasummary.store.decisions import DecisionEntry


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
        if self.phase.previous is not None and self.previous_state is not RecordState.INCLUDED:
            return RecordState.NOT_ELIGIBLE
        return self.votes.state(required)

    def voters(self) -> set[int]:
        return set(self.votes.current())


def fold(entries: list[DecisionEntry]) -> GroupVotes:
    votes = GroupVotes()
    for entry in entries:
        votes.add(entry)
    return votes


def load_group(
    conn: sa.Connection, record_id: int, phase: Phase, required: dict[Phase, int]
) -> GroupContext:
    """The group of ``record_id`` in ``phase``; :class:`InputError` when there is no record."""
    found = store_decisions.group_members(conn, record_id)
    if found is None:
        raise InputError(f"record {record_id}: no such record in this review")
    root, members = found
    entries = store_decisions.for_records(conn, members)
    previous_state: RecordState | None = None
    if phase.previous is not None:
        earlier = [e for e in entries if e.phase == phase.previous.value]
        previous_state = fold(earlier).state(required[phase.previous])
    current = [e for e in entries if e.phase == phase.value]
    return GroupContext(
        record_id=record_id,
        root=root,
        members=members,
        phase=phase,
        votes=fold(current),
        entries={e.id: e for e in current},
        previous_state=previous_state,
    )
