"""Import batches: one row per imported file, with the entries left out under --skip-bad."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import import_batches, sources


@dataclass(frozen=True, slots=True)
class BatchRow:
    id: int
    source_id: int
    source: str
    file_name: str
    sha256: str
    format: str
    stored_path: str
    entries: int
    imported: int
    skipped: int
    skipped_entries: list[dict[str, Any]]
    created_at: datetime
    retracted_at: datetime | None = None
    """When the import was undone (``import undo``); None while it counts."""
    retracted_by: str = ""

    @property
    def retracted(self) -> bool:
        return self.retracted_at is not None


def _select() -> sa.Select[Any]:
    return sa.select(
        import_batches.c.id,
        import_batches.c.source_id,
        sources.c.name.label("source"),
        import_batches.c.file_name,
        import_batches.c.sha256,
        import_batches.c.format,
        import_batches.c.stored_path,
        import_batches.c.entries,
        import_batches.c.imported,
        import_batches.c.skipped,
        import_batches.c.skipped_entries,
        import_batches.c.created_at,
        import_batches.c.retracted_at,
        import_batches.c.retracted_by,
    ).join(sources, sources.c.id == import_batches.c.source_id)


def _row(row: sa.Row[Any]) -> BatchRow:
    values = dict(row._mapping)
    values["skipped_entries"] = list(values["skipped_entries"] or [])
    return BatchRow(**values)


def insert(conn: sa.Connection, **values: Any) -> int:
    values.setdefault("skipped_entries", [])
    result = conn.execute(import_batches.insert().values(created_at=now(), **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update(conn: sa.Connection, batch_id: int, **values: Any) -> None:
    conn.execute(import_batches.update().where(import_batches.c.id == batch_id).values(**values))


def find(conn: sa.Connection, source_id: int, sha256: str) -> BatchRow | None:
    """The batch that brought the file with ``sha256`` into the source, if any."""
    query = _select().where(
        import_batches.c.source_id == source_id, import_batches.c.sha256 == sha256
    )
    row = conn.execute(query.order_by(import_batches.c.id)).first()
    return _row(row) if row else None


def with_sha256(conn: sa.Connection, sha256: str) -> list[BatchRow]:
    """Every batch of the file with ``sha256``, in any source, oldest first."""
    query = _select().where(import_batches.c.sha256 == sha256).order_by(import_batches.c.id)
    return [_row(row) for row in conn.execute(query)]


def set_retracted(conn: sa.Connection, batch_id: int, *, at: datetime | None, by: str = "") -> None:
    """Mark a batch undone (``at`` a time) or counted again (``at`` None)."""
    update(conn, batch_id, retracted_at=at, retracted_by=by if at is not None else "")


def get(conn: sa.Connection, batch_id: int) -> BatchRow | None:
    row = conn.execute(_select().where(import_batches.c.id == batch_id)).first()
    return _row(row) if row else None


def list_batches(conn: sa.Connection, *, source_id: int | None = None) -> list[BatchRow]:
    query = _select().order_by(import_batches.c.id)
    if source_id is not None:
        query = query.where(import_batches.c.source_id == source_id)
    return [_row(row) for row in conn.execute(query)]


def stored_at(conn: sa.Connection, stored_path: str) -> bool:
    """Whether an import keeps its copy at ``stored_path`` (relative to the review folder)."""
    query = sa.select(import_batches.c.id).where(import_batches.c.stored_path == stored_path)
    return conn.execute(query.limit(1)).first() is not None


def move_to_source(conn: sa.Connection, batch_ids: list[int], source_id: int) -> None:
    """File import batches under another source (``source merge`` and its undo)."""
    if batch_ids:
        conn.execute(
            import_batches.update()
            .where(import_batches.c.id.in_(batch_ids))
            .values(source_id=source_id)
        )
