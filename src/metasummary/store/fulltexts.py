"""Full texts: attached PDFs and their pages, finding anchors, open-access look-ups.

Rows are only ever added: a new file for a record is its next version, a finding's new place
is a new anchor, a new look-up a new fetch row. The latest one stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import finding_anchors, fulltext_fetches, fulltext_pages, fulltexts


@dataclass(frozen=True, slots=True)
class FulltextRow:
    id: int
    record_id: int
    version: int
    sha256: str
    file_name: str
    stored_path: str
    bytes: int
    pages: int
    matched_by: str
    origin: str
    details: dict[str, Any]
    actor: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PageRow:
    fulltext_id: int
    page: int
    start: int
    text: str
    search: str


@dataclass(frozen=True, slots=True)
class AnchorRow:
    finding_id: int
    fulltext_id: int
    page: int
    start: int
    end: int
    actor: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FetchRow:
    record_id: int
    status: str
    service: str
    url: str
    detail: str
    created_at: datetime


def insert(conn: sa.Connection, **values: Any) -> int:
    result = conn.execute(fulltexts.insert().values(created_at=now(), **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def insert_pages(conn: sa.Connection, fulltext_id: int, pages: Iterable[dict[str, Any]]) -> None:
    rows = [{"fulltext_id": fulltext_id, **page} for page in pages]
    if rows:
        conn.execute(fulltext_pages.insert(), rows)


def next_version(conn: sa.Connection, record_ids: Sequence[int]) -> int:
    query = sa.select(sa.func.max(fulltexts.c.version)).where(
        fulltexts.c.record_id.in_(list(record_ids))
    )
    current = conn.execute(query).scalar_one()
    return 1 if current is None else int(current) + 1


def list_all(conn: sa.Connection, record_ids: Sequence[int] | None = None) -> list[FulltextRow]:
    """Every attached file (all versions), oldest first."""
    query = sa.select(fulltexts).order_by(fulltexts.c.id)
    if record_ids is not None:
        query = query.where(fulltexts.c.record_id.in_(list(record_ids)))
    return [FulltextRow(**row._mapping) for row in conn.execute(query)]


def get(conn: sa.Connection, fulltext_id: int) -> FulltextRow | None:
    row = conn.execute(sa.select(fulltexts).where(fulltexts.c.id == fulltext_id)).first()
    return FulltextRow(**row._mapping) if row else None


def pages_of(conn: sa.Connection, fulltext_id: int) -> list[PageRow]:
    query = (
        sa.select(
            fulltext_pages.c.fulltext_id,
            fulltext_pages.c.page,
            fulltext_pages.c.start,
            fulltext_pages.c.text,
            fulltext_pages.c.search,
        )
        .where(fulltext_pages.c.fulltext_id == fulltext_id)
        .order_by(fulltext_pages.c.page)
    )
    return [PageRow(*row) for row in conn.execute(query)]


def insert_anchor(conn: sa.Connection, **values: Any) -> None:
    conn.execute(finding_anchors.insert().values(created_at=now(), **values))


def anchors(conn: sa.Connection, finding_ids: Sequence[int] | None = None) -> dict[int, AnchorRow]:
    """The standing anchor of each finding that has one (the latest)."""
    query = sa.select(finding_anchors).order_by(finding_anchors.c.id)
    if finding_ids is not None:
        query = query.where(finding_anchors.c.finding_id.in_(list(finding_ids)))
    found: dict[int, AnchorRow] = {}
    for row in conn.execute(query):
        values = dict(row._mapping)
        values.pop("id")
        found[int(row.finding_id)] = AnchorRow(**values)
    return found


def insert_fetch(conn: sa.Connection, **values: Any) -> None:
    conn.execute(fulltext_fetches.insert().values(created_at=now(), **values))


def fetches(conn: sa.Connection) -> dict[int, FetchRow]:
    """The latest open-access look-up of each record looked up."""
    query = sa.select(fulltext_fetches).order_by(fulltext_fetches.c.id)
    found: dict[int, FetchRow] = {}
    for row in conn.execute(query):
        found[int(row.record_id)] = FetchRow(
            row.record_id, row.status, row.service, row.url, row.detail, row.created_at
        )
    return found
