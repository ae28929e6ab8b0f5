"""Where a record came from and what happened to it: its import batch, snowball origins,
duplicate group members and decision history."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa

from metasummary.store.live import is_live
from metasummary.store.schema import (
    decisions,
    import_batches,
    records,
    reviewers,
    snowball_origins,
    sources,
)


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One imported file."""

    id: int
    file_name: str
    format: str
    sha256: str
    stored_path: str
    entries: int
    imported: int
    skipped: int
    created_at: datetime
    retracted_at: datetime | None = None
    """When this import was undone: its records no longer count."""
    retracted_by: str = ""


@dataclass(frozen=True, slots=True)
class OriginRow:
    """A snowball round found this record from a seed record."""

    seed_record_id: int
    seed_title: str
    source: str
    direction: str


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A record of a duplicate group, briefly."""

    id: int
    title: str
    year: int | None
    doi: str
    source: str
    duplicate_of: int | None
    counted: bool = True
    """False for a record of an undone import (it stays in the group, uncounted)."""


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One decision, as logged."""

    id: int
    record_id: int
    phase: str
    reviewer_id: int
    reviewer: str
    kind: str
    verdict: str | None
    criteria: list[str]
    note: str
    pdf: str
    """The link or path to the PDF given with a full-text decision."""
    pilot: bool
    created_at: datetime


def batch(conn: sa.Connection, batch_id: int) -> BatchRow | None:
    query = sa.select(
        import_batches.c.id,
        import_batches.c.file_name,
        import_batches.c.format,
        import_batches.c.sha256,
        import_batches.c.stored_path,
        import_batches.c.entries,
        import_batches.c.imported,
        import_batches.c.skipped,
        import_batches.c.created_at,
        import_batches.c.retracted_at,
        import_batches.c.retracted_by,
    ).where(import_batches.c.id == batch_id)
    row = conn.execute(query).first()
    return BatchRow(**row._mapping) if row else None


_seed = records.alias("seed")


def origins(conn: sa.Connection, record_id: int) -> list[OriginRow]:
    seed = _seed
    query = (
        sa.select(
            snowball_origins.c.seed_record_id,
            seed.c.title.label("seed_title"),
            sources.c.name.label("source"),
            snowball_origins.c.direction,
        )
        .join(seed, seed.c.id == snowball_origins.c.seed_record_id)
        .join(sources, sources.c.id == snowball_origins.c.source_id)
        .where(snowball_origins.c.record_id == record_id)
        .order_by(snowball_origins.c.id)
    )
    return [OriginRow(**row._mapping) for row in conn.execute(query)]


def members(conn: sa.Connection, keys: Collection[int]) -> list[MemberRow]:
    """Records whose id or ``duplicate_of`` is one of ``keys``, by id."""
    wanted = sorted(keys)
    query = (
        sa.select(
            records.c.id,
            records.c.title,
            records.c.year,
            records.c.doi,
            sources.c.name.label("source"),
            records.c.duplicate_of,
        )
        .join(sources, sources.c.id == records.c.source_id)
        .where(sa.or_(records.c.id.in_(wanted), records.c.duplicate_of.in_(wanted)))
        .order_by(records.c.id)
    )
    found = [MemberRow(**row._mapping) for row in conn.execute(query)]
    alive = is_live(conn, [m.id for m in found])
    return [m if alive[m.id] else replace(m, counted=False) for m in found]


def history(conn: sa.Connection, record_ids: Collection[int]) -> list[HistoryRow]:
    """Every decision on ``record_ids``, oldest first."""
    query = (
        sa.select(
            decisions.c.id,
            decisions.c.record_id,
            decisions.c.phase,
            decisions.c.reviewer_id,
            reviewers.c.code.label("reviewer"),
            decisions.c.kind,
            decisions.c.verdict,
            decisions.c.criteria,
            decisions.c.note,
            decisions.c.pdf,
            decisions.c.pilot,
            decisions.c.created_at,
        )
        .join(reviewers, reviewers.c.id == decisions.c.reviewer_id)
        .where(decisions.c.record_id.in_(sorted(record_ids)))
        .order_by(decisions.c.id)
    )
    return [
        HistoryRow(**{**row._mapping, "criteria": list(row.criteria or [])})
        for row in conn.execute(query)
    ]
