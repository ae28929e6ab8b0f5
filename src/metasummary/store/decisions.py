"""Screening decisions: append one, read them back per group or per phase.

Decisions are never updated or deleted; votes, resolutions and retractions are appended and
the current state is derived (``metasummary.screening.state``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store import limits
from metasummary.store.clock import now
from metasummary.store.counts import DECISION_ROW_COLUMNS, DecisionRow
from metasummary.store.live import counted_decisions
from metasummary.store.live import signature as retraction_signature
from metasummary.store.schema import decisions, records


@dataclass(frozen=True, slots=True)
class DecisionEntry(DecisionRow):
    """A decision with everything a reviewer may be shown about it."""

    note: str
    pdf: str
    pilot: bool
    created_at: datetime


_COLUMNS = (
    *DECISION_ROW_COLUMNS,
    decisions.c.note,
    decisions.c.pdf,
    decisions.c.pilot,
    decisions.c.created_at,
)


def _entry(row: sa.Row[*tuple[Any, ...]]) -> DecisionEntry:
    m = row._mapping
    return DecisionEntry(
        id=m["id"],
        record_id=m["record_id"],
        phase=m["phase"],
        reviewer_id=m["reviewer_id"],
        kind=m["kind"],
        verdict=m["verdict"],
        criteria=list(m["criteria"] or []),
        note=m["note"],
        pdf=m["pdf"],
        pilot=bool(m["pilot"]),
        created_at=m["created_at"],
    )


def insert(
    conn: sa.Connection,
    *,
    record_id: int,
    phase: str,
    reviewer_id: int,
    kind: str,
    verdict: str | None = None,
    criteria: Sequence[str] = (),
    note: str = "",
    pdf: str = "",
    pilot: bool = False,
) -> int:
    """Append one decision; its id."""
    limits.check(decisions, {"note": note, "pdf": pdf})
    result = conn.execute(
        decisions.insert().values(
            record_id=record_id,
            phase=phase,
            reviewer_id=reviewer_id,
            kind=kind,
            verdict=verdict,
            criteria=list(criteria),
            note=note,
            pdf=pdf,
            pilot=pilot,
            created_at=now(),
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def for_records(
    conn: sa.Connection, record_ids: Iterable[int], phase: str | None = None
) -> list[DecisionEntry]:
    """Decisions on any of ``record_ids`` (a group's members), in the order they were made."""
    ids = sorted(set(record_ids))
    found: list[DecisionEntry] = []
    for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        query = sa.select(*_COLUMNS).where(decisions.c.record_id.in_(ids[start : start + 900]))
        if phase is not None:
            query = query.where(decisions.c.phase == phase)
        found.extend(_entry(row) for row in conn.execute(query))
    return sorted(found, key=lambda e: e.id)


def all_entries(conn: sa.Connection, phase: str | None = None) -> list[DecisionEntry]:
    """Every decision that counts (of one phase), in the order they were made."""
    query = counted_decisions(sa.select(*_COLUMNS).order_by(decisions.c.id), conn)
    if phase is not None:
        query = query.where(decisions.c.phase == phase)
    return [_entry(row) for row in conn.execute(query)]


def count(conn: sa.Connection, *, kind: str | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(decisions)
    if kind is not None:
        query = query.where(decisions.c.kind == kind)
    return int(conn.execute(query).scalar_one())


def group_members(conn: sa.Connection, record_id: int) -> tuple[int, list[int]] | None:
    """The canonical record of ``record_id``'s duplicate group and all its members.

    Follows ``duplicate_of`` up to the canonical record, then collects everything that points
    at a member (links normally point straight at the canonical record). ``None`` when the
    record does not exist.
    """
    seen: list[int] = []
    current: int | None = record_id
    while current is not None and current not in seen:
        row = conn.execute(
            sa.select(records.c.id, records.c.duplicate_of).where(records.c.id == current)
        ).first()
        if row is None:
            return None if not seen else (seen[-1], [seen[-1]])
        seen.append(int(row.id))
        current = row.duplicate_of
    root = seen[-1] if current is None else min(seen[seen.index(current) :])
    members = {root, *seen}
    frontier = set(members)
    while frontier:
        ids = sorted(frontier)
        nxt: set[int] = set()
        for start in range(0, len(ids), 900):
            query = sa.select(records.c.id).where(
                records.c.duplicate_of.in_(ids[start : start + 900])
            )
            nxt.update(int(r) for r in conn.execute(query).scalars())
        frontier = nxt - members
        members |= frontier
    return root, sorted(members)


def since(conn: sa.Connection, after_id: int) -> list[DecisionEntry]:
    """Decisions that count made after decision ``after_id`` (the log only grows), oldest
    first."""
    query = counted_decisions(
        sa.select(*_COLUMNS).where(decisions.c.id > after_id).order_by(decisions.c.id), conn
    )
    return [_entry(row) for row in conn.execute(query)]


def links_signature(conn: sa.Connection) -> tuple[int, ...]:
    """Changes whenever records are added, duplicate links change or an import is undone or
    redone (cheap to read)."""
    row = conn.execute(
        sa.select(
            sa.func.count(),
            sa.func.coalesce(sa.func.max(records.c.id), 0),
            sa.func.count(records.c.duplicate_of),
            sa.func.coalesce(sa.func.sum(records.c.duplicate_of), 0),
            sa.func.coalesce(
                sa.func.sum(
                    sa.cast(records.c.duplicate_of, sa.BigInteger)
                    * sa.cast(records.c.id, sa.BigInteger)
                ),
                0,
            ),
        )
    ).one()
    return (*(int(v) for v in row), *retraction_signature(conn))


def by_reviewer(conn: sa.Connection, reviewer_id: int, phase: str) -> list[DecisionEntry]:
    """One reviewer's decisions in a phase, oldest first."""
    query = counted_decisions(
        sa.select(*_COLUMNS)
        .where(decisions.c.reviewer_id == reviewer_id, decisions.c.phase == phase)
        .order_by(decisions.c.id),
        conn,
    )
    return [_entry(row) for row in conn.execute(query)]


def record_titles(conn: sa.Connection, ids: Sequence[int]) -> dict[int, str]:
    """Titles of records by id: a tenth of what :func:`record_texts` reads."""
    found: dict[int, str] = {}
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), 900):  # under SQLite's bound-parameter limit
        query = sa.select(records.c.id, records.c.title).where(
            records.c.id.in_(ordered[start : start + 900])
        )
        found.update((int(row.id), row.title or "") for row in conn.execute(query))
    return found


def reviewer_signature(conn: sa.Connection, reviewer_id: int, phase: str) -> tuple[int, int]:
    """Changes whenever the reviewer decides or retracts in the phase (appends only)."""
    count, highest = conn.execute(
        sa.select(sa.func.count(), sa.func.max(decisions.c.id)).where(
            decisions.c.reviewer_id == reviewer_id, decisions.c.phase == phase
        )
    ).one()
    return int(count), int(highest or 0)


def record_texts(conn: sa.Connection, ids: Sequence[int]) -> dict[int, tuple[str, str, list[str]]]:
    """Title, abstract and keywords of records by id: what prioritisation reads."""
    found: dict[int, tuple[str, str, list[str]]] = {}
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), 900):  # under SQLite's bound-parameter limit
        query = sa.select(
            records.c.id, records.c.title, records.c.abstract, records.c.keywords
        ).where(records.c.id.in_(ordered[start : start + 900]))
        for row in conn.execute(query):
            found[int(row.id)] = (row.title or "", row.abstract or "", list(row.keywords or []))
    return found


def records_decided(conn: sa.Connection, record_ids: Sequence[int]) -> set[int]:
    """Those of ``record_ids`` that carry a decision (of any kind)."""
    ids = sorted(set(record_ids))
    found: set[int] = set()
    for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        query = sa.select(decisions.c.record_id).where(
            decisions.c.record_id.in_(ids[start : start + 900])
        )
        found.update(int(i) for i in conn.execute(query).scalars())
    return found


def by_ids(conn: sa.Connection, decision_ids: Sequence[int]) -> list[DecisionEntry]:
    """Decisions by id, oldest first."""
    ids = sorted(set(decision_ids))
    found: list[DecisionEntry] = []
    for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        query = sa.select(*_COLUMNS).where(decisions.c.id.in_(ids[start : start + 900]))
        found.extend(_entry(row) for row in conn.execute(query))
    return sorted(found, key=lambda e: e.id)
