"""Where each record stands in each phase, derived from the append-only decisions.

This module is the one place the rules live; :mod:`metasummary.screening.standing` reads the
decisions and asks it. Per duplicate group and phase:

* a reviewer's vote is their latest one; a retraction cancels their latest vote (undo), so the
  one before it counts again;
* a resolution (third reviewer or consensus) decides, whatever the votes say;
* otherwise, once the phase's required number of reviewers have voted, agreeing votes decide
  and disagreeing ones are a conflict; fewer votes leave the record awaiting;
* a later phase only holds groups that were included in the phase before it; a group nobody
  has decided on is undecided in the first phase and not eligible in the later ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from metasummary.models import Phase, RecordState, Verdict
from metasummary.store.counts import DecisionRow, RecordLink
from metasummary.store.groups import DuplicateGroups

STATE_OF = {
    Verdict.INCLUDE: RecordState.INCLUDED,
    Verdict.EXCLUDE: RecordState.EXCLUDED,
    Verdict.MAYBE: RecordState.MAYBE,
}


@dataclass(slots=True)
class GroupVotes:
    """The decisions on one group in one phase, folded."""

    votes: dict[int, list[DecisionRow]] = field(default_factory=lambda: defaultdict(list))
    resolution: DecisionRow | None = None

    @classmethod
    def of(cls, rows: Iterable[DecisionRow]) -> GroupVotes:
        """``rows`` (one group, one phase, in log order) folded."""
        votes = cls()
        for row in rows:
            votes.add(row)
        return votes

    def add(self, row: DecisionRow) -> None:
        if row.kind == "resolution":
            self.resolution = row
        elif row.kind == "retraction":
            stack = self.votes.get(row.reviewer_id)
            if stack:
                stack.pop()
        else:
            self.votes[row.reviewer_id].append(row)

    def current(self) -> dict[int, DecisionRow]:
        """Each reviewer's standing vote."""
        return {reviewer: stack[-1] for reviewer, stack in self.votes.items() if stack}

    def standing(self) -> list[DecisionRow]:
        """The decisions that count now: every standing vote, and the resolution."""
        rows = list(self.current().values())
        if self.resolution is not None:
            rows.append(self.resolution)
        return rows

    def state(self, required: int) -> RecordState:
        if self.resolution is not None and self.resolution.verdict:
            return STATE_OF[Verdict(self.resolution.verdict)]
        current = self.current()
        if not current:
            return RecordState.UNDECIDED
        if len(current) < required:
            return RecordState.AWAITING
        verdicts = {row.verdict for row in current.values()}
        if len(verdicts) == 1:
            (verdict,) = verdicts
            return STATE_OF[Verdict(verdict)] if verdict else RecordState.UNDECIDED
        return RecordState.CONFLICT


def state_in_phase(
    previous: RecordState | None, votes: GroupVotes | None, required: int
) -> RecordState:
    """A group's state in a phase, given its state in the phase before (None in the first)
    and its folded votes in this one (None when it has none)."""
    if previous is not None and previous is not RecordState.INCLUDED:
        return RecordState.NOT_ELIGIBLE
    return votes.state(required) if votes is not None else RecordState.UNDECIDED


def default_state(phase: Phase) -> RecordState:
    """The state of a group nobody has decided on yet."""
    return RecordState.UNDECIDED if phase.previous is None else RecordState.NOT_ELIGIBLE


def fold_decisions(
    rows: Iterable[DecisionRow], groups: DuplicateGroups
) -> dict[Phase, dict[int, GroupVotes]]:
    """Decisions folded per phase and per group (keyed by the canonical record id)."""
    folded: dict[Phase, dict[int, GroupVotes]] = {phase: {} for phase in Phase}
    for row in rows:
        phase = Phase(row.phase)
        root = groups.canonical(row.record_id)
        folded[phase].setdefault(root, GroupVotes()).add(row)
    return folded


def phase_states(
    folded: Mapping[Phase, Mapping[int, GroupVotes]],
    groups: DuplicateGroups,
    required: Mapping[Phase, int],
) -> dict[Phase, dict[int, RecordState]]:
    """The state of every group in every phase."""
    listed = groups.roots()
    states: dict[Phase, dict[int, RecordState]] = {}
    previous: dict[int, RecordState] | None = None
    for phase in Phase:
        states[phase] = {
            root: state_in_phase(
                None if previous is None else previous.get(root),
                folded[phase].get(root),
                required[phase],
            )
            for root in listed
        }
        previous = states[phase]
    return states


class GroupKeys:
    """Maps a record's group key (``coalesce(duplicate_of, id)``) to its canonical record.

    Links are flat, so a key is its group's canonical record; a chain (a duplicate of a
    duplicate) adds keys that are not, and this follows them.

    Args:
        chains: ``id: duplicate_of`` of the records that are duplicates and have duplicates.
    """

    def __init__(self, chains: dict[int, int]) -> None:
        self.chains = chains
        self._groups = DuplicateGroups(_links(chains, chains))

    def root(self, key: int) -> int:
        return self._groups.canonical(key)

    def keys_of(self, roots: Collection[int]) -> set[int]:
        """Every key whose canonical record is one of ``roots``."""
        keys = set(roots)
        keys.update(key for key in self.chains if self.root(key) in roots)
        return keys

    def expand(self, keys: Collection[int]) -> set[int]:
        """``keys`` and every chain key that leads to the same canonical records."""
        return self.keys_of({self.root(key) for key in keys})


def _links(ids: Iterable[int], parents: dict[int, int]) -> list[RecordLink]:
    # Phase states need only the links; the source (0 here) is not read.
    return [RecordLink(i, 0, parents.get(i)) for i in ids]


def decided_groups(
    rows: list[DecisionRow], parents: dict[int, int], keys: GroupKeys
) -> DuplicateGroups:
    """The duplicate groups of the records ``rows`` decide on (and of the chains).

    ``parents`` gives ``duplicate_of`` of the duplicates among those records (a record
    missing from it is canonical or in a chain ``keys`` knows).
    """
    decided = {row.record_id for row in rows}
    links = _links(decided, {**keys.chains, **parents}) + _links(
        keys.chains.keys() - decided, keys.chains
    )
    return DuplicateGroups(links)


@dataclass(slots=True)
class PhaseStates:
    """The state of every decided group (by canonical record) in every phase; a group that
    is not listed has :func:`default_state`."""

    known: dict[Phase, dict[int, RecordState]]

    @classmethod
    def build(
        cls,
        rows: list[DecisionRow],
        parents: dict[int, int],
        keys: GroupKeys,
        required: Mapping[Phase, int],
    ) -> PhaseStates:
        """Fold ``rows`` (see :func:`decided_groups` for ``parents``)."""
        groups = decided_groups(rows, parents, keys)
        return cls(phase_states(fold_decisions(rows, groups), groups, required))

    def of(self, root: int, phase: Phase) -> RecordState:
        return self.known[phase].get(root, default_state(phase))

    def decided(self) -> set[int]:
        """Every group listed (one with a decision in some phase)."""
        return set().union(*(self.known[phase].keys() for phase in Phase))

    def with_state(self, phase: Phase, state: RecordState) -> set[int]:
        """The listed groups in ``state`` at ``phase``."""
        return {root for root, s in self.known[phase].items() if s is state}

    def matching(self, phase: Phase, state: RecordState) -> tuple[set[int], bool]:
        """The canonical records to keep for ``state`` in ``phase``, and whether to negate.

        For the state of undecided groups the set lists the decided groups in another
        state (to leave out); for any other state it lists the groups in it (to keep).
        """
        if state is default_state(phase):
            return {root for root, s in self.known[phase].items() if s is not state}, True
        return self.with_state(phase, state), False
