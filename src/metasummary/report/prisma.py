"""The counts of a PRISMA 2020 flow diagram, from the records and decisions the review holds.

The PRISMA 2020 template for new reviews has two arms: identification via databases and
registers (libraries, API searches, imported files) and via other methods (citation searching:
every snowballing round; manual additions). A duplicate group belongs to the arm of its
canonical record's source. Per arm:

* identified: the records its sources brought in, per source;
* removed before screening: its records linked into a group held by another record (the
  duplicates);
* screened / excluded: its groups at title/abstract, and those excluded there;
* reports sought for retrieval: its groups included at title/abstract; not retrieved: not
  recorded by the review yet (``None``);
* assessed for eligibility / excluded with reasons: its groups at full text, and the
  exclusions per criterion: the codes on the decision that settled the group (its resolution,
  else the agreeing votes). A group excluded citing two criteria counts under both, so the
  reasons may add up to more than the exclusions. An inclusion criterion cited on an exclusion
  means the record does not meet it;
* included: its groups included at full text. The studies included in the review are the sum.

A source may carry counts it reports but the review does not hold as records (the talk's
341 → 86 → 50); each arm sums them (``reported``) so the diagram can show them, marked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from metasummary.models import Phase, RecordState, SourceKind
from metasummary.protocol import Criteria
from metasummary.screening.state import GroupVotes
from metasummary.store.catalog import SourceRow
from metasummary.store.groups import DuplicateGroups

NO_CODE = "(no criterion given)"
OTHER_METHODS = (SourceKind.SNOWBALL, SourceKind.MANUAL)
REPORTED_KEYS = ("identified", "title_abstract", "full_text")
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
    passed: int = 0
    """Groups included at this phase."""


@dataclass(frozen=True, slots=True)
class Reported:
    """Counts an arm's sources report without the review holding the records (``None``: no
    source of the arm reports that count)."""

    identified: int | None
    title_abstract: int | None
    full_text: int | None


@dataclass(slots=True)
class Arm:
    """One identification arm of the diagram and everything that flowed down from it."""

    name: str
    """``databases`` or ``other``."""
    sources: list[tuple[str, int]]
    duplicates: int
    screening: PhaseBox
    eligibility: PhaseBox
    reported: Reported
    reported_by_source: dict[str, Reported] = field(default_factory=dict)
    not_retrieved: int | None = None
    """Reports sought but not retrieved; ``None`` while the review does not record retrieval."""

    @property
    def identified(self) -> int:
        return sum(n for _, n in self.sources)

    @property
    def assessed(self) -> int:
        """Reports assessed for eligibility: those sought, less those not retrieved."""
        return self.eligibility.assessed - (self.not_retrieved or 0)

    @property
    def awaiting(self) -> int:
        """Reports assessed but not decided yet (the ones not retrieved are not among them)."""
        return self.eligibility.pending - (self.not_retrieved or 0)

    @property
    def sought(self) -> int:
        return self.screening.passed

    @property
    def included(self) -> int:
        return self.eligibility.passed


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
    arms: list[Arm] = field(default_factory=list)
    """The databases arm, then the other-methods arm when it has any source."""

    @property
    def identified(self) -> int:
        return sum(n for _, n in self.databases)

    @property
    def identified_other(self) -> int:
        return sum(n for _, n in self.other_methods)

    @property
    def reported_included(self) -> int | None:
        """Studies included as the sources report them (held counts where none is reported)."""
        if not any(arm.reported.full_text is not None for arm in self.arms):
            return None
        return sum(
            arm.reported.full_text if arm.reported.full_text is not None else arm.included
            for arm in self.arms
        )


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
    roots: Collection[int] | None = None,
) -> PhaseBox:
    chosen = states.items() if roots is None else ((r, states[r]) for r in roots if r in states)
    held = [(root, state) for root, state in chosen if state is not RecordState.NOT_ELIGIBLE]
    excluded = [root for root, state in held if state is RecordState.EXCLUDED]
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
        pending=sum(1 for _, state in held if state not in _SETTLED),
        passed=sum(1 for _, state in held if state is RecordState.INCLUDED),
    )


def _reported(rows: Sequence[SourceRow], held: Mapping[str, Mapping[int, int]]) -> Reported:
    """Each count as the sources report it, the counted records where a source reports none;
    ``None`` when no source reports that count."""
    sums: list[int | None] = []
    for key in REPORTED_KEYS:
        if not any(r.reported and r.reported.get(key) is not None for r in rows):
            sums.append(None)
            continue
        total = 0
        for row in rows:
            value = row.reported.get(key) if row.reported else None
            total += int(value) if value is not None else held[key].get(row.id, 0)
        sums.append(total)
    return Reported(sums[0], sums[1], sums[2])


def _listed(sources: Sequence[SourceRow], held: Counter[int]) -> list[SourceRow]:
    """The sources a diagram lists: those holding records, and the protocol's own (a
    protocol's snowballing source is left out once rounds of its own hold the candidates)."""
    rounds = any(held[s.id] for s in sources if s.kind == SourceKind.SNOWBALL)
    listed = []
    for source in sources:
        snowball = source.kind == SourceKind.SNOWBALL
        hidden = not source.in_protocol or (snowball and rounds)
        if held[source.id] or source.reported or not hidden:
            listed.append(source)
    return listed


def prisma_counts(
    sources: Sequence[SourceRow],
    groups: DuplicateGroups,
    folded: Mapping[Phase, Mapping[int, GroupVotes]],
    states: Mapping[Phase, Mapping[int, RecordState]],
    criteria: Criteria,
    *,
    not_retrieved: set[int] | None = None,
) -> PrismaCounts:
    """The diagram's counts from the sources, groups, folded decisions and group states;
    ``not_retrieved`` the groups sought whose report could not be had (``None``: the review
    records no retrieval)."""
    held: Counter[int] = Counter(groups.source_of.values())
    roots = groups.roots()
    counted: dict[str, Counter[int]] = {"identified": held}
    for key, phase in (("title_abstract", Phase.TITLE_ABSTRACT), ("full_text", Phase.FULL_TEXT)):
        counted[key] = Counter(
            groups.source_of[r] for r in roots if states[phase].get(r) is RecordState.INCLUDED
        )
    listed = _listed(sources, held)
    arms: list[Arm] = []
    for name in ("databases", "other"):
        other = name == "other"
        ids = {s.id for s in sources if (s.kind in OTHER_METHODS) == other}
        own = [s for s in listed if s.id in ids]
        if other and not own:
            continue
        arm_roots = [r for r in roots if groups.source_of.get(r) in ids]

        def box(phase: Phase, arm_roots: list[int] = arm_roots) -> PhaseBox:
            return _phase_box(phase, states[phase], folded[phase], criteria, arm_roots)

        arms.append(
            Arm(
                name=name,
                sources=[(s.name, held[s.id]) for s in own],
                duplicates=sum(held[i] for i in ids) - len(arm_roots),
                screening=box(Phase.TITLE_ABSTRACT),
                eligibility=box(Phase.FULL_TEXT),
                reported=_reported(own, counted),
                reported_by_source={s.name: _reported([s], counted) for s in own if s.reported},
                not_retrieved=(
                    None if not_retrieved is None else len(not_retrieved & set(arm_roots))
                ),
            )
        )
    boxes = [_phase_box(phase, states[phase], folded[phase], criteria) for phase in Phase]
    second = arms[1] if len(arms) > 1 else None
    return PrismaCounts(
        databases=arms[0].sources,
        other_methods=second.sources if second else [],
        duplicates=len(groups.source_of) - len(roots),
        title_abstract=boxes[0],
        full_text=boxes[1],
        included=boxes[1].passed,
        not_retrieved=len(not_retrieved or ()),
        arms=arms,
    )
