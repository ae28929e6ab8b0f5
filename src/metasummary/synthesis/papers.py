"""The included papers the synthesis works on, and finding the paper a spreadsheet row names.

A paper is a duplicate group, known by its canonical record. The synthesis counts the groups
included at full text (derived from the decisions, as ``status`` does) plus the papers added
from an extraction or findings sheet: a review that starts from a spreadsheet has extracted
those papers, so they are included by that fact. This module is the one place that rule lives.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.models import Phase, RecordData, SourceKind
from metasummary.review import Review
from metasummary.screening.standing import Standing
from metasummary.store import events
from metasummary.store import records as store_records
from metasummary.store.catalog import source_by_name
from metasummary.store.counts import record_links
from metasummary.store.groups import DuplicateGroups
from metasummary.store.records import StoredRecord
from metasummary.synthesis.sheets import Sheet, SheetRow

SHEET_SOURCE = "Synthesis sheets"
"""The source papers added from extraction and findings sheets are filed under."""

RECORD_HEADERS = ("record", "record id", "record_id")
KEY_HEADERS = ("key", "citation key", "citekey", "bibtex key", "#")
DOI_HEADERS = ("doi",)
TITLE_HEADERS = ("title", "paper title", "paper", "papers")
YEAR_HEADERS = ("year",)
AUTHOR_HEADERS = ("authors", "author")
VENUE_HEADERS = ("venue", "published in")


@dataclass(slots=True)
class Corpus:
    """Duplicate groups and which of them are included papers (canonical record ids)."""

    groups: DuplicateGroups
    included: set[int]

    def paper_of(self, record_id: int) -> int:
        return self.groups.canonical(record_id)

    def is_included(self, record_id: int) -> bool:
        return self.groups.canonical(record_id) in self.included

    def fold(self, values: Mapping[tuple[int, str], Any]) -> dict[tuple[int, str], Any]:
        """Values keyed by record, re-keyed by paper: a record deduplicated after extraction
        still lends its values to its group; the canonical record's own value wins."""
        folded: dict[tuple[int, str], Any] = {}
        for (record_id, name), value in sorted(values.items(), key=lambda kv: kv[0][0]):
            root = self.paper_of(record_id)
            if record_id == root or (root, name) not in folded or folded[(root, name)] is None:
                folded[(root, name)] = value
        return folded


def load_corpus(conn: sa.Connection, required: dict[Phase, int]) -> Corpus:
    """Included papers: full-text inclusions plus every paper added from a synthesis sheet."""
    groups = DuplicateGroups(record_links(conn))
    included = Standing(required).included(conn, Phase.FULL_TEXT)
    sheet_source = source_by_name(conn, SHEET_SOURCE)
    if sheet_source is not None:
        for record in store_records.iter_all(conn, source_id=sheet_source.id):
            included.add(groups.canonical(record.id))
    return Corpus(groups, included)


def normalise_title(title: str) -> str:
    """Lower case letters and digits only: titles match across exports and spreadsheets."""
    text = unicodedata.normalize("NFKD", title).casefold()
    return re.sub(r"[^0-9a-z]+", "", text)


def normalise_doi(doi: str) -> str:
    text = doi.strip().lower()
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", text)


@dataclass(slots=True)
class PaperColumns:
    """The headers of a sheet that identify or describe a paper."""

    record: str | None
    key: str | None
    doi: str | None
    title: str | None
    year: str | None
    authors: str | None
    venue: str | None

    @classmethod
    def of(cls, sheet: Sheet) -> PaperColumns:
        return cls(
            record=sheet.column(*RECORD_HEADERS),
            key=sheet.column(*KEY_HEADERS),
            doi=sheet.column(*DOI_HEADERS),
            title=sheet.column(*TITLE_HEADERS),
            year=sheet.column(*YEAR_HEADERS),
            authors=sheet.column(*AUTHOR_HEADERS),
            venue=sheet.column(*VENUE_HEADERS),
        )

    def any(self) -> bool:
        return any((self.record, self.key, self.doi, self.title))


@dataclass(slots=True)
class NewPaper:
    """A paper a sheet names that the review does not hold yet."""

    data: RecordData
    rows: list[int] = field(default_factory=list)
    record_id: int | None = None


class PaperIndex:
    """Looks up the paper (canonical record id) a row names, by record id, DOI, key or title."""

    def __init__(self, records: Iterable[StoredRecord], corpus: Corpus) -> None:
        self.corpus = corpus
        self.ids: set[int] = set()
        self.titles: dict[int, str] = {}
        self._by_doi: dict[str, set[int]] = defaultdict(set)
        self._by_key: dict[str, set[int]] = defaultdict(set)
        self._by_title: dict[str, set[int]] = defaultdict(set)
        for record in records:
            self.ids.add(record.id)
            self.titles[record.id] = record.data.title
            root = corpus.paper_of(record.id)
            if record.data.doi:
                self._by_doi[normalise_doi(record.data.doi)].add(root)
            if record.data.original_key:
                self._by_key[record.data.original_key.strip().casefold()].add(root)
            if record.data.title:
                self._by_title[normalise_title(record.data.title)].add(root)
        self.new: dict[str, NewPaper] = {}

    def resolve(self, sheet: Sheet, row: SheetRow, cols: PaperColumns) -> int | NewPaper | str:
        """The paper's canonical id, a :class:`NewPaper`, or a message saying what is wrong."""
        if cols.record and row.get(cols.record) is not None:
            return self._by_record_id(row.text(cols.record))
        key = row.text(cols.key).strip()
        doi = normalise_doi(row.text(cols.doi))
        title = row.text(cols.title).strip()
        for index, wanted, what in (
            (self._by_doi, doi, f"DOI {doi}"),
            (self._by_key, key.casefold(), f"key {key!r}"),
            (self._by_title, normalise_title(title), f"title {title!r}"),
        ):
            if wanted and index.get(wanted):
                return self._one(index[wanted], what)
        if not title:
            if key or doi:
                return f"no paper with {'DOI ' + doi if doi else 'key ' + repr(key)} in this review"
            return "names no paper (fill in the record, key, DOI or title column)"
        slot = doi or key.casefold() or normalise_title(title)
        paper = self.new.get(slot)
        if paper is None:
            paper = NewPaper(self._new_data(row, cols, key=key, doi=doi, title=title))
            self.new[slot] = paper
        paper.rows.append(row.number)
        return paper

    def _by_record_id(self, text: str) -> int | str:
        cleaned = text.lstrip("#").strip()
        if not cleaned.isdigit() or int(cleaned) not in self.ids:
            return f"{text!r} is not a record id of this review"
        return self.corpus.paper_of(int(cleaned))

    def _one(self, roots: set[int], what: str) -> int | str:
        if len(roots) > 1:
            included = roots & self.corpus.included
            if len(included) == 1:
                return next(iter(included))
            listed = ", ".join(str(r) for r in sorted(roots))
            return f"{what} matches several papers ({listed}); give the record id instead"
        return next(iter(roots))

    @staticmethod
    def _new_data(
        row: SheetRow, cols: PaperColumns, *, key: str, doi: str, title: str
    ) -> RecordData:
        year_text = row.text(cols.year)
        authors = [a.strip() for a in re.split(r";|\n", row.text(cols.authors)) if a.strip()]
        return RecordData(
            title=title,
            original_key=key,
            doi=doi,
            year=int(year_text) if year_text.isdigit() else None,
            authors=authors,
            venue=row.text(cols.venue),
        )


def add_papers(
    review: Review, conn: sa.Connection, papers: list[NewPaper], *, file: str, actor: str = ""
) -> None:
    """File the new papers under :data:`SHEET_SOURCE` in the caller's transaction."""
    if not papers:
        return
    source = review.ensure_source(conn, SHEET_SOURCE, kind=SourceKind.MANUAL)
    ids = store_records.insert_many(
        conn, [p.data for p in papers], source_id=source.id, raw_format="sheet"
    )
    events.log(
        conn,
        "records.add",
        entity="source",
        entity_id=source.id,
        actor=actor,
        payload={"count": len(ids), "first": ids[0], "file": file},
    )
    for paper, record_id in zip(papers, ids, strict=True):
        paper.record_id = record_id
