"""Phase states of the groups that have decisions, for listing and filtering.

The rules are those of :mod:`metasummary.screening.state` (the same functions fold the
decisions); only the groups that have decisions are read, so the cost follows the number of
decisions, not of records. Every other group is undecided in the first phase and not eligible
in the later ones.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from metasummary.models import PHASES, Phase, RecordState
from metasummary.screening.state import fold_decisions, phase_states
from metasummary.store.counts import DecisionRow, RecordLink
from metasummary.store.groups import DuplicateGroups


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
    """The duplicate groups of the records ``rows`` decide on (and of the chains)."""
    decided = {row.record_id for row in rows}
    links = _links(decided, {**keys.chains, **parents}) + _links(
        keys.chains.keys() - decided, keys.chains
    )
    return DuplicateGroups(links)


def default_state(phase: Phase) -> RecordState:
    """The state of a group nobody has decided on yet."""
    return RecordState.UNDECIDED if phase.previous is None else RecordState.NOT_ELIGIBLE


@dataclass(slots=True)
class PhaseStates:
    """The state of every decided group (by canonical record) in every phase."""

    known: dict[Phase, dict[int, RecordState]]

    @classmethod
    def build(
        cls,
        rows: list[DecisionRow],
        parents: dict[int, int],
        keys: GroupKeys,
        required: dict[Phase, int],
    ) -> PhaseStates:
        """Fold ``rows``; ``parents`` gives ``duplicate_of`` of the duplicates among their
        records (a record missing from it is canonical or in a chain ``keys`` knows)."""
        groups = decided_groups(rows, parents, keys)
        return cls(phase_states(fold_decisions(rows, groups), groups, required))

    def of(self, root: int, phase: Phase) -> RecordState:
        return self.known[phase].get(root, default_state(phase))

    def matching(self, phase: Phase, state: RecordState) -> tuple[set[int], bool]:
        """The canonical records to keep for ``state`` in ``phase``, and whether to negate.

        For the state of undecided groups the set lists the decided groups in another
        state (to leave out); for any other state it lists the groups in it (to keep).
        """
        if state is default_state(phase):
            return {root for root, s in self.known[phase].items() if s is not state}, True
        return {root for root, s in self.known[phase].items() if s is state}, False


def state_filter(
    states: PhaseStates, keys: GroupKeys, wanted: dict[Phase, RecordState]
) -> tuple[set[int] | None, set[int]]:
    """Group keys a listed record must have (None: any) and must not have."""
    keep: set[int] | None = None
    drop: set[int] = set()
    for phase in PHASES:
        if phase not in wanted:
            continue
        roots, negate = states.matching(phase, wanted[phase])
        if negate:
            drop |= keys.keys_of(roots)
        else:
            found = keys.keys_of(roots)
            keep = found if keep is None else keep & found
    if keep is not None:
        return keep - drop, set()
    return None, drop
