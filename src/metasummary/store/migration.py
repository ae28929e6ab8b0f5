"""Schema creation and upgrades through Alembic, run when a store opens.

A database is recognised by Alembic's ``alembic_version`` table. An empty database gets the
whole schema (only when asked to create one); an older one is upgraded in place (SQLite files
are copied aside first); one written by a newer metasummary is refused with a clear message
instead of being half-understood.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from metasummary.errors import SchemaVersionError, StoreError
from metasummary.store.engine import WRITE_LOCK
from metasummary.store.schema import SCHEMA_VERSION, meta

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"
_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_head() -> str | None:
    """The head revision read straight from the version files, without loading Alembic.

    Opening a review happens on every command, and a database already at the head needs
    nothing from Alembic, whose import alone takes longer than the rest of a command. None
    when the files do not have the plain form (``revision = "..."``, ``down_revision = ...``)
    or there is more than one head: then Alembic itself decides.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = {m.group(1): m.group(2) for m in _ASSIGNMENT.finditer(text)}
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else down or ())
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table(VERSION_TABLE):
            return None
        version = sa.table(VERSION_TABLE, sa.column("version_num"))
        rows = conn.execute(sa.select(version.c.version_num)).scalars().all()
    return rows[0] if len(rows) == 1 else None


def migrate(engine: Engine, *, create: bool, url: str) -> None:
    """Bring the database at ``engine`` to the current schema, or explain why not."""
    current = _current_revision(engine)
    if current is not None and current == known_head():
        return
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(sa.inspect(conn).get_table_names())
    if current is None:
        if tables - {"alembic_version"}:
            raise StoreError(f"{url}: holds tables but is not a metasummary database")
        if not create:
            raise StoreError(
                f"{url}: the database is empty; run 'metasummary init' to start a review"
            )
    elif current == head:
        return
    elif current not in {rev.revision for rev in script.walk_revisions()}:
        raise SchemaVersionError(
            f"{url}: written by a newer metasummary (schema revision {current}); "
            "upgrade metasummary to open it"
        )
    else:
        _back_up_sqlite(engine, current)
    _upgrade(engine)


def _upgrade(engine: Engine) -> None:
    from alembic import command

    config = alembic_config()
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as conn, conn.begin():
        if engine.dialect.name == "postgresql":
            # Workers starting together upgrade once: the others wait, then find it done.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        values = {"schema_version": str(SCHEMA_VERSION)}
        for key, value in values.items():
            conn.execute(meta.delete().where(meta.c.key == key))
            conn.execute(meta.insert().values(key=key, value=value))


def _back_up_sqlite(engine: Engine, revision: str) -> None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return
    path = Path(database)
    if path.exists():
        shutil.copy2(path, path.with_name(f"{path.name}.before-{revision}"))
