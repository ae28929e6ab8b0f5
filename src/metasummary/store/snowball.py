"""Snowballing rounds as the store keeps them: their sources, their origins, the PDFs of seeds.

A round is a source of kind ``snowball`` whose ``details`` hold its number, settings and
seeds; each origin row says which seed (a group's canonical record) and direction led to a
record the round found, new or already in the review.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.store.catalog import SourceRow, list_sources
from metasummary.store.clock import now
from metasummary.store.live import live
from metasummary.store.schema import decisions, records, snowball_origins

SNOWBALL = "snowball"


@dataclass(frozen=True, slots=True)
class OriginLink:
    """One origin row: ``record_id`` was found from ``seed_record_id`` going ``direction``."""

    record_id: int
    seed_record_id: int
    source_id: int
    direction: str


def round_sources(conn: sa.Connection) -> list[SourceRow]:
    """Sources that hold a snowballing round, by round number."""
    rows = [s for s in list_sources(conn) if s.kind == SNOWBALL and "round" in s.details]
    return sorted(rows, key=lambda s: int(s.details["round"]))


def insert_origins(conn: sa.Connection, links: Iterable[OriginLink]) -> int:
    stamp = now()
    rows = [
        {
            "record_id": link.record_id,
            "seed_record_id": link.seed_record_id,
            "source_id": link.source_id,
            "direction": link.direction,
            "created_at": stamp,
        }
        for link in links
    ]
    if rows:
        conn.execute(snowball_origins.insert(), rows)
    return len(rows)


def origin_links(conn: sa.Connection, source_id: int | None = None) -> list[OriginLink]:
    """Origin rows (of one round's source, or all), in the order they were written."""
    query = sa.select(
        snowball_origins.c.record_id,
        snowball_origins.c.seed_record_id,
        snowball_origins.c.source_id,
        snowball_origins.c.direction,
    ).order_by(snowball_origins.c.id)
    if source_id is not None:
        query = query.where(snowball_origins.c.source_id == source_id)
    return [OriginLink(*row) for row in conn.execute(query)]


def pdf_links(conn: sa.Connection, record_ids: Collection[int]) -> dict[int, str]:
    """The latest PDF link given with a full-text decision on each of ``record_ids``."""
    found: dict[int, str] = {}
    ordered = sorted(record_ids)
    for start in range(0, len(ordered), 900):  # under SQLite's bound-parameter limit
        query = (
            sa.select(decisions.c.record_id, decisions.c.pdf)
            .where(
                decisions.c.record_id.in_(ordered[start : start + 900]),
                decisions.c.phase == "full-text",
                decisions.c.pdf != "",
            )
            .order_by(decisions.c.id)
        )
        found.update((int(r), str(p)) for r, p in conn.execute(query))
    return found


def snowball_keys(conn: sa.Connection) -> dict[str, int]:
    """``extra.snowball`` keys of records a round added (``openalex:W1``, ``doi:...``) -> id."""
    query = sa.select(records.c.id, records.c.extra).where(records.c.raw_format.like("snowball-%"))
    counted = live(conn)
    if counted is not None:
        query = query.where(counted)
    keys: dict[str, int] = {}
    for record_id, extra in conn.execute(query):
        found = (extra or {}).get("snowball") or {}
        for key in [found.get("key"), *(found.get("keys") or [])]:
            if key:
                keys.setdefault(str(key), int(record_id))
    return keys


def openalex_keys(conn: sa.Connection) -> dict[str, int]:
    """``openalex:W123`` -> id of records imported from OpenAlex (searches, saved files)."""
    query = sa.select(records.c.id, records.c.original_key).where(
        records.c.raw_format.like("%openalex%"), records.c.original_key.like("W%")
    )
    counted = live(conn)  # an undone search's records are not known papers
    if counted is not None:
        query = query.where(counted)
    return {f"openalex:{key.upper()}": int(i) for i, key in conn.execute(query)}
