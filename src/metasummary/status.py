"""``metasummary status``: per source and per phase, how many records and where they stand.

A duplicate group is counted once, under the source of its canonical record, so the rows add
up to the total; ``duplicates`` says how many of a source's records were linked into a group
held elsewhere, and ``found`` how many distinct papers (groups) the source found, shared ones
included, so every source a group came from is credited with it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from metasummary.grouping import DuplicateGroups
from metasummary.models import Phase, RecordState
from metasummary.screening.state import fold_decisions, phase_states
from metasummary.store import Store
from metasummary.store.catalog import list_sources
from metasummary.store.counts import batch_count, decision_rows, record_links, synthesis_counts
from metasummary.store.schema import SCHEMA_VERSION

_COUNTED = (
    RecordState.INCLUDED,
    RecordState.EXCLUDED,
    RecordState.MAYBE,
    RecordState.CONFLICT,
    RecordState.AWAITING,
    RecordState.UNDECIDED,
)


@dataclass(slots=True)
class PhaseCounts:
    """Groups in one phase by state; ``eligible`` is every group the phase holds."""

    eligible: int = 0
    included: int = 0
    excluded: int = 0
    maybe: int = 0
    conflict: int = 0
    awaiting: int = 0
    undecided: int = 0

    @classmethod
    def tally(cls, states: Counter[RecordState]) -> PhaseCounts:
        counts = cls(**{s.value: states.get(s, 0) for s in _COUNTED})
        counts.eligible = sum(states.get(s, 0) for s in _COUNTED)
        return counts


@dataclass(slots=True)
class SourceStatus:
    name: str
    kind: str
    records: int = 0
    duplicates: int = 0
    unique: int = 0
    found: int = 0
    reported: dict[str, Any] | None = None
    phases: dict[str, PhaseCounts] = field(default_factory=dict)


@dataclass(slots=True)
class ProjectStatus:
    title: str
    path: str
    database: str
    schema_version: int
    sources: list[SourceStatus]
    total: SourceStatus
    imports: int
    findings: int
    themes: int
    sorted_findings: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def collect_status(
    store: Store, *, title: str, path: str, required: dict[Phase, int]
) -> ProjectStatus:
    """Read the store once and fold it into a :class:`ProjectStatus`."""
    with store.read() as conn:
        sources = list_sources(conn)
        groups = DuplicateGroups(record_links(conn))
        folded = fold_decisions(decision_rows(conn), groups)
        n_batches = batch_count(conn)
        n_findings, n_themes, n_sorted = synthesis_counts(conn)
    states = phase_states(folded, groups, required)

    rows = {s.id: SourceStatus(name=s.name, kind=s.kind, reported=s.reported) for s in sources}
    tallies = {s.id: {p: Counter[RecordState]() for p in Phase} for s in sources}
    for record_id, source_id in groups.source_of.items():
        row = rows[source_id]
        row.records += 1
        root = groups.canonical(record_id)
        if root != record_id:
            row.duplicates += 1
            continue
        row.unique += 1
        for phase in Phase:
            tallies[source_id][phase][states[phase][root]] += 1

    total = SourceStatus(name="Total", kind="")
    total_tally = {p: Counter[RecordState]() for p in Phase}
    for root in groups.roots():
        for source_id in groups.sources_of_group(root):
            rows[source_id].found += 1
    total.found = len(groups.roots())
    for source_id, row in rows.items():
        row.phases = {p.value: PhaseCounts.tally(tallies[source_id][p]) for p in Phase}
        total.records += row.records
        total.duplicates += row.duplicates
        total.unique += row.unique
        for phase in Phase:
            total_tally[phase].update(tallies[source_id][phase])
    total.phases = {p.value: PhaseCounts.tally(total_tally[p]) for p in Phase}
    return ProjectStatus(
        title=title,
        path=path,
        database=store.display_url,
        schema_version=SCHEMA_VERSION,
        sources=list(rows.values()),
        total=total,
        imports=n_batches,
        findings=n_findings,
        themes=n_themes,
        sorted_findings=n_sorted,
    )
