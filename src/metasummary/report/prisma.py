"""The counts of a PRISMA 2020 flow diagram, from the records and decisions the review holds.

Identification lists every searched source with its records and the citation searching
(snowballing) candidates; duplicates removed are the records linked into a group held by
another record. Each screening phase counts the duplicate groups it holds, those excluded,
and the exclusions per criterion: the codes on the decision that settled the group (its
resolution, else the agreeing votes). A group excluded citing two criteria counts under
both, so the reasons may add up to more than the exclusions. An inclusion criterion cited on
an exclusion means the record does not meet it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from metasummary.models import Phase, RecordState, SourceKind
from metasummary.protocol import Criteria
from metasummary.screening.state import GroupVotes
from metasummary.store.catalog import SourceRow
from metasummary.store.groups import DuplicateGroups

NO_CODE = "(no criterion given)"
_SETTLED = (RecordState.INCLUDED, RecordState.EXCLUDED)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    label: str
    count: int


@dataclass(slots=True)
class PhaseBox:
    """One screening phase: what it held, excluded (and why), and left undecided."""

    phase: str
    assessed: int
    excluded: int
    reasons: list[Reason] = field(default_factory=list)
    pending: int = 0
    """Groups neither included nor excluded yet (undecided, awaiting, maybe, conflict)."""


@dataclass(slots=True)
class PrismaCounts:
    databases: list[tuple[str, int]]
    other_methods: list[tuple[str, int]]
    duplicates: int
    title_abstract: PhaseBox
    full_text: PhaseBox
    included: int
    not_retrieved: int = 0
    """Reports sought (at full text) whose PDF could not be had: no copy attached, no
    full-text decision, and the open-access look-up found none."""

    @property
    def identified(self) -> int:
        return sum(n for _, n in self.databases)

    @property
    def identified_other(self) -> int:
        return sum(n for _, n in self.other_methods)


def criterion_label(criteria: Criteria, code: str) -> str:
    """``E1: Strictly model-centric …`` or ``I2 not met: It identifies …``."""
    if code == NO_CODE:
        return code
    criterion = criteria.get(code)
    if criterion is None:
        return f"{code} (not in the protocol)"
    inclusion = any(c.code == code for c in criteria.inclusion)
    return f"{code}{' not met' if inclusion else ''}: {criterion.text}"


def settling_codes(votes: GroupVotes) -> list[str]:
    """The criterion codes of the decision(s) that settled a group."""
    if votes.resolution is not None:
        decisive = [votes.resolution]
    else:
        decisive = list(votes.current().values())
    codes: list[str] = []
    for row in decisive:
        codes.extend(c for c in row.criteria if c not in codes)
    return codes


def _phase_box(
    phase: Phase,
    states: Mapping[int, RecordState],
    folded: Mapping[int, GroupVotes],
    criteria: Criteria,
) -> PhaseBox:
    held = [root for root, state in states.items() if state is not RecordState.NOT_ELIGIBLE]
    excluded = [root for root in held if states[root] is RecordState.EXCLUDED]
    tally: Counter[str] = Counter()
    for root in excluded:
        votes = folded.get(root)
        codes = settling_codes(votes) if votes is not None else []
        tally.update(codes or [NO_CODE])
    order = {code: i for i, code in enumerate(criteria.codes())}
    ranked = sorted(tally, key=lambda c: (c == NO_CODE, order.get(c, len(order)), c))
    return PhaseBox(
        phase=phase.value,
        assessed=len(held),
        excluded=len(excluded),
        reasons=[Reason(c, criterion_label(criteria, c), tally[c]) for c in ranked],
        pending=sum(1 for root in held if states[root] not in _SETTLED),
    )


def prisma_counts(
    sources: Sequence[SourceRow],
    groups: DuplicateGroups,
    folded: Mapping[Phase, Mapping[int, GroupVotes]],
    states: Mapping[Phase, Mapping[int, RecordState]],
    criteria: Criteria,
) -> PrismaCounts:
    """The diagram's counts from the sources, groups, folded decisions and group states."""
    held: Counter[int] = Counter(groups.source_of.values())
    databases: list[tuple[str, int]] = []
    other: list[tuple[str, int]] = []
    rounds = any(held[s.id] for s in sources if s.kind == SourceKind.SNOWBALL)
    for source in sources:
        snowball = source.kind == SourceKind.SNOWBALL
        if not held[source.id] and (not source.in_protocol or (snowball and rounds)):
            continue
        (other if snowball else databases).append((source.name, held[source.id]))
    boxes = [_phase_box(phase, states[phase], folded[phase], criteria) for phase in Phase]
    return PrismaCounts(
        databases=databases,
        other_methods=other,
        duplicates=len(groups.source_of) - len(groups.roots()),
        title_abstract=boxes[0],
        full_text=boxes[1],
        included=sum(1 for s in states[Phase.FULL_TEXT].values() if s is RecordState.INCLUDED),
    )
