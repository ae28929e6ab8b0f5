"""The :class:`Store`: an engine, its migrations, and read and write transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from metasummary.errors import StoreError
from metasummary.store.engine import create_engine, describe_url
from metasummary.store.migration import migrate


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
    def write(self) -> Iterator[sa.Connection]:
        """A write transaction: all of it lands, or none of it does.

        On SQLite it starts with ``BEGIN IMMEDIATE``: a second writer waits for the lock up to
        the busy timeout instead of failing at its first write.
        """
        try:
            with (
                self.engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn,
                conn.begin(),
            ):
                yield conn
        except OperationalError as exc:
            if "locked" in str(exc.orig).lower():
                raise StoreError(
                    f"{self.display_url}: the database stayed locked by another process; try again"
                ) from None
            raise

    def close(self) -> None:
        self.engine.dispose()
