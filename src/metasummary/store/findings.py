"""Findings: extracted statements and quotes, one row each; a split retires the original."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store import limits
from metasummary.store.clock import now
from metasummary.store.events import Event, of_entity
from metasummary.store.schema import findings


@dataclass(frozen=True, slots=True)
class FindingRow:
    id: int
    record_id: int
    text: str
    location: str
    kind: str
    value: str
    coder: str
    parent_id: int | None
    retired: bool
    position: int
    created_at: datetime


def insert(conn: sa.Connection, **values: Any) -> int:
    limits.check(findings, values)
    result = conn.execute(findings.insert().values(created_at=now(), **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def get(conn: sa.Connection, finding_id: int) -> FindingRow | None:
    row = conn.execute(sa.select(findings).where(findings.c.id == finding_id)).first()
    return FindingRow(**row._mapping) if row else None


def list_all(
    conn: sa.Connection,
    *,
    active_only: bool = True,
    record_ids: Sequence[int] | None = None,
) -> list[FindingRow]:
    """Findings ordered by paper, then position, then id."""
    query = sa.select(findings).order_by(findings.c.record_id, findings.c.position, findings.c.id)
    if active_only:
        query = query.where(findings.c.retired.is_(False))
    if record_ids is not None:
        query = query.where(findings.c.record_id.in_(list(record_ids)))
    return [FindingRow(**row._mapping) for row in conn.execute(query)]


def card_fields(conn: sa.Connection) -> list[tuple[int, int, str, str, str, str]]:
    """``(id, record_id, text, kind, location, value)`` of every active finding, in
    :func:`list_all`'s order: what a board card shows. The board reads thousands of them
    after every move; whole rows (and their timestamps) cost twice as much."""
    query = (
        sa.select(
            findings.c.id,
            findings.c.record_id,
            findings.c.text,
            findings.c.kind,
            findings.c.location,
            findings.c.value,
        )
        .where(findings.c.retired.is_(False))
        .order_by(findings.c.record_id, findings.c.position, findings.c.id)
    )
    return [
        (int(i), int(r), str(t), str(k), str(loc), str(v))
        for i, r, t, k, loc, v in conn.execute(query)
    ]


def children(conn: sa.Connection, parent_id: int) -> list[int]:
    query = sa.select(findings.c.id).where(findings.c.parent_id == parent_id)
    return [int(i) for i in conn.execute(query.order_by(findings.c.id)).scalars()]


def update(conn: sa.Connection, finding_id: int, **values: Any) -> None:
    limits.check(findings, values)
    conn.execute(findings.update().where(findings.c.id == finding_id).values(**values))


def next_position(conn: sa.Connection, record_id: int) -> int:
    query = sa.select(sa.func.max(findings.c.position)).where(findings.c.record_id == record_id)
    current = conn.execute(query).scalar_one()
    return 0 if current is None else int(current) + 1


def events_of(conn: sa.Connection, finding_id: int) -> list[Event]:
    """The logged changes of one finding, oldest first."""
    return of_entity(conn, "finding", finding_id)
