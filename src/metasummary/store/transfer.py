"""Every table of one review database copied into another, row for row, ids kept; and the
comparison that proves nothing was lost.

The copy runs in schema order (a table after those it refers to), in batches, inside one
write transaction of the target, reading the source in one snapshot. A column that refers to
its own table (``records.duplicate_of``, ``events.undoes`` ...) is filled in a second pass, so
the order of rows within a table never matters. Columns the database computes itself
(``records.title_sort``) are left to it, and left out of the comparison: SQLite's ``lower()``
folds ASCII only, PostgreSQL's every letter, and both are right for their own index.
Afterwards PostgreSQL's id sequences are moved past the copied ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from metasummary.errors import StoreError
from metasummary.store.database import Store
from metasummary.store.schema import meta, metadata

BATCH = 2000


@dataclass(frozen=True, slots=True)
class TableCount:
    table: str
    rows: int


def tables() -> list[sa.Table]:
    """The review's tables, each after the tables it refers to."""
    return list(metadata.sorted_tables)


def stored_columns(table: sa.Table) -> list[sa.Column[Any]]:
    """The columns a copy writes: all but those the database computes."""
    return [c for c in table.columns if c.computed is None]


def _self_references(table: sa.Table) -> list[str]:
    return [
        fk.parent.name
        for fk in table.foreign_keys
        if fk.column.table is table and fk.parent.nullable
    ]


def _order(table: sa.Table) -> list[sa.Column[Any]]:
    return list(table.primary_key.columns)


def rows(conn: sa.Connection, table: sa.Table) -> Iterator[dict[str, Any]]:
    """The table's stored columns, row by row in primary-key order."""
    query = sa.select(*stored_columns(table)).order_by(*_order(table))
    result = conn.execution_options(yield_per=BATCH).execute(query)
    for row in result:
        yield dict(row._mapping)


def is_empty(conn: sa.Connection) -> bool:
    """Whether no table but ``meta`` holds a row (a database just created)."""
    for table in tables():
        if table is meta:
            continue
        if conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first():
            return False
    return True


def copy_all(
    source: Store, target: Store, progress: Callable[[str, int], None] | None = None
) -> list[TableCount]:
    """Copy every row of ``source`` into the empty ``target``; all of it, or nothing.

    Raises:
        StoreError: ``target`` already holds data, or a row cannot be stored there.
    """
    counts: list[TableCount] = []
    with source.snapshot() as read, target.write() as write:
        if not is_empty(write):
            raise StoreError(
                f"{target.display_url}: already holds a review; give an empty database"
            )
        write.execute(meta.delete())
        for table in tables():
            counts.append(TableCount(table.name, _copy_table(read, write, table)))
            if progress is not None:
                progress(table.name, counts[-1].rows)
        if write.dialect.name == "postgresql":
            _move_sequences(write)
        found = compare(read, write)
        if found:  # raised inside the transaction: the target is left empty
            raise StoreError(
                f"{target.display_url}: the copy differs from the source ({found[0]}); "
                "nothing was copied"
            )
    return counts


def _copy_table(read: sa.Connection, write: sa.Connection, table: sa.Table) -> int:
    later = _self_references(table)
    batch: list[dict[str, Any]] = []
    pending: list[dict[str, Any]] = []
    copied = 0
    for row in rows(read, table):
        if later:
            links = {name: row[name] for name in later if row[name] is not None}
            if links:
                pending.append({"_key": row[_order(table)[0].name], **links})
                row = {**row, **dict.fromkeys(links)}
        batch.append(row)
        if len(batch) >= BATCH:
            copied += _insert(write, table, batch)
            batch = []
    copied += _insert(write, table, batch)
    if pending:
        key = _order(table)[0]
        for name in later:
            updates = [{"_key": p["_key"], "_value": p[name]} for p in pending if name in p]
            if updates:
                statement = (
                    table.update()
                    .where(key == sa.bindparam("_key"))
                    .values({name: sa.bindparam("_value")})
                )
                write.execute(statement, updates)
    return copied


def _insert(write: sa.Connection, table: sa.Table, batch: list[dict[str, Any]]) -> int:
    if not batch:
        return 0
    try:
        write.execute(table.insert(), batch)
    except sa.exc.DBAPIError as exc:
        first = batch[0].get(_order(table)[0].name)
        raise StoreError(
            f"table {table.name}, rows from id {first}: the target database refused them "
            f"({str(exc.orig).splitlines()[0]}); nothing was copied"
        ) from None
    return len(batch)


def _move_sequences(write: sa.Connection) -> None:
    for table in tables():
        key = _order(table)
        if len(key) != 1 or not isinstance(key[0].type, sa.Integer) or not key[0].autoincrement:
            continue
        name = table.name
        write.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', '{key[0].name}'), "
                f"coalesce((SELECT max({key[0].name}) FROM {name}), 0) + 1, false)"
            )
        )


# -- comparing -------------------------------------------------------------------------------


def differences(first: Store, second: Store, limit: int = 20) -> list[str]:
    """Where two databases differ, table by table and row by row (at most ``limit`` lines);
    empty when they hold the same rows."""
    with first.snapshot() as a, second.snapshot() as b:
        return compare(a, b, limit)


def compare(a: sa.Connection, b: sa.Connection, limit: int = 20) -> list[str]:
    """:func:`differences` of two open transactions."""
    found: list[str] = []
    for table in tables():
        for index, (x, y) in enumerate(_pairs(rows(a, table), rows(b, table))):
            if x != y:
                found.append(f"{table.name} row {index + 1}: {_show(x)} != {_show(y)}")
                if len(found) >= limit:
                    return found
    return found


def _pairs(
    left: Iterator[dict[str, Any]], right: Iterator[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    missing = object()
    while True:
        x, y = next(left, missing), next(right, missing)
        if x is missing and y is missing:
            return
        yield (None if x is missing else x), (None if y is missing else y)  # type: ignore[misc]


def _show(row: dict[str, Any] | None) -> str:
    if row is None:
        return "(no row)"
    text = repr(row)
    return text if len(text) <= 200 else text[:197] + "..."


def counts(store: Store) -> list[TableCount]:
    with store.snapshot() as conn:
        return [
            TableCount(
                t.name, int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            )
            for t in tables()
        ]
