"""The event log: one row for every change, written in the change's own transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.errors import StoreError
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
    actor: str,
    entity: str = "",
    entity_id: int | None = None,
    payload: dict[str, Any] | None = None,
    undoes: int | None = None,
) -> int:
    """Append an event and return its id.

    Raises:
        StoreError: ``actor`` is blank: every change says who made it (the write it belongs
            to is rolled back with it).
    """
    if not actor.strip():
        raise StoreError(
            f"{action}: refused, no one is named as making this change; give --by NAME "
            "(or choose who you are in the web app)"
        )
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


def of_entity(conn: sa.Connection, entity: str, entity_id: int) -> list[Event]:
    """The logged changes of one thing (an import, a source), oldest first."""
    query = (
        sa.select(events)
        .where(events.c.entity == entity, events.c.entity_id == entity_id)
        .order_by(events.c.id)
    )
    return [Event(**row._mapping) for row in conn.execute(query)]


def listed(
    conn: sa.Connection,
    *,
    prefix: str = "",
    actor: str | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 50,
) -> list[Event]:
    """The log, newest first, narrowed by action prefix, actor and thing changed."""
    query = sa.select(events).order_by(events.c.id.desc()).limit(limit)
    if prefix:
        query = query.where(events.c.action.startswith(prefix, autoescape=True))
    if actor is not None:
        query = query.where(events.c.actor == actor)
    if entity is not None:
        query = query.where(events.c.entity == entity)
    if entity_id is not None:
        query = query.where(events.c.entity_id == entity_id)
    return [Event(**row._mapping) for row in conn.execute(query)]


def of_action(conn: sa.Connection, action: str) -> list[Event]:
    """Every event of one action, oldest first (not undone ones only: the caller decides)."""
    query = sa.select(events).where(events.c.action == action).order_by(events.c.id)
    return [Event(**row._mapping) for row in conn.execute(query)]
