"""Killing real ``metasummary`` processes at named moments, and checking what they left.

A command runs in its own process with ``METASUMMARY_CRASH_AT=NAME[:N]`` (see
``metasummary.crashpoints``): it kills itself with SIGKILL there, as a power cut would. The
checks then look at the review as the next command finds it: the database's integrity, its
content (all of the command's effect or none), the folder (no temporary, no copy nothing
refers to), and that running the command again ends where a run never killed ends.

Everything takes the database as a URL (``None``: the folder's SQLite ``review.db``), so the
same checks run on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from metasummary.crashpoints import CRASH_ENV
from metasummary.store.engine import resolve_url
from metasummary.store.schema import UTCDateTime, metadata

TIMEOUT = 240
LEFTOVER_MARKS = (".ms-tmp", ".ms-old", ".part")

# Columns whose values differ between two runs that did the same thing: times, and the ids
# a killed PostgreSQL transaction used up (its sequences do not roll back), with every
# column pointing at one; the events' payloads carry ids and timings too.
_ID_COLUMNS = {
    "id",
    "record_id",
    "record_a",
    "record_b",
    "seed_record_id",
    "source_id",
    "batch_id",
    "reviewer_id",
    "finding_id",
    "theme_id",
    "stage_id",
    "duplicate_of",
    "parent_id",
    "merged_into",
    "undoes",
    "entity_id",
    "fulltext_id",
    "payload",
}


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL


def run_cli(
    root: Path, db: str | None, *args: str, crash_at: str = "", timeout: float = TIMEOUT
) -> Ran:
    """``metasummary -p ROOT [--db URL] ARGS`` in a process of its own.

    ``communicate`` returns only when every process holding the output pipes has exited, so
    a worker process outliving a killed parent shows as a timeout.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("METASUMMARY_")}
    env["COLUMNS"] = "200"
    if crash_at:
        env[CRASH_ENV] = crash_at
    command = [sys.executable, "-m", "metasummary", "-p", str(root)]
    if db:
        command += ["--db", db]
    process = subprocess.Popen(
        [*command, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(
            f"{args}: still running (or its workers) after {timeout} s: {err}"
        ) from None
    return Ran(process.returncode, out, err)


def url_of(root: Path, db: str | None) -> str:
    return resolve_url(root, db)


def integrity(url: str) -> list[str]:
    """What the database's own checks find wrong ([] when sound)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name != "sqlite":
                conn.execute(sa.text("SELECT 1"))
                return []  # PostgreSQL enforces its constraints on every commit
            problems = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            problems = [p for p in problems if p != "ok"]
            problems += [str(tuple(r)) for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
            return problems
    finally:
        engine.dispose()


def _plain(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def fingerprint(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (sorted), without times and ids: equal for the same content."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            content: dict[str, list[tuple[Any, ...]]] = {}
            for table in metadata.sorted_tables:
                columns = [
                    c
                    for c in table.columns
                    if c.name not in _ID_COLUMNS and not isinstance(c.type, UTCDateTime)
                ]
                rows = conn.execute(sa.select(*columns)).all()
                content[table.name] = sorted(
                    (tuple(_plain(v) for v in row) for row in rows), key=repr
                )
            return content
    finally:
        engine.dispose()


def leftovers(root: Path) -> list[str]:
    """Temporaries anywhere in the review folder, and import copies no import names."""
    found = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if any(mark in p.name for mark in LEFTOVER_MARKS)
    ]
    return sorted(found)


COPIES = {"imports": "import_batches", "fulltexts": "fulltexts"}
"""Folders of kept copies, and the table whose rows name each copy (stored_path, sha256)."""


def unreferenced_copies(root: Path, url: str) -> list[str]:
    """Files in ``imports/`` or ``fulltexts/`` no row names, and rows whose copy is missing or
    differs from the file kept (its sha256)."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            named = {
                str(path): str(sha)
                for table in COPIES.values()
                for path, sha in conn.execute(sa.text(f"SELECT stored_path, sha256 FROM {table}"))
                if path
            }
    finally:
        engine.dispose()
    held = {
        f"{name}/{p.name}"
        for name in COPIES
        if (root / name).is_dir()
        for p in (root / name).iterdir()
    }
    problems = [f"{name}: no row names it" for name in sorted(held - set(named))]
    for path, sha in sorted(named.items()):
        file = root / path
        if not file.is_file():
            problems.append(f"{path}: missing")
        elif hashlib.sha256(file.read_bytes()).hexdigest() != sha:
            problems.append(f"{path}: not the file kept")
    return problems
