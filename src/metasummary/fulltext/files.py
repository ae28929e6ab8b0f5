"""Where attached PDFs live: ``fulltexts/<sha256>.pdf`` in the review folder.

Content-addressed, so the same file attached twice is stored once, and a name never changes
its meaning. A PDF is written under a temporary name beside its final one
(:mod:`metasummary.outputs.staging`) and renamed only once the attachment is committed, so a
crash leaves neither a half-written PDF nor one nothing refers to; the next command that
opens the review finishes or removes what a killed run left (:func:`adopt`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from metasummary import crashpoints
from metasummary.errors import InputError
from metasummary.outputs.staging import StagedFile

FOLDER = "fulltexts"


def stored_name(sha256: str) -> str:
    return f"{FOLDER}/{sha256}.pdf"


def stage_pdf(root: Path, sha256: str, data: bytes) -> tuple[str, StagedFile | None]:
    """Write ``data`` under a temporary name for its place in the review folder: the path
    relative to the folder, and the staged file to commit once the attachment is (None when
    the same PDF is already kept)."""
    relative = stored_name(sha256)
    target = root / relative
    if target.exists() and target.stat().st_size == len(data):
        return relative, None
    staged = StagedFile(target)
    staged.write_bytes(data)
    crashpoints.reached("fulltext.staged")
    return relative, staged


def adopt(root: Path, referenced: Callable[[str], bool]) -> Callable[[Path, Path], bool]:
    """For the sweep: a PDF a killed attachment left under its temporary name belongs in
    place when its attachment was committed (``referenced``) and its bytes are the PDF's."""

    def check(temporary: Path, target: Path) -> bool:
        if target.parent != root / FOLDER or not referenced(f"{FOLDER}/{target.name}"):
            return False
        try:
            digest = hashlib.sha256(temporary.read_bytes()).hexdigest()
        except OSError:
            return False
        return target.name == f"{digest}.pdf"

    return check


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
