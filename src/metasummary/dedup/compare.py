"""Comparing two entries field by field: the evidence a verdict is built from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Indel

from metasummary.dedup.entry import Entry
from metasummary.dedup.locators import (
    Agreement,
    compare_issues,
    compare_pages,
    compare_values,
    misplaced,
)
from metasummary.dedup.names import AuthorMatch, author_similarity
from metasummary.dedup.venues import VenueKind, VenueMatch, compare_venues

MIN_TITLE = 0.6
"""Below this title similarity a pair is distinct unless its DOI or locators say otherwise."""
FAIR_TITLE = 0.85
"""Below this, only a shared DOI, shared locators or a notice make a pair worth a verdict."""

CONTAINED_MIN_CHARS = 25

_ROMAN = frozenset(
    [
        "ii",
        "iii",
        "iv",
        "v",
        "vi",
        "vii",
        "viii",
        "ix",
        "x",
        "xi",
        "xii",
        "xiii",
        "xiv",
        "xv",
        "xvi",
        "xx",
    ]
)
_NUMBERED = re.compile(r"\b(part|phase|type|stage|grade|study|volume|series) i\b")
_GENERIC_START = frozenset(
    [
        "editorial",
        "introduction",
        "preface",
        "foreword",
        "letter",
        "letters",
        "reply",
        "response",
        "comment",
        "commentary",
        "correspondence",
        "erratum",
        "correction",
        "index",
        "contents",
        "news",
        "obituary",
        "abstracts",
        "announcement",
        "announcements",
        "editor",
        "editors",
        "guest",
        "book",
    ]
)


@dataclass(slots=True)
class Comparison:
    """How two entries agree, field by field; ``None`` where a side has no value."""

    title: float | None
    contained: bool
    numbers_differ: bool
    generic: bool
    authors: float | None
    first_author: bool | None
    author_set: bool
    year_gap: int | None
    venue: VenueMatch
    kinds: frozenset[VenueKind]
    volume: Agreement
    issue: Agreement
    pages: Agreement
    doi: Agreement
    doi_close: bool
    abstract: float | None
    notices: tuple[str, str]
    page_range: bool = False  # both records give a range of several pages
    recurring: bool = False  # the title recurs in its venue (see recurring.py)

    @property
    def same_item(self) -> bool:
        """Volume and first page agree: the same printed item, whatever the titles say."""
        return self.pages is Agreement.SAME and self.volume is Agreement.SAME


_DIGITS = re.compile(r"\d+")
_ROMAN = frozenset(
    {"ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"}
)


def _numbers(title: str) -> frozenset[str]:
    found = set(_DIGITS.findall(title)) | (_ROMAN.intersection(title.split()))
    if _NUMBERED.search(title):
        found.add("i")
    return frozenset(found)


def is_generic(title: str) -> bool:
    """Titles that many different papers carry: "Editorial", "Reply", "Introduction" ..."""
    words = title.split()
    return len(words) <= 3 or (len(words) <= 6 and words[0] in _GENERIC_START)


def _title_evidence(a: str, b: str) -> tuple[float, bool]:
    if a == b:
        return 1.0, False
    similarity = Indel.normalized_similarity(a, b)
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    contained = (
        similarity < 1.0
        and len(short) >= CONTAINED_MIN_CHARS
        and (long.startswith(short) or long.endswith(short))
    )
    return similarity, contained


_SIGNATURE_DROP = str.maketrans("", "", " .-")


def _signature(authors: str) -> str:
    return authors.lower().translate(_SIGNATURE_DROP)


_SAME_LIST = AuthorMatch(1.0, True, True)


def _authors(a: Entry, b: Entry) -> AuthorMatch | None:
    raw_a, raw_b = a.authors, b.authors
    # Author lists written the same way need no parsing ("Zuna, R E" / "Zuna, R. E.").
    if (
        isinstance(raw_a, str)
        and isinstance(raw_b, str)
        and raw_a
        and a.first
        and _signature(raw_a) == _signature(raw_b)
    ):
        return _SAME_LIST
    return author_similarity(a.names, b.names)


def _venues(a: Entry, b: Entry) -> VenueMatch:
    match = compare_venues(a.venue, b.venue, a.kind, b.kind)
    # One acronym names both ("SIGMOD Conference", "International Conference on Management
    # of Data"), unless one is a journal and the other a conference ("SIGMOD Record").
    if (
        match in (VenueMatch.DIFFERENT, VenueMatch.UNKNOWN)
        and a.venue_ids & b.venue_ids
        and (a.kind is b.kind or VenueKind.OTHER in (a.kind, b.kind))
    ):
        return VenueMatch.SIMILAR
    return match


def compare(a: Entry, b: Entry) -> Comparison | None:
    """The evidence for one pair, or ``None`` when it cannot be the same paper."""
    doi = compare_values(a.doi, b.doi)
    pages = compare_pages(a.pages, b.pages)
    volume = compare_values(a.volume, b.volume)
    issue = compare_issues(a.issue, b.issue)
    if Agreement.DIFFERENT in (pages, volume) and misplaced(a, b):
        pages = volume = issue = Agreement.UNKNOWN
    same_item = pages is Agreement.SAME and volume is Agreement.SAME
    if a.title and b.title:
        title: float | None
        title, contained = _title_evidence(a.title, b.title)
        if (
            title < FAIR_TITLE
            and not contained
            and doi is not Agreement.SAME
            and not same_item
            and a.notice == b.notice
        ):
            return None  # nothing below this title similarity can be more than distinct
        generic = is_generic(a.title) or is_generic(b.title)
        # Volume and pages outweigh a number in the title (which only guards the rest).
        numbers_differ = (
            title < 1.0
            and not contained
            and not same_item
            and _numbers(a.title) != _numbers(b.title)
        )
    else:
        title, contained, numbers_differ, generic = None, False, False, False
        if doi is not Agreement.SAME and pages is not Agreement.SAME:
            return None
    authors = _authors(a, b)
    return Comparison(
        title=title,
        contained=contained,
        numbers_differ=numbers_differ,
        generic=generic,
        authors=authors.share if authors else None,
        first_author=authors.first if authors else None,
        author_set=authors.same_set if authors else False,
        year_gap=abs(a.year - b.year) if a.year is not None and b.year is not None else None,
        venue=_venues(a, b),
        kinds=frozenset((a.kind, b.kind)),
        volume=volume,
        issue=issue,
        pages=pages,
        doi=doi,
        doi_close=doi is Agreement.DIFFERENT and Indel.normalized_similarity(a.doi, b.doi) >= 0.9,
        abstract=Indel.normalized_similarity(a.abstract, b.abstract)
        if a.abstract and b.abstract
        else None,
        notices=(a.notice, b.notice),
        page_range=a.pages[0] != a.pages[1] and b.pages[0] != b.pages[1],
        recurring=a.recurring or b.recurring,
    )
