"""Correcting sources: rename one, merge a mistaken one into the right one, undo a merge.

Reached as ``project.sources``. Nothing is deleted: a merged source keeps its row (and its
name in the log), pointing at the source it went into; its records and imports move there,
so the status, the flow table and the PRISMA diagram count them under it. Every change is
an event with its actor; ``unmerge`` moves back exactly what the merge moved.

The protocol names its sources: a source it lists is renamed in ``protocol.yaml`` (the old
row then leaves the protocol and can be merged into the new one), never here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.models import SourceKind
from metasummary.review import Review
from metasummary.store import events
from metasummary.store import imports as store_imports
from metasummary.store import records as store_records
from metasummary.store.catalog import (
    SourceRow,
    list_sources,
    source_by_id,
    source_by_name,
    update_source,
)
from metasummary.store.counts import source_counts


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """A source as ``source list`` shows it."""

    name: str
    kind: str
    library: str
    in_protocol: bool
    records: int
    imports: int
    merged_into: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class MergeResult:
    """What a merge (or its undo) moved."""

    source: str
    into: str
    records: int
    imports: list[int] = field(default_factory=list)
    same_files: list[tuple[int, int]] = field(default_factory=list)
    """Imports of the same file (sha256) that now sit in one source: undo one of each."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class SourceEdits:
    """Rename, merge and unmerge sources (``project.sources``)."""

    def __init__(self, review: Review) -> None:
        self.review = review

    def list(self, *, merged: bool = False) -> list[SourceInfo]:
        """Every source with its records and imports (merged-away ones only if asked)."""
        with self.review.store.read() as conn:
            rows = list_sources(conn)
            counts = source_counts(conn)
            batches = store_imports.list_batches(conn)
        names = {r.id: r.name for r in rows}
        return [
            SourceInfo(
                name=row.name,
                kind=row.kind,
                library=row.library,
                in_protocol=row.in_protocol,
                records=counts.get(row.id, (0, 0))[0],
                imports=sum(1 for b in batches if b.source_id == row.id and not b.retracted),
                merged_into=names.get(row.merged_into, "") if row.merged_into else "",
            )
            for row in rows
            if merged or row.merged_into is None
        ]

    def rename(self, old: str, new: str, *, actor: str = "") -> SourceInfo:
        """Give a source outside the protocol another name (rename back to undo it)."""
        new = " ".join(new.split())
        if not new:
            raise InputError("a source needs a name")
        actor = self.review.acting(actor)
        with self.review.store.write() as conn:
            row = _source(conn, old)
            if row.in_protocol:
                raise InputError(
                    f"source '{old}' is named by protocol.yaml: rename it there (the old name "
                    f"then leaves the protocol; move its records with: metasummary source "
                    f"merge '{old}' NEW)"
                )
            taken = source_by_name(conn, new)
            if taken is not None:
                raise InputError(
                    f"source '{new}' already exists; to move '{old}' into it: metasummary "
                    f"source merge '{old}' '{new}'"
                )
            update_source(conn, row.id, name=new)
            events.log(
                conn,
                "source.rename",
                actor=actor,
                entity="source",
                entity_id=row.id,
                payload={"before": old, "after": new},
            )
        return next(s for s in self.list(merged=True) if s.name == new)

    def merge(self, source: str, into: str, *, actor: str = "") -> MergeResult:
        """Move every record and import of ``source`` into ``into``; ``source`` stays,
        empty, pointing there (undo with :meth:`unmerge`)."""
        actor = self.review.acting(actor)
        with self.review.store.write() as conn:
            row, target = _source(conn, source), _source(conn, into)
            _check_merge(row, target)
            record_ids = store_records.ids_of_source(conn, row.id)
            batches = [b for b in store_imports.list_batches(conn) if b.source_id == row.id]
            batch_ids = [b.id for b in batches]
            store_records.move_to_source(conn, record_ids, target.id)
            store_imports.move_to_source(conn, batch_ids, target.id)
            update_source(conn, row.id, merged_into=target.id)
            events.log(
                conn,
                "source.merge",
                actor=actor,
                entity="source",
                entity_id=row.id,
                payload={
                    "source": row.name,
                    "into": target.name,
                    "into_id": target.id,
                    "records": record_ids,
                    "imports": batch_ids,
                },
            )
            held = [b for b in store_imports.list_batches(conn) if b.source_id == target.id]
        moved = set(batch_ids)
        same = sorted(
            (other.id, batch.id)
            for batch in held
            if batch.id in moved and not batch.retracted
            for other in held
            if other.id not in moved and other.sha256 == batch.sha256 and not other.retracted
        )
        return MergeResult(row.name, target.name, len(record_ids), batch_ids, same)

    def unmerge(self, source: str, *, actor: str = "") -> MergeResult:
        """Undo the merge of ``source``: exactly the records and imports it moved go back."""
        actor = self.review.acting(actor)
        with self.review.store.write() as conn:
            row = _source(conn, source)
            if row.merged_into is None:
                raise InputError(f"source '{source}' was not merged into another one")
            merges = [
                e
                for e in events.of_entity(conn, "source", row.id)
                if e.action == "source.merge" and not e.undone
            ]
            if not merges:
                raise InputError(f"source '{source}': its merge is not in the event log")
            merge = merges[-1]
            target = source_by_id(conn, row.merged_into)
            target_id = target.id if target else int(merge.payload["into_id"])
            record_ids = [int(i) for i in merge.payload.get("records", [])]
            batch_ids = [int(i) for i in merge.payload.get("imports", [])]
            still = store_records.filed_under(conn, record_ids, target_id)
            store_records.move_to_source(conn, still, row.id)
            store_imports.move_to_source(conn, batch_ids, row.id)
            update_source(conn, row.id, merged_into=None)
            events.mark_undone(conn, merge.id)
            events.log(
                conn,
                "source.unmerge",
                actor=actor,
                entity="source",
                entity_id=row.id,
                payload={
                    "source": row.name,
                    "from": target.name if target else "",
                    "records": still,
                },
                undoes=merge.id,
            )
        return MergeResult(row.name, target.name if target else "", len(still), batch_ids)


def _source(conn: sa.Connection, name: str) -> SourceRow:
    row = source_by_name(conn, name)
    if row is None:
        known = ", ".join(repr(s.name) for s in list_sources(conn) if s.merged_into is None)
        raise InputError(f"source '{name}': no such source ({known or 'none yet'})")
    return row


def _check_merge(row: SourceRow, target: SourceRow) -> None:
    if row.id == target.id:
        raise InputError(f"source '{row.name}': cannot merge a source into itself")
    if row.in_protocol:
        raise InputError(
            f"source '{row.name}' is named by protocol.yaml: take it out of the protocol "
            "first (its records stay), then merge it"
        )
    for which in (row, target):
        if which.merged_into is not None:
            raise InputError(
                f"source '{which.name}' was already merged into another source; "
                f"metasummary source unmerge '{which.name}' first"
            )
    snowball = SourceKind.SNOWBALL.value
    if (row.kind == snowball) != (target.kind == snowball):
        raise InputError(
            f"'{row.name}' ({row.kind}) and '{target.name}' ({target.kind}): a snowballing "
            "round merges only into another round"
        )
