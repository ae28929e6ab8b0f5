"""Cheap signatures of parts of the data, for caches that must not outlive a change there."""

from __future__ import annotations

import sqlalchemy as sa

from metasummary.store.decisions import links_signature
from metasummary.store.schema import decisions


def screening_signature(conn: sa.Connection) -> tuple[int, ...]:
    """Changes whenever records are added, linked or unlinked, or a decision is made.

    Decisions are only ever appended, so their count and highest id tell a change.
    """
    count, highest = conn.execute(sa.select(sa.func.count(), sa.func.max(decisions.c.id))).one()
    return (*links_signature(conn), int(count), int(highest or 0))
