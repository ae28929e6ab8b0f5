"""Records: insert in bulk, read back as :class:`RecordData` with their ids."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from operator import attrgetter
from typing import Any

import sqlalchemy as sa

from metasummary.errors import StoreError
from metasummary.models import RecordData
from metasummary.store.clock import now
from metasummary.store.live import where_live
from metasummary.store.schema import records

# Every RecordData field is a records column of the same name (tested).
_DATA_FIELDS = [f.name for f in fields(RecordData)]
_values_of = attrgetter(*_DATA_FIELDS)  # a record's column values in one call

INSERT_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A record as the store holds it."""

    id: int
    source_id: int
    batch_id: int | None
    duplicate_of: int | None
    raw_format: str
    created_at: datetime
    data: RecordData


def row_values(data: RecordData) -> dict[str, Any]:
    return {name: getattr(data, name) for name in _DATA_FIELDS}


def insert_many(
    conn: sa.Connection,
    items: Iterable[RecordData],
    *,
    source_id: int,
    batch_id: int | None = None,
    raw_format: str = "",
) -> list[int]:
    """Insert records; return their ids in order. Chunked executemany keeps memory flat."""
    if conn.dialect.name == "sqlite":
        return _insert_sqlite(
            conn, items, source_id=source_id, batch_id=batch_id, raw_format=raw_format
        )
    stamp = now()
    ids: list[int] = []
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        # RETURNING with sort_by_parameter_order keeps ids in input order on PostgreSQL.
        result = conn.execute(
            records.insert().returning(records.c.id, sort_by_parameter_order=True), chunk
        )
        ids.extend(int(row[0]) for row in result)
        chunk.clear()

    for item in items:
        chunk.append(
            {
                **row_values(item),
                "source_id": source_id,
                "batch_id": batch_id,
                "raw_format": raw_format,
                "created_at": stamp,
            }
        )
        if len(chunk) >= INSERT_CHUNK:
            flush()
    if chunk:
        flush()
    return ids


def _insert_sqlite(
    conn: sa.Connection,
    items: Iterable[RecordData],
    *,
    source_id: int,
    batch_id: int | None,
    raw_format: str,
) -> list[int]:
    # Imports of 100,000 records spend most of their time here, and SQLAlchemy's per-value
    # type processing costs more than SQLite's own insert. So the statement is compiled once
    # and fed plain tuples: JSON and time go through the columns' own bind processors (the
    # same values SQLAlchemy would store), everything else passes as is.
    dialect = conn.dialect
    columns = [*_DATA_FIELDS, "source_id", "batch_id", "raw_format", "created_at"]
    convert = [
        (i, _empty_known(processor) if isinstance(records.c[name].type, sa.JSON) else processor)
        for i, name in enumerate(_DATA_FIELDS)
        if (processor := records.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    stamp_processor = records.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
    stamp = stamp_processor(now()) if stamp_processor else now()
    tail = (source_id, batch_id, raw_format, stamp)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f"INSERT INTO records ({names}) VALUES ({', '.join('?' * len(columns))})"

    # Inside the write transaction (BEGIN IMMEDIATE) the database is ours alone, and an
    # INTEGER PRIMARY KEY takes max(id) + 1: the ids follow from the count inserted.
    first = (conn.execute(sa.select(sa.func.max(records.c.id))).scalar() or 0) + 1
    inserted = 0
    chunk: list[tuple[Any, ...]] = []
    for item in items:
        values = list(_values_of(item))
        for index, process in convert:
            values[index] = process(values[index])
        chunk.append((*values, *tail))
        if len(chunk) >= INSERT_CHUNK:
            conn.exec_driver_sql(sql, chunk)
            inserted += len(chunk)
            chunk = []
    if chunk:
        conn.exec_driver_sql(sql, chunk)
        inserted += len(chunk)
    last = conn.execute(sa.select(sa.func.max(records.c.id))).scalar() or 0
    if last != first + inserted - 1:
        raise StoreError("records were inserted by another writer during an import")
    return list(range(first, first + inserted))


def _empty_known(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's ``processor``, its value for an empty list and dict worked out once.

    Most records have no references and no extra fields: two of their four JSON columns.
    """
    empty: dict[type, Any] = {list: processor([]), dict: processor({})}

    def process(value: Any) -> Any:
        if not value and type(value) in empty:
            return empty[type(value)]
        return processor(value)

    return process


def _stored(row: sa.Row[Any]) -> StoredRecord:
    mapping = row._mapping
    data = RecordData(**{name: mapping[name] for name in _DATA_FIELDS})
    data.authors = list(data.authors or [])
    data.keywords = list(data.keywords or [])
    data.references = list(data.references or [])
    data.extra = dict(data.extra or {})
    return StoredRecord(
        id=mapping["id"],
        source_id=mapping["source_id"],
        batch_id=mapping["batch_id"],
        duplicate_of=mapping["duplicate_of"],
        raw_format=mapping["raw_format"],
        created_at=mapping["created_at"],
        data=data,
    )


def get(conn: sa.Connection, record_id: int) -> StoredRecord | None:
    row = conn.execute(sa.select(records).where(records.c.id == record_id)).first()
    return _stored(row) if row else None


def get_many(conn: sa.Connection, record_ids: Sequence[int]) -> list[StoredRecord]:
    """Records by id, in the order asked; unknown ids are left out."""
    found: dict[int, StoredRecord] = {}
    for start in range(0, len(record_ids), 900):  # under SQLite's bound-parameter limit
        part = record_ids[start : start + 900]
        for row in conn.execute(sa.select(records).where(records.c.id.in_(part))):
            stored = _stored(row)
            found[stored.id] = stored
    return [found[i] for i in record_ids if i in found]


def iter_all(
    conn: sa.Connection, *, source_id: int | None = None, batch_size: int = 5000
) -> Iterable[StoredRecord]:
    """Every record that counts (not of an undone import), in id order, streamed."""
    query = where_live(sa.select(records).order_by(records.c.id), conn)
    if source_id is not None:
        query = query.where(records.c.source_id == source_id)
    # Per statement: Connection.execution_options() would change the connection for good,
    # and a later INSERT on it would run through a server-side cursor (fails on PostgreSQL).
    result = conn.execute(query, execution_options={"yield_per": batch_size})
    for row in result:
        yield _stored(row)


def count(conn: sa.Connection, *, source_id: int | None = None) -> int:
    """Records that count (not of an undone import)."""
    query = where_live(sa.select(sa.func.count()).select_from(records), conn)
    if source_id is not None:
        query = query.where(records.c.source_id == source_id)
    return int(conn.execute(query).scalar_one())


def first_with_doi(conn: sa.Connection, doi: str) -> int | None:
    """The record holding the lower-case ``doi``, canonical records first. The stored DOI is
    lower-cased too: records added through the library API keep their DOI as given."""
    query = where_live(
        sa.select(records.c.id)
        .where(sa.func.lower(records.c.doi) == doi)
        .order_by(records.c.duplicate_of.is_not(None), records.c.id)
        .limit(1),
        conn,
    )
    found = conn.execute(query).scalar_one_or_none()
    return None if found is None else int(found)


def set_duplicate_of(conn: sa.Connection, record_id: int, canonical: int | None) -> None:
    conn.execute(records.update().where(records.c.id == record_id).values(duplicate_of=canonical))


def ids_of_source(conn: sa.Connection, source_id: int) -> list[int]:
    """Every record of a source (those of undone imports too), by id."""
    query = sa.select(records.c.id).where(records.c.source_id == source_id).order_by(records.c.id)
    return [int(i) for i in conn.execute(query).scalars()]


def move_to_source(conn: sa.Connection, record_ids: Sequence[int], source_id: int) -> None:
    """File records under another source (``source merge`` and its undo)."""
    ids = sorted(record_ids)
    for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        conn.execute(
            records.update()
            .where(records.c.id.in_(ids[start : start + 900]))
            .values(source_id=source_id)
        )


def ids_of_batch(conn: sa.Connection, batch_id: int) -> list[int]:
    """Every record an import brought in, by id."""
    query = sa.select(records.c.id).where(records.c.batch_id == batch_id).order_by(records.c.id)
    return [int(i) for i in conn.execute(query).scalars()]


def filed_under(conn: sa.Connection, record_ids: Sequence[int], source_id: int) -> list[int]:
    """Those of ``record_ids`` filed under ``source_id``, by id."""
    ids = sorted(record_ids)
    found: list[int] = []
    for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        query = sa.select(records.c.id).where(
            records.c.id.in_(ids[start : start + 900]), records.c.source_id == source_id
        )
        found.extend(int(i) for i in conn.execute(query).scalars())
    return sorted(found)
