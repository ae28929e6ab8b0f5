"""Cheap signatures of parts of the data, for caches that must not outlive a change there."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from metasummary.store.decisions import links_signature
from metasummary.store.phases import data_version
from metasummary.store.schema import decisions, events


def screening_signature(conn: sa.Connection) -> tuple[int, ...]:
    """Changes whenever records are added, linked or unlinked, or a decision is made.

    Decisions are only ever appended, so their count and highest id tell a change.
    """
    count, highest = conn.execute(sa.select(sa.func.count(), sa.func.max(decisions.c.id))).one()
    return (*links_signature(conn), int(count), int(highest or 0))


def version_apart_from(conn: sa.Connection, prefixes: Sequence[str]) -> tuple[int, ...]:
    """Like :func:`~metasummary.store.phases.data_version`, blind to the events whose action
    starts with one of ``prefixes``: a view that never reads what they change is kept across
    them."""
    return versions_apart_from(conn, prefixes)[1]


def versions_apart_from(
    conn: sa.Connection, prefixes: Sequence[str]
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The data version, and the same blind to the events of ``prefixes``. A few index
    lookups: the events left out are counted, and the newest other event is found by
    walking back from the newest one."""
    everything = data_version(conn)
    count, _highest, last_record, last_decision = everything
    if not prefixes:
        return everything, everything
    skipped_query, latest_query = _apart_queries(conn.dialect.name, tuple(prefixes))
    skipped = conn.execute(skipped_query).scalar_one()
    latest = conn.execute(latest_query).scalar()
    return everything, (count - int(skipped), int(latest or 0), last_record, last_decision)


@lru_cache(maxsize=8)
def _apart_queries(
    dialect: str, prefixes: tuple[str, ...]
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    # Built once: composing the statements costs more than running them on a small log.
    left_out = sa.or_(*(_starts(dialect, p) for p in prefixes))
    skipped = sa.select(sa.func.count()).select_from(events).where(left_out)
    latest = sa.select(events.c.id).where(sa.not_(left_out)).order_by(events.c.id.desc()).limit(1)
    return skipped, latest


def _starts(dialect: str, prefix: str) -> sa.ColumnElement[bool]:
    # SQLite compares text byte by byte, so a prefix is a range the action index answers;
    # elsewhere the collation may not order text that way, and LIKE is the safe test.
    if dialect == "sqlite" and prefix:
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return sa.and_(events.c.action >= prefix, events.c.action < after)
    return events.c.action.startswith(prefix, autoescape=True)
