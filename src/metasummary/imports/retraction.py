"""Undoing an import, and redoing it: a logged retraction, never a deletion.

``import undo N`` marks batch N retracted; its file, its rows and its records stay in the
database and the event log, but the records leave every count, list, flow, PRISMA diagram
and export (``store/live.py`` says which records count). ``import redo N`` brings them back.

A paper the review also holds from another import stays in the review: when the undone
batch held the canonical record of a duplicate group, the group is re-pointed at the lowest
record that stays (the old canonical record becomes a duplicate of it), so the decisions
made on the group keep counting. A group with no record left leaves with its decisions,
which stay in the log and count again after a redo.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.store import decisions as store_decisions
from metasummary.store import events
from metasummary.store import imports as store_imports
from metasummary.store import records as store_records
from metasummary.store.clock import now
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups
from metasummary.store.imports import BatchRow
from metasummary.store.pairs import set_links


@dataclass(frozen=True, slots=True)
class UndoResult:
    """What ``import undo`` (or ``import redo``) changed."""

    batch_id: int
    source: str
    file: str
    action: str  # undo | redo
    records: int
    """Records of the batch that left the review (or came back)."""
    regrouped: int
    """Records re-pointed at a record that stays, so a shared paper stays in the review."""
    decided: int
    """Records of the batch carrying screening decisions (kept in the log either way)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _batch(conn: sa.Connection, batch_id: int) -> BatchRow:
    batch = store_imports.get(conn, batch_id)
    if batch is None:
        raise InputError(f"import {batch_id}: no such import; see metasummary import-log")
    return batch


def _regroup(groups: DuplicateGroups, leaving: set[int]) -> dict[int, int | None]:
    """New links for the groups whose canonical record leaves while others stay: each
    member points straight at the lowest record that stays."""
    changes: dict[int, int | None] = {}
    for root, members in groups.everyone.items():
        staying = [m for m in members if m not in leaving and m in groups.source_of]
        if root not in leaving or not staying:
            continue
        canonical = min(staying)
        for member in members:
            current = None if member == root else root
            target = None if member == canonical else canonical
            if current != target:
                changes[member] = target
    return changes


def undo_batch(conn: sa.Connection, batch_id: int, *, actor: str, reason: str = "") -> UndoResult:
    """Retract batch ``batch_id`` in the caller's transaction; logged with ``actor``."""
    batch = _batch(conn, batch_id)
    if batch.retracted:
        raise InputError(
            f"import {batch_id} ({batch.file_name}) was already undone on "
            f"{batch.retracted_at:%Y-%m-%d} by {batch.retracted_by or 'someone'}; "
            f"bring it back with: metasummary import redo {batch_id}"
        )
    ids = store_records.ids_of_batch(conn, batch_id)
    groups = DuplicateGroups(record_links(conn))
    changes = _regroup(groups, set(ids))
    set_links(conn, changes)
    store_imports.set_retracted(conn, batch_id, at=now(), by=actor)
    decided = len(store_decisions.records_decided(conn, ids))
    events.log(
        conn,
        "import.undo",
        actor=actor,
        entity="import_batch",
        entity_id=batch_id,
        payload={
            "source": batch.source,
            "file": batch.file_name,
            "records": len(ids),
            "decided": decided,
            "reason": reason,
            "regrouped": {str(rid): target for rid, target in sorted(changes.items())},
        },
    )
    return UndoResult(
        batch_id, batch.source, batch.file_name, "undo", len(ids), len(changes), decided
    )


def redo_batch(
    conn: sa.Connection, batch_id: int, *, actor: str, again: bool = False
) -> UndoResult:
    """Count batch ``batch_id`` again in the caller's transaction; logged with ``actor``."""
    batch = _batch(conn, batch_id)
    if not batch.retracted:
        raise InputError(f"import {batch_id} ({batch.file_name}) counts; there is nothing to redo")
    if not again:
        for other in store_imports.with_sha256(conn, batch.sha256):
            if other.id != batch_id and not other.retracted:
                raise InputError(
                    f"import {batch_id}: the same file is import {other.id} in "
                    f"'{other.source}' now; redoing it would count its records twice (undo "
                    f"{other.id} first, or give --again)"
                )
    undone = [
        e
        for e in events.of_entity(conn, "import_batch", batch_id)
        if e.action == "import.undo" and not e.undone
    ]
    store_imports.set_retracted(conn, batch_id, at=None)
    ids = store_records.ids_of_batch(conn, batch_id)
    if undone:
        events.mark_undone(conn, undone[-1].id)
    events.log(
        conn,
        "import.redo",
        actor=actor,
        entity="import_batch",
        entity_id=batch_id,
        payload={"source": batch.source, "file": batch.file_name, "records": len(ids)},
        undoes=undone[-1].id if undone else None,
    )
    return UndoResult(
        batch_id,
        batch.source,
        batch.file_name,
        "redo",
        len(ids),
        0,
        len(store_decisions.records_decided(conn, ids)),
    )
