"""Locks that make two writers of the same thing take turns, held to the end of a transaction.

On PostgreSQL a transaction-level advisory lock keyed by the name; on SQLite nothing is needed,
since every write transaction begins with ``BEGIN IMMEDIATE`` and so already runs alone.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa


def key(name: str) -> int:
    """A signed 64-bit number for ``name`` (what PostgreSQL's advisory locks take)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def serialise(conn: sa.Connection, name: str) -> None:
    """Wait until no other transaction holds ``name``; hold it until this one ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key(name)})
