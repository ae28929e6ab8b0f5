"""Cheap signatures of parts of the data, for caches that must not outlive a change there."""

from __future__ import annotations

from collections.abc import Sequence

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
    them. A few index lookups: the events left out are counted, and the newest other event
    is found by walking back from the newest one.
    """
    count, _highest, last_record, last_decision = data_version(conn)
    if not prefixes:
        return count, _highest, last_record, last_decision
    left_out = sa.or_(*(_starts(conn, p) for p in prefixes))
    skipped = conn.execute(sa.select(sa.func.count()).where(left_out)).scalar_one()
    latest = conn.execute(
        sa.select(events.c.id).where(sa.not_(left_out)).order_by(events.c.id.desc()).limit(1)
    ).scalar()
    return count - int(skipped), int(latest or 0), last_record, last_decision


def _starts(conn: sa.Connection, prefix: str) -> sa.ColumnElement[bool]:
    # SQLite compares text byte by byte, so a prefix is a range the action index answers;
    # elsewhere the collation may not order text that way, and LIKE is the safe test.
    if conn.dialect.name == "sqlite" and prefix:
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return sa.and_(events.c.action >= prefix, events.c.action < after)
    return events.c.action.startswith(prefix, autoescape=True)
