"""Screening claims: the record each reviewer has on screen (see ``screening_claims``)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from metasummary.store.schema import screening_claims


def put(
    conn: sa.Connection, *, reviewer_id: int, phase: str, record_id: int, until: datetime
) -> None:
    """``reviewer_id`` now has ``record_id`` on screen in ``phase`` (their only claim there).

    Call it inside a write transaction: writes are serialised, so select-then-write is safe.
    """
    mine = sa.and_(screening_claims.c.reviewer_id == reviewer_id, screening_claims.c.phase == phase)
    found = conn.execute(sa.select(screening_claims.c.id).where(mine)).first()
    if found is None:
        conn.execute(
            screening_claims.insert().values(
                reviewer_id=reviewer_id, phase=phase, record_id=record_id, expires_at=until
            )
        )
    else:
        conn.execute(
            screening_claims.update().where(mine).values(record_id=record_id, expires_at=until)
        )


def live(conn: sa.Connection, phase: str, at: datetime) -> dict[int, set[int]]:
    """Records claimed in ``phase`` and not expired at ``at``: record id -> reviewer ids."""
    query = sa.select(screening_claims.c.record_id, screening_claims.c.reviewer_id).where(
        screening_claims.c.phase == phase, screening_claims.c.expires_at > at
    )
    held: dict[int, set[int]] = {}
    for record_id, reviewer_id in conn.execute(query):
        held.setdefault(int(record_id), set()).add(int(reviewer_id))
    return held


def held_by(conn: sa.Connection, reviewer_id: int, phase: str) -> tuple[int, datetime] | None:
    """The record ``reviewer_id`` has on screen in ``phase`` and until when (or None)."""
    row = conn.execute(
        sa.select(screening_claims.c.record_id, screening_claims.c.expires_at).where(
            screening_claims.c.reviewer_id == reviewer_id, screening_claims.c.phase == phase
        )
    ).first()
    return (int(row.record_id), row.expires_at) if row else None
