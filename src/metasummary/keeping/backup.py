"""``backup`` and ``restore``: the whole review, consistent while the app runs.

A backup is a folder ``backup-YYYYMMDDTHHMMSSZ``: the database (``review.db`` from SQLite's
online backup, or ``review.pgdump`` from ``pg_dump``), then ``files/``: every file of the
review folder (protocol, imported files, full texts, exports ...) but the database itself,
caches and earlier backups, and ``manifest.json`` with each file's sha256. The database is
copied first: files are only ever added, so every file the snapshot refers to is there.

A restore checks every file against the manifest, writes the folder, and puts the database
back: a SQLite copy beside the protocol (or, with ``--db``, moved into another database), a
PostgreSQL dump into an empty PostgreSQL database. Then it opens the review to prove it works.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from metasummary.errors import InputError
from metasummary.keeping.manifest import verify, writing
from metasummary.protocol import PROTOCOL_FILE
from metasummary.review import Review
from metasummary.store import Store
from metasummary.store import meta as store_meta
from metasummary.store.engine import DB_FILE, resolve_url
from metasummary.store.meta import PROTOCOL_SNAPSHOT
from metasummary.store.migration import head_revision
from metasummary.store.snapshot import copy_sqlite, dump_postgres, restore_postgres
from metasummary.store.transfer import TableCount, copy_all, counts

BACKUPS_DIR = "backups"
FORMAT = "metasummary-backup"
SQLITE_FILE = "review.db"
PG_FILE = "review.pgdump"
FILES = "files"
SKIPPED = {BACKUPS_DIR, ".cache", ".git", "__pycache__"}
"""Folders of a review folder that a backup leaves out: copies, caches, version control."""


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    engine: str
    files: int
    bytes: int


@dataclass(frozen=True, slots=True)
class RestoreResult:
    folder: Path
    database: str
    files: int
    tables: list[TableCount]


def review_files(root: Path) -> Iterator[Path]:
    """The files a backup keeps, in a stable order."""
    database = {DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", f"{DB_FILE}-journal"}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] in SKIPPED or not path.is_file() or path.is_symlink():
            continue
        if len(relative.parts) == 1 and (
            path.name in database or path.name.startswith(f"{DB_FILE}.before-")
        ):
            continue
        if path.name.endswith(".part"):  # an import copy still being written
            continue
        yield path


def back_up(review: Review, into: Path | None = None) -> BackupResult:
    """Write a backup of ``review`` into the folder ``into`` (default: ``backups/`` in the
    review folder).

    Raises:
        InputError: A review opened by URL and no ``into``.
        StoreError: The database could not be copied (``pg_dump`` missing or failing).
    """
    store, root = review.store, review.root
    if into is None:
        if root is None:
            raise InputError("backup of a review opened by URL: give --to FOLDER")
        into = root / BACKUPS_DIR
    stamp = datetime.now(UTC)
    about = {
        "format": FORMAT,
        "version": 1,
        "created_at": stamp.isoformat(),
        "metasummary": version("metasummary"),
        "schema": head_revision(),
        "engine": store.dialect,
        "title": review.protocol.title,
    }
    target = _free_name(into / f"backup-{stamp:%Y%m%dT%H%M%SZ}")
    with writing(target, about) as out:
        if store.dialect == "sqlite":
            copy_sqlite(store, out.root / SQLITE_FILE)
            out.record(SQLITE_FILE)
        else:
            dump_postgres(store, out.root / PG_FILE)
            out.record(PG_FILE)
        if root is not None:
            for path in review_files(root):
                out.add_file(path, f"{FILES}/{path.relative_to(root).as_posix()}")
        else:  # the protocol is the copy the database keeps
            with store.read() as conn:
                text = store_meta.get(conn, PROTOCOL_SNAPSHOT) or ""
            (out.root / FILES).mkdir()
            (out.root / FILES / PROTOCOL_FILE).write_text(text, encoding="utf-8")
            out.record(f"{FILES}/{PROTOCOL_FILE}")
        files = list(out.files)
    return BackupResult(target, store.dialect, len(files), sum(f["bytes"] for f in files))


def _free_name(path: Path) -> Path:
    """``path``, or ``path-2``, ``path-3`` ... when backups are taken within one second."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}-{number}")
    return candidate


def restore(backup: Path, folder: Path, db: str | None = None) -> RestoreResult:
    """Put the backup in ``backup`` back as the review folder ``folder`` (new), its database
    beside it or at ``db``.

    Raises:
        InputError: A damaged backup, a folder that holds a review, or a PostgreSQL dump
            without a PostgreSQL ``db``.
        StoreError: The database could not be restored (the target is left empty).
    """
    manifest = verify(backup)
    if manifest.get("format") != FORMAT:
        raise InputError(f"{backup}: not a metasummary backup")
    if folder.exists() and any(folder.iterdir()):
        raise InputError(f"{folder}: not empty; restore into a new folder")
    engine = manifest["engine"]
    url = resolve_url(folder, db)
    if engine == "postgresql" and not url.startswith("postgresql"):
        raise InputError(
            f"{backup}: a PostgreSQL dump; give --db postgresql://... (an empty database), "
            "then move it elsewhere with metasummary migrate-db if you like"
        )
    files = [e["path"] for e in manifest["files"] if e["path"].startswith(f"{FILES}/")]
    # Built beside the target and renamed into place: a failed restore leaves no half folder.
    partial = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        for relative in files:
            target = partial / relative.removeprefix(f"{FILES}/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(backup / relative, target)
        if engine == "postgresql":
            restore_postgres(backup / PG_FILE, url)
        elif db is None:
            shutil.copy2(backup / SQLITE_FILE, partial / DB_FILE)
            url = resolve_url(partial)
        else:
            _move_sqlite(backup / SQLITE_FILE, url)
        with closing(Store(url, create=False)) as store:  # opens (and upgrades) it: it works
            tables = counts(store)
        if folder.exists():
            folder.rmdir()
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    with closing(Store(resolve_url(folder, db), create=False)) as store:
        shown = store.display_url
    return RestoreResult(folder, shown, len(files), tables)


def _move_sqlite(copy: Path, url: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        working = Path(scratch) / DB_FILE
        shutil.copy2(copy, working)  # opening may upgrade it: never touch the backup
        with (
            closing(Store(f"sqlite:///{working}")) as source,
            closing(Store(url, create=True)) as target,
        ):
            copy_all(source, target)
