"""The event log: one row for every change, written in the change's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import events


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    actor: str
    action: str
    entity: str
    entity_id: int | None
    payload: dict[str, Any]
    undoes: int | None
    undone: bool
    created_at: datetime


def log(
    conn: sa.Connection,
    action: str,
    *,
    entity: str = "",
    entity_id: int | None = None,
    payload: dict[str, Any] | None = None,
    actor: str = "",
    undoes: int | None = None,
) -> int:
    """Append an event and return its id."""
    result = conn.execute(
        events.insert().values(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            payload=payload or {},
            undoes=undoes,
            created_at=now(),
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def mark_undone(conn: sa.Connection, event_id: int) -> None:
    conn.execute(events.update().where(events.c.id == event_id).values(undone=True))


def recent(
    conn: sa.Connection,
    *,
    prefix: str = "",
    limit: int = 50,
    undoable_only: bool = False,
    actor: str | None = None,
) -> list[Event]:
    """Newest first; ``prefix`` filters on the action (``"sort."``), ``actor`` on who did it."""
    query = sa.select(events).order_by(events.c.id.desc()).limit(limit)
    if actor is not None:
        query = query.where(events.c.actor == actor)
    if prefix:
        query = query.where(events.c.action.startswith(prefix, autoescape=True))
    if undoable_only:
        query = query.where(events.c.undone.is_(False), events.c.undoes.is_(None))
    return [Event(**row._mapping) for row in conn.execute(query)]


def count(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one())


def of_action(conn: sa.Connection, action: str) -> list[Event]:
    """Every event of one action, oldest first (not undone ones only: the caller decides)."""
    query = sa.select(events).where(events.c.action == action).order_by(events.c.id)
    return [Event(**row._mapping) for row in conn.execute(query)]
