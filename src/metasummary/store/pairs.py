"""Record pairs and duplicate links: the dedup verdicts as the store keeps them.

A pair is stored once, with ``record_a < record_b``. Its ``kind`` says what the two records
are to each other (duplicate, version, related) and its ``status`` where the verdict stands
(candidate for review, auto-linked, accepted or rejected by a reviewer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.live import live
from metasummary.store.schema import record_pairs, records


@dataclass(frozen=True, slots=True)
class PairRow:
    id: int
    record_a: int
    record_b: int
    kind: str
    status: str
    score: float | None
    reason: str
    decided_by: str
    created_at: datetime


def ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def list_pairs(
    conn: sa.Connection,
    *,
    kinds: Sequence[str] = (),
    statuses: Sequence[str] = (),
    record_id: int | None = None,
) -> list[PairRow]:
    """Pairs filtered by kind, status and record; strongest first."""
    query = sa.select(record_pairs).order_by(
        record_pairs.c.score.desc().nulls_last(), record_pairs.c.id
    )
    if kinds:
        query = query.where(record_pairs.c.kind.in_(kinds))
    if statuses:
        query = query.where(record_pairs.c.status.in_(statuses))
    if record_id is not None:
        query = query.where(
            sa.or_(record_pairs.c.record_a == record_id, record_pairs.c.record_b == record_id)
        )
    return [PairRow(**row._mapping) for row in conn.execute(query)]


def get_pair(conn: sa.Connection, pair_id: int) -> PairRow | None:
    row = conn.execute(sa.select(record_pairs).where(record_pairs.c.id == pair_id)).first()
    return PairRow(**row._mapping) if row else None


def pair_between(conn: sa.Connection, a: int, b: int) -> PairRow | None:
    a, b = ordered(a, b)
    row = conn.execute(
        sa.select(record_pairs).where(record_pairs.c.record_a == a, record_pairs.c.record_b == b)
    ).first()
    return PairRow(**row._mapping) if row else None


def insert_pairs(conn: sa.Connection, rows: Iterable[Mapping[str, object]]) -> int:
    """Insert new pairs (``record_a``, ``record_b``, ``kind``, ``status``, ``score``, ...)."""
    stamp = now()
    batch = [{"reason": "", "decided_by": "", **row, "created_at": stamp} for row in rows]
    for start in range(0, len(batch), 2000):
        conn.execute(record_pairs.insert(), batch[start : start + 2000])
    return len(batch)


def update_pair(conn: sa.Connection, pair_id: int, **values: object) -> None:
    conn.execute(record_pairs.update().where(record_pairs.c.id == pair_id).values(**values))


def set_links(conn: sa.Connection, links: Mapping[int, int | None]) -> None:
    """Point each record (key) at its canonical record, or at none."""
    if not links:
        return
    statement = (
        records.update()
        .where(records.c.id == sa.bindparam("rid"))
        .values(duplicate_of=sa.bindparam("canonical"))
    )
    batch = [{"rid": rid, "canonical": canonical} for rid, canonical in links.items()]
    for start in range(0, len(batch), 2000):
        conn.execute(statement, batch[start : start + 2000])


def waiting_count(conn: sa.Connection) -> int:
    """Candidate duplicate pairs still waiting: their records counted and not in one group
    (read in SQL, cheap enough to ask before every screening session)."""
    a, b = records.alias("pair_a"), records.alias("pair_b")
    query = (
        sa.select(sa.func.count())
        .select_from(record_pairs)
        .join(a, a.c.id == record_pairs.c.record_a)
        .join(b, b.c.id == record_pairs.c.record_b)
        .where(
            record_pairs.c.kind == "duplicate",
            record_pairs.c.status == "candidate",
            sa.func.coalesce(a.c.duplicate_of, a.c.id)
            != sa.func.coalesce(b.c.duplicate_of, b.c.id),
        )
    )
    for alias in (a, b):
        counted = live(conn, alias)
        if counted is not None:
            query = query.where(counted)
    return int(conn.execute(query).scalar_one())
