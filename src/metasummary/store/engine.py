"""Engines for the two supported databases, set up the way a review needs them.

SQLite gets WAL (readers never block the writer), foreign keys, a busy timeout, and
``BEGIN IMMEDIATE`` for write transactions, so two reviewers screening from two processes
queue for the write lock instead of failing half way with "database is locked".
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from metasummary.environment import DB_ENV
from metasummary.errors import MissingExtraError, StoreError

DB_FILE = "review.db"
BUSY_TIMEOUT_S = 30
WRITE_LOCK = 0x6D657461_73756D6D
"""The PostgreSQL advisory lock key every write transaction takes ("metasumm" in ASCII)."""


def resolve_url(project_dir: Path | None, db: str | None = None) -> str:
    """The database URL: ``db`` if given, else ``$METASUMMARY_DB``, else the folder's file.

    A bare path is taken as a SQLite file; ``postgresql://`` means psycopg 3.
    """
    chosen = db or os.environ.get(DB_ENV) or ""
    if not chosen:
        if project_dir is None:
            raise StoreError("no database: give --db URL or a project folder")
        return f"sqlite:///{(project_dir / DB_FILE).resolve()}"
    if "://" not in chosen:
        return f"sqlite:///{Path(chosen).expanduser().resolve()}"
    if chosen.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + chosen.split("://", 1)[1]
    return chosen


def describe_url(url: str) -> str:
    """The URL without its password, for messages and ``status``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def create_engine(url: str) -> Engine:
    """An engine for ``url`` with the connection settings this package relies on."""
    try:
        parsed: URL = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"{url}: not a database URL (try sqlite:///path or postgresql://...)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise MissingExtraError("PostgreSQL", "postgres") from None
        # Named after the process, so pg_stat_activity tells which worker holds what.
        named = {} if "application_name" in parsed.query else {"application_name": _name()}
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args=named)
    raise StoreError(f"{describe_url(url)}: unsupported database; use SQLite or PostgreSQL")


def _name() -> str:
    return f"metasummary {os.getpid()}"


def _sqlite_engine(url: URL) -> Engine:
    database = url.database or ""
    memory = database in ("", ":memory:")
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_S}}
    if memory:
        # One shared connection, or every checkout would see a different empty database.
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        folder = Path(database).parent
        if not folder.is_dir():
            raise StoreError(f"{database}: folder {folder} does not exist")
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN IMMEDIATE is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine
