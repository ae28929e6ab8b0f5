"""The :class:`Store`: an engine, its migrations, and read and write transactions.

Writes are serialised on both engines, so the checks a write makes before it appends (is the
record still open to this reviewer? is this theme position free?) hold until it commits, with
any number of processes and workers: SQLite by ``BEGIN IMMEDIATE``, PostgreSQL by a
transaction-level advisory lock taken first thing. A writer that finds SQLite locked waits
with back-off (the busy timeout, then retries) instead of showing "database is locked".
Threads of one process queue for SQLite's lock on a lock of their own first: SQLite's busy
handler polls with growing sleeps, so threads racing for it would each wait far longer than
the write ahead of them takes.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from metasummary.errors import StoreError
from metasummary.store.engine import WRITE_LOCK, create_engine, describe_url
from metasummary.store.migration import migrate

LOCK_WAIT_S = 300.0
"""How long a writer waits for SQLite's write lock in all (busy timeouts and retries)."""


class Store:
    """A migrated database ready for use.

    Args:
        url: SQLAlchemy URL of the database (see :func:`metasummary.store.engine.resolve_url`).
        create: Create the schema when the database is empty; otherwise an empty database is
            an error, so a typo in ``--db`` does not silently start a new review.
    """

    def __init__(self, url: str, *, create: bool = False) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.dialect = self.engine.dialect.name
        self._writer = threading.Lock()  # this process's writers, one at a time (SQLite)
        try:
            migrate(self.engine, create=create, url=describe_url(url))
        except OperationalError as exc:
            self.engine.dispose()
            raise StoreError(
                f"{describe_url(url)}: cannot open the database ({exc.orig})"
            ) from None
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def display_url(self) -> str:
        return describe_url(self.url)

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A read transaction (a consistent snapshot on both engines)."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[sa.Connection]:
        """A read-only transaction that sees one moment across every table, however long it
        reads (PostgreSQL: REPEATABLE READ; SQLite: a read transaction in WAL mode)."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(sa.text("SET TRANSACTION READ ONLY"))
                yield conn

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A write transaction: all of it lands, or none of it does; one writer at a time.

        On SQLite it starts with ``BEGIN IMMEDIATE`` (retried with back-off while another
        process holds the lock); on PostgreSQL with ``pg_advisory_xact_lock``, released at
        commit or rollback, or by the server when the process holding it dies.
        """
        queued = self.dialect == "sqlite"
        if queued:
            self._writer.acquire()
        try:
            conn, transaction = self._begin_write()
            try:
                if self.dialect == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
                yield conn
                transaction.commit()
            except BaseException:
                if transaction.is_active:
                    transaction.rollback()
                raise
            finally:
                conn.close()
        finally:
            if queued:
                self._writer.release()

    def _begin_write(self) -> tuple[sa.Connection, sa.RootTransaction]:
        deadline = time.monotonic() + LOCK_WAIT_S
        delay = 0.005
        while True:
            conn = self.engine.connect().execution_options(sqlite_begin="IMMEDIATE")
            try:
                return conn, conn.begin()
            except OperationalError as exc:
                conn.close()
                if not is_busy(exc) or time.monotonic() + delay > deadline:
                    if is_busy(exc):
                        raise StoreError(
                            f"{self.display_url}: another process held the write lock for "
                            f"{LOCK_WAIT_S:.0f} s; try again when it has finished"
                        ) from None
                    raise
            # Jittered so writers that woke together do not collide again.
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.25)

    def close(self) -> None:
        self.engine.dispose()


def is_busy(exc: OperationalError) -> bool:
    """Whether SQLite refused because another connection holds a lock."""
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text
