"""Which record a PDF is: by a DOI it carries, else by the title on its first page.

A DOI is looked for in the PDF's metadata, then on its first page, then on its second (a
DOI further in is likely a reference's). One that a record of the review carries decides.
Otherwise every record's title is compared with the first page's opening lines, one to four
consecutive lines at a time, and with the PDF's metadata title, as skeletons (letters and
digits only, folded: see :mod:`.text`), which makes the comparison blind to ligatures,
hyphenation, split accents, line breaks and capitals. A title must be (nearly) the whole of
those lines, not a phrase in them: an abstract naming another paper's title does not match.
The best title scoring :data:`TITLE_MATCH` or more decides, unless a different paper scores
as well. Otherwise the PDF is unmatched and the best candidates are listed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from metasummary.fulltext.reader import PdfText
from metasummary.fulltext.text import fold
from metasummary.sources.normalise import doi as normalise_doi

TITLE_MATCH = 90.0
"""Lowest partial-ratio score (0-100) of a title against the first page's head."""
HEAD_LINES = 40
"""Opening lines of the first page a title is looked for in (journal headers come first)."""
SPAN = 4
"""Most lines a title is set on."""
MIN_TITLE = 12
"""Titles shorter than this (in skeleton letters) are too generic to match by."""
CANDIDATES = 3
_DOI = re.compile(r"\b10\.\d{4,9}/[^\s\"'<>]+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]{3,}")


@dataclass(frozen=True, slots=True)
class Candidate:
    record_id: int
    title: str
    score: float

    def to_dict(self) -> dict[str, object]:
        return {"record_id": self.record_id, "title": self.title, "score": round(self.score, 1)}


@dataclass(frozen=True, slots=True)
class Match:
    """What a PDF matched: a paper (canonical record id) and how, or candidates."""

    record_id: int | None
    how: str  # doi | title | record | none
    detail: str = ""
    """The DOI found, or the title score."""
    candidates: list[Candidate] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "record_id": self.record_id,
            "how": self.how,
            "detail": self.detail,
            "candidates": [c.to_dict() for c in self.candidates],
        }


@dataclass(frozen=True, slots=True)
class Paper:
    """A record as matching sees it: its paper (canonical id), title and DOI."""

    record_id: int
    paper: int
    title: str
    doi: str


class PaperMatcher:
    """Matches PDFs against the records of a review (duplicates count as their paper)."""

    def __init__(self, papers: Iterable[Paper]) -> None:
        self.papers = list(papers)
        self.by_doi: dict[str, set[int]] = {}
        self._titles: list[tuple[Paper, str, set[str]]] = []
        for paper in self.papers:
            if paper.doi:
                self.by_doi.setdefault(normalise_doi(paper.doi), set()).add(paper.paper)
            skeleton = fold(paper.title)
            if len(skeleton) >= MIN_TITLE:
                words = {w.casefold() for w in _WORD.findall(paper.title)}
                self._titles.append((paper, skeleton, words))

    def match(self, pdf: PdfText) -> Match:
        for where, text in dois_in(pdf):
            for found in text:
                papers = self.by_doi.get(found)
                if papers and len(papers) == 1:
                    return Match(next(iter(papers)), "doi", f"{found} ({where})")
        return self._by_title(pdf)

    def _by_title(self, pdf: PdfText) -> Match:
        page = next((p for p in pdf.pages[:2] if not p.empty), None)
        lines = [line for line in (page.search.split("\n") if page else []) if fold(line)]
        lines = lines[:HEAD_LINES]
        windows = {
            fold(" ".join(lines[i : i + size]))
            for i in range(len(lines))
            for size in range(1, SPAN + 1)
            if i + size <= len(lines)
        }
        title_meta = pdf.metadata.get("Title", "")
        if len(fold(title_meta)) >= MIN_TITLE:
            windows.add(fold(title_meta))
        if not windows:
            return Match(None, "none", "no text on the first pages to match a title against")
        head_words = {w.casefold() for w in _WORD.findall(" ".join(lines) + " " + title_meta)}
        choices = sorted(windows)
        scored: dict[int, Candidate] = {}
        for paper, skeleton, words in self._titles:
            # Cheap filter first: most of a title's words must be on the page.
            if words and len(words & head_words) < 0.5 * len(words):
                continue
            found = process.extractOne(skeleton, choices, scorer=fuzz.ratio, score_cutoff=50)
            score = float(found[1]) if found else 0.0
            best = scored.get(paper.paper)
            if score and (best is None or score > best.score):
                scored[paper.paper] = Candidate(paper.paper, paper.title, score)
        ranked = sorted(scored.values(), key=lambda c: (-c.score, c.record_id))
        if ranked and ranked[0].score >= TITLE_MATCH:
            top = ranked[0]
            rivals = [c for c in ranked[1:] if c.score >= top.score - 0.5]
            if not rivals:
                return Match(top.record_id, "title", f"title {top.score:.0f}%", ranked[:CANDIDATES])
        return Match(None, "none", "no record's title or DOI is on the first page", ranked[:3])


def dois_in(pdf: PdfText) -> list[tuple[str, list[str]]]:
    """DOIs in the metadata, on page 1 and on page 2, in that order of trust."""
    places = [("metadata", " ".join(pdf.metadata.values()))]
    places += [(f"page {p.number}", p.search) for p in pdf.pages[:2]]
    found: list[tuple[str, list[str]]] = []
    for where, text in places:
        dois = list(dict.fromkeys(normalise_doi(m.group(0)) for m in _DOI.finditer(text)))
        if dois:
            found.append((where, [d for d in dois if d]))
    return found
