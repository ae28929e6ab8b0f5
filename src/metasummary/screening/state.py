"""Where each record stands in each phase, derived from the append-only decisions.

Rules, per duplicate group and phase:

* a reviewer's vote is their latest one; a retraction cancels their latest vote (undo), so the
  one before it counts again;
* a resolution (third reviewer or consensus) decides, whatever the votes say;
* otherwise, once the phase's required number of reviewers have voted, agreeing votes decide
  and disagreeing ones are a conflict; fewer votes leave the record awaiting;
* full text only holds groups that were included at title and abstract.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from metasummary.models import Phase, RecordState, Verdict
from metasummary.store.counts import DecisionRow
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
    folded: dict[Phase, dict[int, GroupVotes]],
    groups: DuplicateGroups,
    required: dict[Phase, int],
) -> dict[Phase, dict[int, RecordState]]:
    """The state of every group in every phase."""
    states: dict[Phase, dict[int, RecordState]] = {}
    previous: dict[int, RecordState] | None = None
    for phase in Phase:
        current: dict[int, RecordState] = {}
        for root in groups.roots():
            if previous is not None and previous.get(root) is not RecordState.INCLUDED:
                current[root] = RecordState.NOT_ELIGIBLE
                continue
            votes = folded[phase].get(root)
            current[root] = votes.state(required[phase]) if votes else RecordState.UNDECIDED
        states[phase] = current
        previous = current
    return states
