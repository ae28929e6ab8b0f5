"""Importing search-result files into a source: all of a file, or none of it.

One file is one ``store.write()`` transaction: a row in ``import_batches`` (name, sha256,
format, counts, and the entries left out under ``skip_bad``), the records, and an event. A
bad entry refuses the whole file with one ``FILE:LINE: what is wrong`` line per entry, and
the database is left as it was. A copy of the original file is kept in the review folder
under ``imports/<sha256>.<ext>``: written under a temporary name first and renamed only once
the import is committed, so a failed or killed import leaves no copy that nothing refers to
(the next command that opens the review cleans up after a killed one, see
:meth:`Imports.adopt_copy`). Two imports of the same file, into one source or several, take
turns (:func:`metasummary.store.locks.serialise` on its sha256).

Without ``--source`` a file goes where its content says: to the protocol's source for the
library it names (``sources/library.py``). A file naming no library of the protocol, or
several, is not guessed at (:class:`SourceChoiceError` lists the sources to choose from). The
same file (sha256) in a second source is refused unless ``again`` says it is meant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from metasummary import crashpoints
from metasummary.errors import ImportFileError, InputError, SourceChoiceError
from metasummary.imports.retraction import UndoResult, redo_batch, undo_batch
from metasummary.models import RecordData, SourceKind
from metasummary.outputs.staging import StagedFile
from metasummary.review import Review
from metasummary.sources import Format, Problem, ReadOptions, decode, format_named, read, sniff
from metasummary.sources.entries import YEAR_TEXT
from metasummary.sources.library import named_libraries
from metasummary.sources.text import Document
from metasummary.store import events, locks
from metasummary.store import imports as store_imports
from metasummary.store import records as store_records
from metasummary.store.catalog import source_by_name
from metasummary.store.imports import BatchRow

IMPORTS_DIR = "imports"
SHOWN_PROBLEMS = 20


@dataclass(slots=True)
class ImportResult:
    """What one file brought in."""

    file: str
    source: str
    format: str
    encoding: str
    sha256: str
    batch_id: int
    entries: int
    imported: int
    stored_path: str = ""
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["skipped"] = [p.located(self.file) for p in self.skipped]
        data["warnings"] = [p.located(self.file) for p in self.warnings]
        return data


def problem_lines(name: str, problems: list[Problem], limit: int = SHOWN_PROBLEMS) -> list[str]:
    """``FILE:LINE: message`` for the first ``limit`` problems, then how many more."""
    lines = [p.located(name) for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"{name}: ... and {len(problems) - limit} more")
    return lines


class Imports:
    """Import files into a project's sources; see the import log."""

    def __init__(self, review: Review) -> None:
        self.review = review

    def import_file(
        self,
        path: str | Path,
        *,
        source: str | None = None,
        format: str | None = None,
        skip_bad: bool = False,
        columns: Mapping[str, str] | None = None,
        again: bool = False,
        actor: str = "",
    ) -> ImportResult:
        """Import one file; see :meth:`import_bytes`."""
        file = Path(path)
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise ImportFileError(f"{file}: no such file") from None
        except IsADirectoryError:
            raise ImportFileError(f"{file}: is a folder; give the export files in it") from None
        except OSError as exc:
            raise ImportFileError(f"{file}: cannot be read ({exc.strerror})") from None
        return self.import_bytes(
            data,
            str(file),
            source=source,
            format=format,
            skip_bad=skip_bad,
            columns=columns,
            again=again,
            actor=actor,
        )

    def import_bytes(
        self,
        data: bytes,
        name: str,
        *,
        source: str | None = None,
        format: str | None = None,
        skip_bad: bool = False,
        columns: Mapping[str, str] | None = None,
        again: bool = False,
        actor: str = "",
    ) -> ImportResult:
        """Import the contents of one file called ``name`` into ``source``; all or nothing.

        Args:
            source: The source's name; a name the protocol does not list creates a source
                outside it. Default: the protocol's source for the library the file's
                content names (:class:`SourceChoiceError` when it names none or several).
            format: A format name (see ``metasummary.sources.FORMATS``); default: sniffed.
            skip_bad: Import the sound entries and keep the bad ones in the import log,
                instead of refusing the file.
            columns: For the generic CSV format, field -> header.
            again: Import a file already imported into another source (its records then
                count twice until dedup links them).
        """
        sha = hashlib.sha256(data).hexdigest()
        doc = decode(data, name)
        fmt = format_named(format) if format else sniff(doc)
        options = ReadOptions(columns=dict(columns or {}))
        try:
            source_name = source or self.route(doc, fmt)
        except SourceChoiceError:
            _check_readable(doc, fmt, options, skip_bad)  # a broken file says so first
            raise
        actor = self.review.acting(actor)
        stored, staged = self._stage_copy(data, sha, name, fmt)
        try:
            with self.review.store.write() as conn:
                # The same file imported by two processes at once: the second waits here for
                # the first, then finds its batch (same source) or goes on (another source).
                locks.serialise(conn, f"import:{sha}")
                row = self.review.ensure_source(
                    conn, source_name, kind=SourceKind.FILE, actor=actor
                )
                _check_not_imported(conn, name, sha, row.id, source_name, again=again)
                batch_id = store_imports.insert(
                    conn,
                    source_id=row.id,
                    file_name=Path(name).name,
                    sha256=sha,
                    format=fmt.name,
                    stored_path=stored,
                    entries=0,
                    imported=0,
                )
                bad: list[Problem] = []
                warnings: list[Problem] = []
                records = _records(read(doc, fmt, options), bad, warnings)
                ids = store_records.insert_many(
                    conn, records, source_id=row.id, batch_id=batch_id, raw_format=fmt.name
                )
                _refuse_unsound(name, fmt, bad, len(ids), skip_bad)
                store_imports.update(
                    conn,
                    batch_id,
                    entries=len(ids) + len(bad),
                    imported=len(ids),
                    skipped=len(bad),
                    skipped_entries=[p.to_dict() for p in bad],
                )
                events.log(
                    conn,
                    "import.file",
                    entity="import_batch",
                    entity_id=batch_id,
                    actor=actor,
                    payload={
                        "file": Path(name).name,
                        "source": source_name,
                        "format": fmt.name,
                        "sha256": sha,
                        "imported": len(ids),
                        "skipped": len(bad),
                        "warnings": problem_lines(name, warnings, 100),
                        "first": ids[0],
                        "last": ids[-1],
                    },
                )
                crashpoints.reached("import.records")
            crashpoints.reached("import.committed")
            if staged is not None:
                staged.commit()
        finally:
            if staged is not None:
                staged.discard()
        if source is not None:
            warnings.extend(self._library_mismatch(doc, fmt, source))
        return ImportResult(
            file=name,
            source=source_name,
            format=fmt.name,
            encoding=doc.encoding,
            sha256=sha,
            batch_id=batch_id,
            entries=len(ids) + len(bad),
            imported=len(ids),
            stored_path=stored,
            skipped=bad,
            warnings=warnings,
        )

    def undo(self, batch_id: int, *, reason: str = "", actor: str = "") -> UndoResult:
        """Take import ``batch_id`` back: its records leave every count, list and export;
        the file, its rows and the log keep them (:meth:`redo` brings them back)."""
        with self.review.store.write() as conn:
            return undo_batch(conn, batch_id, actor=self.review.acting(actor), reason=reason)

    def redo(self, batch_id: int, *, again: bool = False, actor: str = "") -> UndoResult:
        """Count an undone import again (refused while the same file counts in another
        source, unless ``again``)."""
        with self.review.store.write() as conn:
            return redo_batch(conn, batch_id, actor=self.review.acting(actor), again=again)

    def log(self, source: str | None = None) -> list[BatchRow]:
        """Every import so far (optionally of one source), oldest first."""
        with self.review.store.read() as conn:
            source_id = None
            if source is not None:
                row = source_by_name(conn, source)
                if row is None:
                    raise InputError(f"source '{source}': no such source in this review")
                source_id = row.id
            return store_imports.list_batches(conn, source_id=source_id)

    def route(self, doc: Document, fmt: Format) -> str:
        """The protocol source a file goes to, by the library its content names.

        Raises:
            SourceChoiceError: The file names no library of the protocol's sources, or
                several sources fit; ``choices`` lists the sources to choose from.
        """
        protocol_sources = [s for s in self.review.protocol.sources if s.kind != "snowball"]
        choices = [s.name for s in protocol_sources]
        if not choices:
            raise SourceChoiceError(
                f"{doc.name}: the protocol lists no sources; add the libraries you searched "
                "under sources in protocol.yaml, or give --source NAME",
                choices=[],
            )
        named = named_libraries(doc, fmt)
        fitting = [s.name for s in protocol_sources if s.library.lower() in named]
        if len(fitting) == 1:
            return fitting[0]
        listed = ", ".join(repr(c) for c in (fitting or choices))
        said = (
            f"it names {', '.join(named)}, which fits {len(fitting)} sources"
            if fitting
            else f"it names {', '.join(named)}, which no protocol source has as its library"
            if named
            else "its content names no library"
        )
        raise SourceChoiceError(
            f"{doc.name}: which source does it go to? {said}; give --source with one of "
            f"{listed} (a new name creates a source outside the protocol)",
            choices=fitting or choices,
        )

    def _library_mismatch(self, doc: Document, fmt: Format, source: str) -> list[Problem]:
        """A warning when the file names another library than the source it was sent to."""
        spec = self.review.protocol.source(source)
        named = named_libraries(doc, fmt)
        if spec is None or not spec.library or not named or spec.library.lower() in named:
            return []
        fitting = [s.name for s in self.review.protocol.sources if s.library.lower() in named]
        better = f"; the protocol's source for it is '{fitting[0]}'" if len(fitting) == 1 else ""
        return [
            Problem(
                None,
                f"the file names {', '.join(named)}, but '{source}' is the {spec.library} "
                f"source{better} (metasummary import undo moves it)",
                warning=True,
            )
        ]

    def _stage_copy(
        self, data: bytes, sha: str, name: str, fmt: Format
    ) -> tuple[str, StagedFile | None]:
        """Where the copy is kept (relative), and its temporary (None when it is already
        there: an earlier import of the same file into another source)."""
        root = self.review.root
        if root is None:
            return "", None
        suffix = Path(name).suffix.lstrip(".").lower() or fmt.extension
        relative = f"{IMPORTS_DIR}/{sha}.{suffix}"
        target = root / relative
        if target.exists():
            return relative, None
        staged = StagedFile(target)
        staged.write_bytes(data)
        crashpoints.reached("import.copied")
        return relative, staged

    def adopt_copy(self, temporary: Path, target: Path) -> bool:
        """Whether a copy left by a killed import under its temporary name belongs at
        ``target``: the import was committed (it names that copy) and the bytes are the
        file's (their sha256 is the copy's name)."""
        root = self.review.root
        if root is None or target.parent != root / IMPORTS_DIR:
            return False
        relative = f"{IMPORTS_DIR}/{target.name}"
        with self.review.store.read() as conn:
            if not store_imports.stored_at(conn, relative):
                return False
        try:
            digest = hashlib.sha256(temporary.read_bytes()).hexdigest()
        except OSError:
            return False
        return target.name.startswith(f"{digest}.")


def _check_readable(doc: Document, fmt: Format, options: ReadOptions, skip_bad: bool) -> None:
    """Raise the error importing ``doc`` would raise for its content, if any."""
    bad: list[Problem] = []
    found = sum(1 for _ in _records(read(doc, fmt, options), bad, []))
    _refuse_unsound(doc.name, fmt, bad, found, skip_bad)


def _refuse_unsound(name: str, fmt: Format, bad: list[Problem], sound: int, skip_bad: bool) -> None:
    """Refuse a file with bad entries (unless ``skip_bad``) or without any record."""
    if bad and not skip_bad:
        raise ImportFileError(
            f"{name}: {len(bad)} bad entr{'y' if len(bad) == 1 else 'ies'}; nothing "
            f"was imported (fix the file, or use --skip-bad to import the "
            f"{sound} sound one{'' if sound == 1 else 's'})",
            problems=problem_lines(name, bad),
        )
    if not sound:
        raise ImportFileError(
            f"{name}: no records found when read as {fmt.label}",
            problems=problem_lines(name, bad),
        )


def _check_not_imported(
    conn: Connection, name: str, sha: str, source_id: int, source: str, *, again: bool
) -> None:
    """Refuse the same file twice in one source, and in a second source unless ``again``."""
    for earlier in store_imports.with_sha256(conn, sha):
        when = f"{earlier.created_at:%Y-%m-%d}"
        if earlier.source_id == source_id:
            if earlier.retracted:
                raise ImportFileError(
                    f"{name}: this file's import into '{source}' ({earlier.id}, {when}) was "
                    f"undone; bring it back with: metasummary import redo {earlier.id}"
                )
            raise ImportFileError(
                f"{name}: this file was already imported into '{source}' on {when} (import "
                f"{earlier.id}, as {earlier.file_name}); nothing was changed"
            )
        if not earlier.retracted and not again:
            raise ImportFileError(
                f"{name}: this very file (same sha256) is already import {earlier.id} in "
                f"'{earlier.source}' ({when}); importing it into '{source}' too would count "
                "its records twice. Give --again if that is meant, or move the import with: "
                f"metasummary import undo {earlier.id}"
            )


def _records(
    items: Iterator[RecordData | Problem], bad: list[Problem], warnings: list[Problem]
) -> Iterator[RecordData]:
    for item in items:
        if isinstance(item, Problem):
            (warnings if item.warning else bad).append(item)
            continue
        year_text = item.extra.get(YEAR_TEXT)
        if year_text:
            warnings.append(
                Problem(
                    item.entry_line,
                    f"'{year_text}' is not a year; the record's year is left empty",
                    item.entry_index,
                    warning=True,
                )
            )
        yield item
