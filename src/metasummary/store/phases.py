"""What phase states are derived from, read cheaply: decisions, the duplicate links of the
records they are on, chains of links, and a version of the data to cache derived states by.

SQLite keeps ``duplicate_of`` after a record's long text columns, so reading it from a table
row means reading the row's overflow pages; these queries take it from its index instead.
"""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa

from metasummary.store.counts import (
    DECISION_ROW_COLUMNS,
    DecisionRow,
    decision_rows,
    to_decision_row,
)
from metasummary.store.idsets import UNCACHED, IdSet, in_ids
from metasummary.store.live import counted_decisions
from metasummary.store.schema import decisions, events, records

_pointing = records.alias("pointing")


_EVENTS_SEEN = sa.select(sa.func.count(), sa.func.max(events.c.id))
_LAST_RECORD = sa.select(sa.func.max(records.c.id))
_LAST_DECISION = sa.select(sa.func.max(decisions.c.id))


def data_version(conn: sa.Connection) -> tuple[int, ...]:
    """Changes whenever anything changes: every change is logged in ``events``.

    The count as well as the highest id, because on PostgreSQL a transaction holding a lower
    id can commit after one holding a higher id; the highest record and decision ids too, as
    a guard for rows written without an event (each is one index lookup). Asked on every
    page of the web app, so its statements are built once.
    """
    count, highest = conn.execute(_EVENTS_SEEN).one()
    last_record = conn.execute(_LAST_RECORD).scalar()
    last_decision = conn.execute(_LAST_DECISION).scalar()
    return int(count), int(highest or 0), int(last_record or 0), int(last_decision or 0)


def chain_links(conn: sa.Connection) -> dict[int, int]:
    """``id: duplicate_of`` of records that are duplicates and have duplicates (rare)."""
    has_duplicates = (
        sa.select(_pointing.c.id).where(_pointing.c.duplicate_of == records.c.id).exists()
    )
    query = sa.select(records.c.id, records.c.duplicate_of).where(
        records.c.duplicate_of.is_not(None), has_duplicates
    )
    return {int(i): int(d) for i, d in conn.execute(query)}


def decided_links(conn: sa.Connection) -> dict[int, int]:
    """``id: duplicate_of`` of the duplicates that carry decisions."""
    voted = sa.select(decisions.c.id).where(decisions.c.record_id == records.c.id).exists()
    query = sa.select(records.c.id, records.c.duplicate_of).where(
        records.c.duplicate_of.is_not(None), voted
    )
    return {int(i): int(d) for i, d in conn.execute(query)}


def all_decisions(conn: sa.Connection) -> list[DecisionRow]:
    return list(decision_rows(conn))


def decisions_on(
    conn: sa.Connection, keys: Collection[int]
) -> tuple[list[DecisionRow], dict[int, int]]:
    """Decisions on records whose id or ``duplicate_of`` is in ``keys``, in log order, and
    ``id: duplicate_of`` of those of them that point at a key."""
    if not keys:
        return [], {}
    ids = IdSet(keys)
    members = sa.select(records.c.id).where(
        sa.or_(in_ids(records.c.id, ids), in_ids(records.c.duplicate_of, ids))
    )
    query = counted_decisions(
        sa.select(*DECISION_ROW_COLUMNS)
        .where(decisions.c.record_id.in_(members))
        .order_by(decisions.c.id),
        conn,
    )
    rows = [to_decision_row(r) for r in conn.execute(query, execution_options=UNCACHED)]
    links = sa.select(records.c.id, records.c.duplicate_of).where(
        in_ids(records.c.duplicate_of, ids)
    )
    return rows, {int(i): int(d) for i, d in conn.execute(links, execution_options=UNCACHED)}
