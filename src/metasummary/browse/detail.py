"""One record in full: its data, where it came from, its duplicate group and its decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from metasummary.errors import NotFoundError
from metasummary.models import PHASES, RecordData, RecordState
from metasummary.screening.standing import Standing
from metasummary.store import Store
from metasummary.store import catalog as store_catalog
from metasummary.store import provenance as store_provenance
from metasummary.store import records as store_records
from metasummary.store.provenance import BatchRow, HistoryRow, MemberRow, OriginRow


@dataclass(slots=True)
class Provenance:
    """Where a record came from: source, import batch and file, entry, snowball seeds."""

    source: str
    source_kind: str
    library: str
    batch: BatchRow | None
    entry_index: int | None
    entry_line: int | None
    original_key: str
    raw_format: str
    added_at: datetime
    origins: list[OriginRow] = field(default_factory=list)


@dataclass(slots=True)
class RecordDetail:
    """Everything the record page shows.

    ``canonical_id`` is the record that stands for the duplicate group (the record itself
    when it is in none); ``decisions`` are those on any member, since a group is screened
    once.
    """

    id: int
    data: RecordData
    provenance: Provenance
    canonical_id: int
    group: list[MemberRow]
    states: dict[str, RecordState]
    decisions: list[HistoryRow]


def record_detail(store: Store, standing: Standing, record_id: int) -> RecordDetail:
    """The record page's content; :class:`NotFoundError` when there is no such record."""
    with store.read() as conn:
        stored = store_records.get(conn, record_id)
        if stored is None:
            raise NotFoundError(f"record {record_id}: no such record in this review")
        source = next(s for s in store_catalog.list_sources(conn) if s.id == stored.source_id)
        batch = (
            store_provenance.batch(conn, stored.batch_id) if stored.batch_id is not None else None
        )
        origins = store_provenance.origins(conn, record_id)
        where = standing.of_record(conn, record_id)
        root = where.root
        group = store_provenance.members(conn, where.members)
        history = store_provenance.history(conn, [m.id for m in group])
    return RecordDetail(
        id=stored.id,
        data=stored.data,
        provenance=Provenance(
            source=source.name,
            source_kind=source.kind,
            library=source.library,
            batch=batch,
            entry_index=stored.data.entry_index,
            entry_line=stored.data.entry_line,
            original_key=stored.data.original_key,
            raw_format=stored.raw_format,
            added_at=stored.created_at,
            origins=origins,
        ),
        canonical_id=root,
        group=group if len(group) > 1 else [],
        states={phase.value: where.states[phase] for phase in PHASES},
        decisions=history,
    )
