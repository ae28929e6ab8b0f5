"""Quotes checked against the paper: every quote of a finding located on its page.

``findings check`` and the report ask here. A finding cut from the reader carries an anchor
(page and offsets, stored); any other quote (typed, or imported from a sheet) is looked for
in the paper's current full text. A quote not found is listed with the closest passage, so
a typo or a quote from another version of the paper shows at once.

A paper's pages are read once per full-text version (they never change) and kept as a
:class:`~.locate.PageIndex` while the service lives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from metasummary.errors import InputError
from metasummary.fulltext.locate import PageIndex, Place
from metasummary.store import findings as store_findings
from metasummary.store import fulltexts as store_fulltexts
from metasummary.store.findings import FindingRow
from metasummary.store.fulltexts import FulltextRow
from metasummary.store.groups import canonical_of

if TYPE_CHECKING:
    from metasummary.fulltext.service import FullTexts
    from metasummary.synthesis.findings import Finding

CACHED_PAPERS = 64
"""Page indexes kept in memory (one per full-text version)."""


@dataclass(frozen=True, slots=True)
class QuoteStatus:
    """One finding's quote against its paper."""

    finding_id: int
    record_id: int
    text: str
    status: str  # found | not-found | no-fulltext | too-short
    place: Place | None = None
    closest: Place | None = None
    fulltext_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "finding_id": self.finding_id,
            "record_id": self.record_id,
            "text": self.text,
            "status": self.status,
            "place": self.place.to_dict() if self.place else None,
            "closest": self.closest.to_dict() if self.closest else None,
            "fulltext_id": self.fulltext_id,
        }


class Quotes:
    """Quotes located in the papers' full texts (``project.fulltexts.quotes``)."""

    def __init__(self, fulltexts: FullTexts) -> None:
        self.fulltexts = fulltexts
        self.review = fulltexts.review
        self._indexes: dict[int, PageIndex] = fulltexts.page_indexes

    def _index(self, conn: sa.Connection, fulltext_id: int) -> PageIndex:
        index = self._indexes.get(fulltext_id)
        if index is None:
            pages = store_fulltexts.pages_of(conn, fulltext_id)
            index = PageIndex([(p.page, p.text) for p in pages])
            if len(self._indexes) >= CACHED_PAPERS:
                self._indexes.pop(next(iter(self._indexes)))
            self._indexes[fulltext_id] = index
        return index

    def check(
        self,
        *,
        record_id: int | None = None,
        finding_ids: Sequence[int] | None = None,
        closest: bool = True,
    ) -> list[QuoteStatus]:
        """Every quote (a finding of kind quote, or one cut from the reader) against its
        paper's current full text, in the findings' order."""
        with self.review.store.read() as conn:
            rows = store_findings.list_all(
                conn, record_ids=[record_id] if record_id is not None else None
            )
            if finding_ids is not None:
                wanted = set(finding_ids)
                rows = [r for r in rows if r.id in wanted]
            anchors = store_fulltexts.anchors(conn, [r.id for r in rows])
            rows = [r for r in rows if r.kind == "quote" or r.id in anchors]
            current = _current_by_paper(conn)
            return [self._status(conn, row, current, anchors, closest) for row in rows]

    def places(self) -> dict[int, Place]:
        """Where each located quote is (finding id -> place): the report's page numbers."""
        return {s.finding_id: s.place for s in self.check(closest=False) if s.place}

    def _status(
        self,
        conn: sa.Connection,
        row: FindingRow,
        current: dict[int, FulltextRow],
        anchors: dict[int, store_fulltexts.AnchorRow],
        closest: bool,
    ) -> QuoteStatus:
        held = current.get(row.record_id)
        if held is None:
            return QuoteStatus(row.id, row.record_id, row.text, "no-fulltext")
        index = self._index(conn, held.id)
        anchor = anchors.get(row.id)
        hint = anchor.page if anchor is not None and anchor.fulltext_id == held.id else None
        if anchor is not None and hint is not None:
            page_text = index.texts[index.numbers.index(hint)] if hint in index.numbers else ""
            passage = " ".join(page_text[anchor.start : anchor.end].split())
            if passage and index.find(passage) is not None:
                place = Place(anchor.page, anchor.start, anchor.end, 100.0, passage)
                return QuoteStatus(row.id, row.record_id, row.text, "found", place, None, held.id)
        found = index.find(row.text, page=hint)
        if found is not None:
            return QuoteStatus(row.id, row.record_id, row.text, "found", found, None, held.id)
        if len(index.joined) == 0 or not _long_enough(row.text):
            status = "too-short" if not _long_enough(row.text) else "not-found"
            return QuoteStatus(row.id, row.record_id, row.text, status, None, None, held.id)
        near = index.closest(row.text) if closest else None
        return QuoteStatus(row.id, row.record_id, row.text, "not-found", None, near, held.id)

    def add_finding(
        self,
        record_id: int,
        quote: str,
        *,
        page: int | None = None,
        coder: str = "",
        actor: str = "",
    ) -> tuple[Finding, Place | None]:
        """A finding cut from the paper: the quote exactly as selected, with its page and
        offsets when the selection is found in the paper's text (kept as its anchor)."""
        from metasummary.synthesis.findings import Findings

        text = quote.strip()
        if not text:
            raise InputError("select a passage to add it as a finding")
        actor = self.review.acting(actor or coder)
        held = self.fulltexts.require(record_id)
        with self.review.store.read() as conn:
            place = self._index(conn, held.id).find(text, page=page)
        location = f"p. {place.page}" if place else (f"p. {page}" if page else "")

        def anchor(conn: sa.Connection, finding_id: int) -> None:
            if place is not None:
                store_fulltexts.insert_anchor(
                    conn,
                    finding_id=finding_id,
                    fulltext_id=held.id,
                    page=place.page,
                    start=place.start,
                    end=place.end,
                    actor=actor,
                )

        finding = Findings(self.review).add(
            record_id,
            text,
            location=location,
            kind="quote",
            coder=coder,
            actor=actor,
            also=anchor,
        )
        return finding, place


def _long_enough(text: str) -> bool:
    from metasummary.fulltext.locate import MIN_QUOTE
    from metasummary.fulltext.text import fold

    return len(fold(text)) >= MIN_QUOTE


def _current_by_paper(conn: sa.Connection) -> dict[int, FulltextRow]:
    """Each paper's current full text (the latest attached to any record of its group)."""
    rows = store_fulltexts.list_all(conn)
    # Only the groups of records holding a full text: the board asks on every change, and
    # building every group of a 100,000-record review took most of a second.
    canonical = canonical_of(conn, {row.record_id for row in rows})
    current: dict[int, FulltextRow] = {}
    for row in rows:
        current[canonical[row.record_id]] = row
    return current
