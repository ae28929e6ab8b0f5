"""Query versions: each change of the query's groups, with when and how many hits it had."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import query_versions


@dataclass(frozen=True, slots=True)
class QueryVersionRow:
    id: int
    query: dict[str, Any]
    fingerprint: str
    hits: dict[str, Any]
    note: str
    created_at: datetime


def insert(
    conn: sa.Connection, *, query: dict[str, Any], fingerprint: str, hits: dict[str, Any], note: str
) -> int:
    result = conn.execute(
        query_versions.insert().values(
            query=query, fingerprint=fingerprint, hits=hits, note=note, created_at=now()
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def latest(conn: sa.Connection) -> QueryVersionRow | None:
    row = conn.execute(
        sa.select(query_versions).order_by(query_versions.c.id.desc()).limit(1)
    ).first()
    return QueryVersionRow(**row._mapping) if row else None


def all_versions(conn: sa.Connection) -> list[QueryVersionRow]:
    rows = conn.execute(sa.select(query_versions).order_by(query_versions.c.id))
    return [QueryVersionRow(**row._mapping) for row in rows]
