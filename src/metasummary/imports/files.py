"""Importing search-result files into a source: all of a file, or none of it.

One file is one ``store.write()`` transaction: a row in ``import_batches`` (name, sha256,
format, counts, and the entries left out under ``skip_bad``), the records, and an event. A
bad entry refuses the whole file with one ``FILE:LINE: what is wrong`` line per entry, and
the database is left as it was. A copy of the original file is kept in the review folder
under ``imports/<sha256>.<ext>``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from metasummary.errors import ImportFileError, InputError
from metasummary.models import RecordData, SourceKind
from metasummary.review import Review
from metasummary.sources import Format, Problem, ReadOptions, decode, format_named, read, sniff
from metasummary.sources.entries import YEAR_TEXT
from metasummary.store import events
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
        actor: str = "",
    ) -> ImportResult:
        """Import the contents of one file called ``name`` into ``source``; all or nothing.

        Args:
            source: The source's name; a name the protocol does not list creates a source
                outside it. Default: the protocol's source for the format's library, else
                the file name.
            format: A format name (see ``metasummary.sources.FORMATS``); default: sniffed.
            skip_bad: Import the sound entries and keep the bad ones in the import log,
                instead of refusing the file.
            columns: For the generic CSV format, field -> header.
        """
        sha = hashlib.sha256(data).hexdigest()
        doc = decode(data, name)
        fmt = format_named(format) if format else sniff(doc)
        source_name = source or self._default_source(fmt, name)
        options = ReadOptions(columns=dict(columns or {}))
        stored = self._keep_copy(data, sha, name, fmt)
        try:
            with self.review.store.write() as conn:
                row = self.review.ensure_source(conn, source_name, kind=SourceKind.FILE)
                earlier = store_imports.find(conn, row.id, sha)
                if earlier is not None:
                    raise ImportFileError(
                        f"{name}: this file was already imported into '{source_name}' on "
                        f"{earlier.created_at:%Y-%m-%d} (import {earlier.id}, as "
                        f"{earlier.file_name}); nothing was changed"
                    )
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
                if bad and not skip_bad:
                    raise ImportFileError(
                        f"{name}: {len(bad)} bad entr{'y' if len(bad) == 1 else 'ies'}; nothing "
                        f"was imported (fix the file, or use --skip-bad to import the "
                        f"{len(ids)} sound one{'' if len(ids) == 1 else 's'})",
                        problems=problem_lines(name, bad),
                    )
                if not ids:
                    raise ImportFileError(
                        f"{name}: no records found when read as {fmt.label}",
                        problems=problem_lines(name, bad),
                    )
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
        except BaseException:
            self._drop_copy(stored, sha)
            raise
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

    def _default_source(self, fmt: Format, name: str) -> str:
        if fmt.library:
            matches = [
                s.name for s in self.review.protocol.sources if s.library.lower() == fmt.library
            ]
            if len(matches) == 1:
                return matches[0]
        return Path(name).name

    def _keep_copy(self, data: bytes, sha: str, name: str, fmt: Format) -> str:
        root = self.review.root
        if root is None:
            return ""
        suffix = Path(name).suffix.lstrip(".").lower() or fmt.extension
        relative = f"{IMPORTS_DIR}/{sha}.{suffix}"
        target = root / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(data)
            partial.replace(target)
        return relative

    def _drop_copy(self, stored: str, sha: str) -> None:
        # Keep the copy when another batch (another source) still refers to the same file.
        root = self.review.root
        if not stored or root is None:
            return
        with self.review.store.read() as conn:
            if any(b.sha256 == sha for b in store_imports.list_batches(conn)):
                return
        (root / stored).unlink(missing_ok=True)


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
