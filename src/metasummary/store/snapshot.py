"""A consistent copy of a live review database, and putting one back.

SQLite: the online backup API copies every page in one step under a read transaction, so the
copy is one moment of the database while other processes keep writing (WAL). PostgreSQL:
``pg_dump`` in its custom format (it reads in one snapshot too), restored by ``pg_restore``
in a single transaction into an empty database. The client tools are looked for on ``PATH``,
then in Debian's ``/usr/lib/postgresql/VERSION/bin``, newest first (``pg_dump`` must be at
least as new as the server). The password travels in the environment, never on a command line.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from metasummary.errors import StoreError
from metasummary.store.database import Store
from metasummary.store.engine import BUSY_TIMEOUT_S, describe_url

PG_BIN = Path("/usr/lib/postgresql")


def sqlite_path(store: Store) -> Path:
    database = store.engine.url.database
    if store.dialect != "sqlite" or not database or database == ":memory:":
        raise StoreError(f"{store.display_url}: not a SQLite file")
    return Path(database)


def copy_sqlite(store: Store, target: Path) -> None:
    """A consistent copy of the SQLite database of ``store`` at ``target`` (a new file)."""
    source = sqlite3.connect(sqlite_path(store), timeout=BUSY_TIMEOUT_S)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one moment of the database
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
    finally:
        source.close()


def find_tool(name: str) -> Path:
    """``pg_dump`` or ``pg_restore``.

    Raises:
        StoreError: Not installed.
    """
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    found = sorted(PG_BIN.glob(f"*/bin/{name}"), key=lambda p: _version(p), reverse=True)
    if found:
        return found[0]
    raise StoreError(
        f"{name}: not found; install PostgreSQL's client tools (Debian: postgresql-client)"
    )


def _version(path: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in path.parent.parent.name.split("."))
    except ValueError:
        return (0,)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment carrying it."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None)
    return uri.render_as_string(hide_password=False), env


def dump_postgres(store: Store, target: Path) -> None:
    """``pg_dump`` of the database of ``store`` into ``target`` (custom format)."""
    uri, env = _libpq(store.url)
    _run(
        [str(find_tool("pg_dump")), "--format=custom", "--no-owner", f"--file={target}", uri],
        env,
        f"pg_dump of {store.display_url}",
    )


def restore_postgres(dump: Path, url: str) -> None:
    """Load a ``pg_dump`` file into the empty database at ``url``, all or nothing.

    Raises:
        StoreError: The database holds tables already, or ``pg_restore`` failed.
    """
    engine = sa.create_engine(make_url(url))
    try:
        with engine.connect() as conn:
            taken = sa.inspect(conn).get_table_names()
    except sa.exc.OperationalError as exc:
        raise StoreError(f"{describe_url(url)}: cannot connect ({exc.orig})") from None
    finally:
        engine.dispose()
    if taken:
        raise StoreError(f"{describe_url(url)}: holds tables already; restore into an empty one")
    uri, env = _libpq(url)
    command = [
        str(find_tool("pg_restore")),
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={uri}",
        str(dump),
    ]
    _run(command, env, f"pg_restore into {describe_url(url)}")


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise StoreError(f"{what} failed: {detail}")
