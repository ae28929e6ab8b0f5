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

from metasummary.models import PHASES, Phase, RecordState, SourceKind
from metasummary.screening.standing import Standing
from metasummary.store import Store
from metasummary.store.catalog import SourceRow, list_sources
from metasummary.store.counts import (
    batch_count,
    groups_found,
    source_counts,
    sources_of,
    synthesis_counts,
)
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
    round: int | None = None
    """A snowballing round's number (its row follows every other source's)."""
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


def _round(source: SourceRow) -> int | None:
    value = source.details.get("round") if source.kind == SourceKind.SNOWBALL else None
    return int(value) if isinstance(value, int) else None


def _flow_order(source: SourceRow) -> tuple[bool, int, int]:
    """Searched and imported sources first, then snowballing, round by round."""
    snowball = source.kind == SourceKind.SNOWBALL
    return snowball, (_round(source) or 0) if snowball else 0, source.id


def collect_status(
    store: Store, *, title: str, path: str, required: dict[Phase, int]
) -> ProjectStatus:
    """Read the store once and fold it into a :class:`ProjectStatus`.

    The cost follows the number of decisions, not of records: record counts come from SQL,
    and only the groups that carry decisions are folded; every other canonical record is
    undecided at title and abstract.
    """
    with store.read() as conn:
        sources = sorted(list_sources(conn), key=_flow_order)
        per_source = source_counts(conn)
        found = groups_found(conn)
        states = Standing(required).decided(conn)
        source_of_root = sources_of(conn, states.decided())
        n_batches = batch_count(conn)
        n_findings, n_themes, n_sorted = synthesis_counts(conn)

    rows = {
        s.id: SourceStatus(name=s.name, kind=s.kind, round=_round(s), reported=s.reported)
        for s in sources
    }
    tallies = {s.id: {p: Counter[RecordState]() for p in Phase} for s in sources}
    for phase in Phase:
        for root, state in states.known[phase].items():
            tallies[source_of_root[root]][phase][state] += 1
    for source_id, (n_records, n_duplicates) in per_source.items():
        row = rows[source_id]
        row.records, row.duplicates, row.unique = n_records, n_duplicates, n_records - n_duplicates
        first = tallies[source_id][PHASES[0]]
        first[RecordState.UNDECIDED] += row.unique - sum(first.values())

    total = SourceStatus(name="Total", kind="")
    total_tally = {p: Counter[RecordState]() for p in Phase}
    for source_id, n_found in found.items():
        rows[source_id].found = n_found
    for source_id, row in rows.items():
        row.phases = {p.value: PhaseCounts.tally(tallies[source_id][p]) for p in Phase}
        total.records += row.records
        total.duplicates += row.duplicates
        total.unique += row.unique
        for phase in Phase:
            total_tally[phase].update(tallies[source_id][phase])
    total.phases = {p.value: PhaseCounts.tally(total_tally[p]) for p in Phase}
    total.found = total.unique  # every group once
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
