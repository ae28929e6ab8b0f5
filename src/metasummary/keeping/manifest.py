"""A folder written whole or not at all, with a manifest of every file and its sha256.

Files are written into a hidden ``.partial`` folder beside the target, the manifest last,
everything flushed to disk, then the folder is renamed into place: a reader finds either a
complete backup or none. :func:`verify` checks every file against the manifest before a
restore trusts it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from metasummary.errors import InputError

MANIFEST = "manifest.json"
CHUNK = 1 << 20


@dataclass(slots=True)
class FolderWriter:
    """Adds files to a folder being written; see :func:`writing`."""

    root: Path
    files: list[dict[str, Any]] = field(default_factory=list)

    def add_file(self, source: Path, relative: str) -> None:
        """Copy ``source`` to ``relative`` inside the folder, hashing it on the way."""
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with source.open("rb") as read, target.open("wb") as write:
            while chunk := read.read(CHUNK):
                digest.update(chunk)
                write.write(chunk)
            write.flush()
            os.fsync(write.fileno())
        self.record(relative)

    def record(self, relative: str) -> None:
        """List a file already written into the folder (by a tool such as ``pg_dump``)."""
        path = self.root / relative
        self.files.append(
            {"path": relative, "bytes": path.stat().st_size, "sha256": sha256_of(path)}
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as read:
        while chunk := read.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def writing(target: Path, about: dict[str, Any]) -> Iterator[FolderWriter]:
    """Write the folder ``target`` (which must not exist) all at once; ``about`` goes into
    the manifest beside the file list."""
    if target.exists():
        raise InputError(f"{target}: already exists; choose another name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)  # left by a run that was killed
    partial.mkdir()
    try:
        writer = FolderWriter(partial)
        yield writer
        manifest = {**about, "files": writer.files}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _fsync_dir(partial)
        partial.rename(target)
        _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def verify(folder: Path) -> dict[str, Any]:
    """The manifest of ``folder`` after checking every file it lists.

    Raises:
        InputError: No manifest, or a file missing, cut short or changed.
    """
    path = folder / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{folder}: no {MANIFEST}; not a metasummary backup") from None
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    for entry in manifest.get("files", []):
        file = folder / entry["path"]
        if not file.is_file():
            raise InputError(f"{file}: listed in {MANIFEST} but missing; the backup is damaged")
        if file.stat().st_size != entry["bytes"] or sha256_of(file) != entry["sha256"]:
            raise InputError(f"{file}: differs from {MANIFEST}; the backup is damaged")
    return manifest
