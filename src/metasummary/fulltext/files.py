"""Where attached PDFs live: ``fulltexts/<sha256>.pdf`` in the review folder.

Content-addressed, so the same file attached twice is stored once, and a name never changes
its meaning. Files are written beside their final name and moved into place, so a crash
leaves no half-written PDF; nothing here deletes one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from metasummary.errors import InputError, ProjectError

FOLDER = "fulltexts"


def stored_name(sha256: str) -> str:
    return f"{FOLDER}/{sha256}.pdf"


def store_pdf(root: Path, sha256: str, data: bytes) -> str:
    """Keep ``data`` under the review folder; its path relative to the folder."""
    relative = stored_name(sha256)
    target = root / relative
    if target.exists() and target.stat().st_size == len(data):
        return relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).replace(target)
    except OSError as exc:
        raise ProjectError(f"{target}: cannot keep the PDF there ({exc.strerror})") from None
    return relative


def pdf_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The PDFs named: files as given, folders searched (sorted) for ``*.pdf``."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
            if not found:
                raise InputError(f"{path}: no PDF files in this folder")
            yield from found
        else:
            yield path


def review_folder(root: Path | None) -> Path:
    if root is None:
        raise InputError(
            "this review is opened by database URL; open it by its folder (-p DIR) so the PDFs "
            "have a home"
        )
    return root
