"""Sources, reviewers and stages: the rows that mirror the protocol."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import reviewers, sources, stages


@dataclass(frozen=True, slots=True)
class SourceRow:
    id: int
    name: str
    kind: str
    library: str
    description: str
    query_text: str
    searched_at: datetime | None
    reported: dict[str, Any] | None
    details: dict[str, Any]
    in_protocol: bool
    created_at: datetime
    merged_into: int | None = None
    """The source this one was merged into (``source merge``); it then holds nothing."""


@dataclass(frozen=True, slots=True)
class ReviewerRow:
    id: int
    code: str
    name: str
    email: str
    in_protocol: bool


@dataclass(frozen=True, slots=True)
class StageRow:
    id: int
    code: str
    label: str
    position: int
    in_protocol: bool


def list_sources(conn: sa.Connection) -> list[SourceRow]:
    rows = conn.execute(sa.select(sources).order_by(sources.c.id))
    return [SourceRow(**row._mapping) for row in rows]


def source_by_name(conn: sa.Connection, name: str) -> SourceRow | None:
    row = conn.execute(sa.select(sources).where(sources.c.name == name)).first()
    return SourceRow(**row._mapping) if row else None


def source_by_id(conn: sa.Connection, source_id: int) -> SourceRow | None:
    row = conn.execute(sa.select(sources).where(sources.c.id == source_id)).first()
    return SourceRow(**row._mapping) if row else None


def insert_source(conn: sa.Connection, **values: Any) -> int:
    values.setdefault("details", {})
    result = conn.execute(sources.insert().values(created_at=now(), **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update_source(conn: sa.Connection, source_id: int, **values: Any) -> None:
    conn.execute(sources.update().where(sources.c.id == source_id).values(**values))


def list_reviewers(conn: sa.Connection) -> list[ReviewerRow]:
    query = sa.select(
        reviewers.c.id,
        reviewers.c.code,
        reviewers.c.name,
        reviewers.c.email,
        reviewers.c.in_protocol,
    ).order_by(reviewers.c.id)
    return [ReviewerRow(**row._mapping) for row in conn.execute(query)]


def insert_reviewer(conn: sa.Connection, **values: Any) -> int:
    result = conn.execute(reviewers.insert().values(created_at=now(), **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update_reviewer(conn: sa.Connection, reviewer_id: int, **values: Any) -> None:
    conn.execute(reviewers.update().where(reviewers.c.id == reviewer_id).values(**values))


def list_stages(conn: sa.Connection) -> list[StageRow]:
    query = sa.select(
        stages.c.id, stages.c.code, stages.c.label, stages.c.position, stages.c.in_protocol
    ).order_by(stages.c.position, stages.c.id)
    return [StageRow(**row._mapping) for row in conn.execute(query)]


def insert_stage(conn: sa.Connection, **values: Any) -> int:
    result = conn.execute(stages.insert().values(created_at=now(), **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update_stage(conn: sa.Connection, stage_id: int, **values: Any) -> None:
    conn.execute(stages.update().where(stages.c.id == stage_id).values(**values))
