"""The full-text step as one service: ``project.fulltexts``.

Attach PDFs (matched to their records by DOI or title, or as told), keep every version, and
read back a paper's current text page by page. The PDFs are evidence: a file attached is
kept in ``fulltexts/`` by its sha256 and never deleted; a second file for a paper is its next
version. Reading happens before anything is written, so a broken or encrypted file leaves
the review as it was.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from metasummary.errors import InputError, NotFoundError
from metasummary.fulltext.files import pdf_files, review_folder, store_pdf
from metasummary.fulltext.locate import PageIndex
from metasummary.fulltext.matching import Candidate, Match, Paper, PaperMatcher
from metasummary.fulltext.reader import PdfText, read_file, read_pdf
from metasummary.review import Review
from metasummary.store import decisions as store_decisions
from metasummary.store import events
from metasummary.store import fulltexts as store_fulltexts
from metasummary.store import records as store_records
from metasummary.store.counts import record_links
from metasummary.store.fulltexts import FulltextRow, PageRow
from metasummary.store.groups import DuplicateGroups

if TYPE_CHECKING:
    from metasummary.fulltext.fetch import Fetching
    from metasummary.fulltext.quality import Quality
    from metasummary.fulltext.quotes import Quotes


@dataclass(slots=True)
class Attached:
    """One file of an attach: where it went, or why not."""

    file: str
    status: str  # attached | already | unmatched
    record_id: int | None
    how: str  # doi | title | record | fetch | none
    detail: str = ""
    version: int | None = None
    pages: int = 0
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "record_id": self.record_id,
            "how": self.how,
            "detail": self.detail,
            "version": self.version,
            "pages": self.pages,
            "sha256": self.sha256,
            "warnings": list(self.warnings),
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(frozen=True, slots=True)
class FulltextInfo:
    """A paper's attached file (one version)."""

    row: FulltextRow
    paper: int
    title: str

    def to_dict(self) -> dict[str, Any]:
        r = self.row
        return {
            "record_id": self.paper,
            "title": self.title,
            "fulltext_id": r.id,
            "version": r.version,
            "file": r.file_name,
            "stored": r.stored_path,
            "sha256": r.sha256,
            "pages": r.pages,
            "empty_pages": list(r.details.get("empty_pages", [])),
            "matched_by": r.matched_by,
            "origin": r.origin,
            "attached_by": r.actor,
            "attached_at": r.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class _Planned:
    name: str
    pdf: PdfText
    match: Match


class FullTexts:
    """The PDFs of a review's papers (``project.fulltexts``)."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.page_indexes: dict[int, PageIndex] = {}
        """Located quotes' page indexes by full-text id (see :mod:`.quotes`)."""

    # -- the parts -------------------------------------------------------------------------

    @property
    def quotes(self) -> Quotes:
        from metasummary.fulltext.quotes import Quotes

        return Quotes(self)

    @property
    def quality(self) -> Quality:
        from metasummary.fulltext.quality import Quality

        return Quality(self.review)

    @property
    def fetching(self) -> Fetching:
        from metasummary.fulltext.fetch import Fetching

        return Fetching(self)

    # -- attaching -------------------------------------------------------------------------

    def attach(
        self, paths: Sequence[Path], *, record: int | None = None, actor: str = ""
    ) -> list[Attached]:
        """Attach the PDFs at ``paths`` (files, or folders searched for ``*.pdf``).

        Every file is read first: one broken or encrypted file and nothing is attached.
        ``record`` forces the match (one file only). Unmatched files are listed with their
        best candidates, not attached.
        """
        files = list(pdf_files(paths))
        if not files:
            raise InputError("name one or more PDF files or folders to attach")
        read = []
        for path in files:
            pdf = read_file(path)
            pdf.name = path.name  # errors name the path; warnings the file
            read.append((path.name, pdf))
        return self._attach(read, record=record, actor=actor)

    def attach_data(
        self,
        items: Sequence[tuple[str, bytes]],
        *,
        record: int | None = None,
        actor: str = "",
        origin: str = "",
    ) -> list[Attached]:
        """Attach PDFs given as (file name, bytes): a drop on a web page, a fetched copy."""
        read = [(name, read_pdf(data, name)) for name, data in items]
        return self._attach(read, record=record, actor=actor, origin=origin)

    def _attach(
        self,
        read: list[tuple[str, PdfText]],
        *,
        record: int | None,
        actor: str,
        origin: str = "",
    ) -> list[Attached]:
        root = review_folder(self.review.root)
        if record is not None and len(read) != 1:
            raise InputError("--record names one paper: attach one file with it")
        with self.review.store.read() as conn:
            groups = DuplicateGroups(record_links(conn))
            if record is not None:
                if store_records.get(conn, record) is None:
                    raise NotFoundError(f"record {record}: no such record in this review")
                forced = groups.canonical(record)
                matcher = None
            else:
                matcher = PaperMatcher(
                    Paper(r.id, groups.canonical(r.id), r.data.title, r.data.doi)
                    for r in store_records.iter_all(conn)
                )
        planned = [
            _Planned(
                name,
                pdf,
                Match(forced, "fetch" if origin else "record", origin)
                if matcher is None
                else matcher.match(pdf),
            )
            for name, pdf in read
        ]
        results: list[Attached] = []
        with self.review.store.write() as conn:
            for item in planned:
                results.append(self._attach_one(conn, root, groups, item, actor, origin))
        return results

    def _attach_one(
        self,
        conn: sa.Connection,
        root: Path,
        groups: DuplicateGroups,
        item: _Planned,
        actor: str,
        origin: str,
    ) -> Attached:
        pdf, match = item.pdf, item.match
        result = Attached(
            item.name,
            "unmatched",
            match.record_id,
            match.how,
            match.detail,
            pages=len(pdf.pages),
            sha256=pdf.sha256,
            warnings=pdf.warnings(),
            candidates=list(match.candidates),
        )
        if match.record_id is None:
            return result
        members = groups.members.get(match.record_id) or [match.record_id]
        held = store_fulltexts.list_all(conn, members)
        if held and held[-1].sha256 == pdf.sha256:
            result.status, result.version = "already", held[-1].version
            return result
        version = store_fulltexts.next_version(conn, members)
        stored = store_pdf(root, pdf.sha256, pdf.data)
        fulltext_id = store_fulltexts.insert(
            conn,
            record_id=match.record_id,
            version=version,
            sha256=pdf.sha256,
            file_name=Path(item.name).name,
            stored_path=stored,
            bytes=pdf.size,
            pages=len(pdf.pages),
            matched_by=match.how,
            origin=origin,
            details={
                "match": match.detail,
                "empty_pages": pdf.empty_pages,
                "metadata": pdf.metadata,
            },
            actor=actor,
        )
        store_fulltexts.insert_pages(
            conn,
            fulltext_id,
            (
                {"page": p.number, "start": p.start, "text": p.text, "search": p.search}
                for p in pdf.pages
            ),
        )
        events.log(
            conn,
            "fulltext.attach",
            entity="record",
            entity_id=match.record_id,
            actor=actor,
            payload={
                "fulltext": fulltext_id,
                "file": result.file,
                "sha256": pdf.sha256,
                "version": version,
                "how": match.how,
            },
        )
        result.status, result.version = "attached", version
        return result

    # -- reading ---------------------------------------------------------------------------

    def list(self, *, all_versions: bool = False) -> list[FulltextInfo]:
        """Each paper's current file (or every version), by paper."""
        with self.review.store.read() as conn:
            groups = DuplicateGroups(record_links(conn))
            rows = store_fulltexts.list_all(conn)
            current: dict[int, FulltextRow] = {}
            shown: list[tuple[int, FulltextRow]] = []
            for row in rows:
                paper = groups.canonical(row.record_id)
                current[paper] = row
                shown.append((paper, row))
            if not all_versions:
                shown = sorted(current.items())
            titles = {
                r.id: r.data.title
                for r in store_records.get_many(conn, sorted({p for p, _ in shown}))
            }
        return [FulltextInfo(row, paper, titles.get(paper, "")) for paper, row in shown]

    def current(self, record_id: int) -> FulltextRow | None:
        """The paper's current file (the latest version attached to any record of its
        duplicate group), or None."""
        with self.review.store.read() as conn:
            return current_row(conn, record_id)

    def require(self, record_id: int) -> FulltextRow:
        found = self.current(record_id)
        if found is None:
            raise NotFoundError(
                f"record {record_id}: no full text attached (metasummary fulltext attach FILE)"
            )
        return found

    def pages(self, record_id: int) -> builtins.list[PageRow]:
        """The current file's pages, in order; [] without a file."""
        with self.review.store.read() as conn:
            row = current_row(conn, record_id)
            return store_fulltexts.pages_of(conn, row.id) if row else []

    def pdf_path(self, row: FulltextRow) -> Path:
        root = review_folder(self.review.root)
        path = root / row.stored_path
        if not path.is_file():
            raise NotFoundError(
                f"{path}: the PDF of record {row.record_id} is missing from the review folder; "
                "restore it from a backup"
            )
        return path


def current_row(conn: sa.Connection, record_id: int) -> FulltextRow | None:
    members = group_members(conn, record_id)
    rows = store_fulltexts.list_all(conn, members)
    return rows[-1] if rows else None


def group_members(conn: sa.Connection, record_id: int) -> list[int]:
    found = store_decisions.group_members(conn, record_id)
    return list(found[1]) if found else [record_id]
