"""Key-value facts about the database itself (schema version, protocol snapshot)."""

from __future__ import annotations

import sqlalchemy as sa

from metasummary.store.schema import meta

PROTOCOL_SNAPSHOT = "protocol_yaml"
"""The key of the protocol's text, kept so a database URL alone opens the review."""


def get(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(meta.c.value).where(meta.c.key == key)).scalar_one_or_none()


def put(conn: sa.Connection, key: str, value: str) -> None:
    if conn.execute(sa.select(meta.c.key).where(meta.c.key == key)).first() is None:
        conn.execute(meta.insert().values(key=key, value=value))
    else:
        conn.execute(meta.update().where(meta.c.key == key).values(value=value))
