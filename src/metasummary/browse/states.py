"""Phase states of the groups that have decisions, for listing and filtering.

The rules are those of :mod:`metasummary.screening.state` (the same functions fold the
decisions); only the groups that have decisions are read, so the cost follows the number of
decisions, not of records. Every other group is undecided in the first phase and not eligible
in the later ones.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from metasummary.grouping import DuplicateGroups
from metasummary.models import PHASES, Phase, RecordState
from metasummary.screening.state import fold_decisions, phase_states
from metasummary.store.counts import DecisionRow, RecordLink


class GroupKeys:
    """Maps a record's group key (``coalesce(duplicate_of, id)``) to its canonical record.

    Links are flat, so a key is its group's canonical record; a chain (a duplicate of a
    duplicate) adds keys that are not, and this follows them.
    """

    def __init__(self, chains: Iterable[RecordLink]) -> None:
        self._links = list(chains)
        self._groups = DuplicateGroups(self._links)

    @property
    def links(self) -> list[RecordLink]:
        return self._links

    def root(self, key: int) -> int:
        return self._groups.canonical(key)

    def keys_of(self, roots: Collection[int]) -> set[int]:
        """Every key whose canonical record is one of ``roots``."""
        keys = set(roots)
        keys.update(link.id for link in self._links if self.root(link.id) in roots)
        return keys

    def expand(self, keys: Collection[int]) -> set[int]:
        """``keys`` and every chain key that leads to the same canonical records."""
        return self.keys_of({self.root(key) for key in keys})


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
        rows: Iterable[DecisionRow],
        links: Iterable[RecordLink],
        keys: GroupKeys,
        required: dict[Phase, int],
    ) -> PhaseStates:
        groups = DuplicateGroups([*links, *keys.links])
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
