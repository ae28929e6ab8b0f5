"""Raw API responses, kept so an interrupted search resumes where it stopped."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import api_cache


@dataclass(frozen=True, slots=True)
class CachedResponse:
    status: int
    body: str


def cache_key(service: str, request: str) -> str:
    return hashlib.sha256(f"{service}\n{request}".encode()).hexdigest()


def get(conn: sa.Connection, service: str, request: str) -> CachedResponse | None:
    row = conn.execute(
        sa.select(api_cache.c.status, api_cache.c.body).where(
            api_cache.c.key == cache_key(service, request)
        )
    ).first()
    return CachedResponse(row.status, row.body) if row else None


def drop(conn: sa.Connection, service: str, request: str) -> None:
    conn.execute(api_cache.delete().where(api_cache.c.key == cache_key(service, request)))


def put(conn: sa.Connection, service: str, request: str, status: int, body: str) -> None:
    key = cache_key(service, request)
    conn.execute(api_cache.delete().where(api_cache.c.key == key))
    conn.execute(
        api_cache.insert().values(
            key=key,
            service=service,
            request=request,
            status=status,
            body=body,
            fetched_at=now(),
        )
    )
