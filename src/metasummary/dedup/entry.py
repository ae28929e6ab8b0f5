"""A record as the dedup engine sees it: every compared field normalised once."""

from __future__ import annotations

import re
from collections.abc import Hashable
from sys import intern

from metasummary.dedup.acronyms import venue_ids
from metasummary.dedup.locators import normalise_doi, normalise_number, normalise_pages
from metasummary.dedup.names import Name, first_and_least, parse_names
from metasummary.dedup.text import ascii_fold, fold, fold_spelling, strip_markup
from metasummary.dedup.venues import VenueKind, is_preprint_doi, venue_kind, venue_tokens
from metasummary.models import RecordData

ABSTRACT_CHARS = 400

# A short bracketed tag at the end: "[Japanese]", "(author's transl)", "(HUS)".
_TRAILING_TAG = re.compile(r"\s*[\[(][^\[\]()\d]{1,40}[\])]\s*\.?\s*$")
# Medline's notes about a paper, not part of its title: "[Erratum appears in ...]", "[97 refs]".
_ANNOTATION = re.compile(
    r"\s*\[\s*(erratum|errata|comment|retraction|retracted|corrected|republished|update|"
    r"see also|summary for patients|\d+ refs?)\b[^\]]*\]*",
    re.IGNORECASE,
)
_NOTICES = (
    (
        "retraction",
        re.compile(
            r"^(notice of retraction|retraction( note| notice)?\s*(:|to\b|of:)|"
            r"retracted( article)?\s*:|withdrawn\s*:|(editorial )?expression of concern)"
        ),
    ),
    (
        "erratum",
        re.compile(
            r"^(publisher'?s? |author )?(erratum|errata|corrigendum|correction)\s*(:|to\b|"
            r"notice\b|$)|\b(erratum|corrigendum)\b"
        ),
    ),
    (
        "comment",
        re.compile(
            r"^(reply|in reply|authors?'? reply|the authors'? reply|re\s*:|comments? on\b|"
            r"(invited |editorial )?commentary\b|response\s*(:|$)|response to (the )?(letter|"
            r"comments?|commentary|correspondence|editorial|critique|reviewers?)\b)"
            r"|[-:.]\s*(reply|in reply|authors?'? reply|response|commentary)\b"
            r"|\b(authors?'? reply|editorial comment|commentary)\s*\.?$"
        ),
    ),
)
# Titles without any of these words cannot be notices: most titles skip the full patterns.
_NOTICE_WORDS = frozenset(
    [
        "erratum",
        "errata",
        "corrigendum",
        "correction",
        "retraction",
        "retracted",
        "withdrawn",
        "concern",
        "reply",
        "response",
        "comment",
        "comments",
        "commentary",
        "re",
    ]
)
_NO_ABSTRACT = re.compile(r"^(no abstract|abstract not available|n a)\b")
_PLAIN = re.compile(r"[^a-z0-9:'.-]+")


# Columns, editorials and notices (on folded titles); the data-driven half is in recurring.py.
_LISTED = re.compile(
    r"^(?:(?:the |a )?(?:guest |associate |new |incoming |outgoing |senior )?"
    r"(?:editor|editors|editor s|editors s|editor in chief s?)"
    r" (?:comments?|notes?|introduction|corner|choice|message|letter|remarks|preface|page|"
    r"foreword|column|report|statement|farewell|welcome)\b"
    r"|editorial\b|guest editorial|from the (?:guest )?editors?\b|remarks from the editor"
    r"|(?:letter|note|message|comments?|introduction) from the (?:guest )?editors?"
    r"|(?:president|presidents|chair|chairs|chairman|dean)(?: s)? (?:message|letter|column|"
    r"corner|report|note)"
    r"|introduction to the (?:special |focus |theme )?(?:issue|section|minitrack|track)"
    r"|special (?:issue|section|focus|theme)(?: on| in| of|$)"
    r"|(?:mini ?)?track introduction"
    r"|reminiscences\b|in memoriam\b|obituary\b|book reviews?\b|review of books?\b"
    r"|(?:letters?|correspondence) to the editor\b|letters?$|correspondence$"
    r"|errat(?:um|a)\b|corrigend(?:um|a)\b|addendum\b"
    r"|(?:table of )?contents$|front matter|back matter|masthead|cover$|index$"
    r"|call for papers|reviewers? (?:list|acknowledg)|acknowledg(?:e)?ments? to reviewers"
    r"|(?:news|calendar|announcements?|events|in this issue|this issue|upcoming events)$"
    r"|(?:preface|foreword|prologue|epilogue)$"
    r"|(?:column|viewpoint|interview|puzzle|opinion|the back page)$"
    r")"
)


def is_listed(title: str) -> bool:
    """A folded title that names a column, an editorial or a notice rather than a paper."""
    return bool(title) and _LISTED.match(title) is not None


def clean_title(raw: str) -> str:
    """The title without trailing language or acronym tags and outer brackets."""
    text = raw.strip()
    if "[" not in text and not text.endswith(")"):
        return text
    text = _ANNOTATION.sub("", text).strip()
    for _ in range(3):
        trimmed = _TRAILING_TAG.sub("", text)
        if trimmed == text or len(trimmed) < 10:
            break
        text = trimmed
    return text


def notice_kind(title: str) -> str:
    """``erratum``, ``retraction`` or ``comment`` when the title says so, else ``""``."""
    plain = _PLAIN.sub(" ", ascii_fold(strip_markup(title))).strip()
    for kind, pattern in _NOTICES:
        if pattern.search(plain):
            return kind
    return ""


class Entry:
    """The normalised fields of one record; ``key`` is its id in the caller's terms."""

    __slots__ = (
        "abstract",
        "authors",
        "doi",
        "first",
        "issue",
        "key",
        "kind",
        "least",
        "notice",
        "pages",
        "recurring",
        "title",
        "venue",
        "venue_ids",
        "volume",
        "year",
    )

    def __init__(
        self,
        key: Hashable,
        title: str = "",
        notice: str = "",
        authors: str | tuple[Name, ...] = (),
        year: int | None = None,
        venue: tuple[str, ...] = (),
        kind: VenueKind = VenueKind.OTHER,
        volume: str = "",
        issue: str = "",
        pages: tuple[str, str] = ("", ""),
        doi: str = "",
        abstract: str = "",
        first: str = "",
        least: str = "",
        venue_ids: frozenset[str] = frozenset(),
        recurring: bool = False,
    ) -> None:
        self.key = key
        self.title = title
        self.notice = notice
        # Raw author strings (one per line) are parsed on first comparison: most records
        # are never compared.
        self.authors = authors
        self.first = first
        # The alphabetically first author: a blocking key that no author order changes.
        self.least = least
        self.year = year
        self.venue = venue
        self.kind = kind
        self.volume = volume
        self.issue = issue
        self.pages = pages
        self.doi = doi
        self.abstract = abstract
        self.venue_ids = venue_ids
        # A title that recurs in its venue (a column, an editorial): see recurring.py.
        self.recurring = recurring

    @property
    def names(self) -> tuple[Name, ...]:
        authors = self.authors
        if isinstance(authors, tuple):
            return authors
        names = parse_names(authors.split("\n")) if authors else ()
        self.authors = names
        return names

    def __repr__(self) -> str:
        return f"Entry({self.key!r}, {self.title[:40]!r}, {self.year})"


def _abstract(text: str) -> str:
    if not text:
        return ""
    folded = fold(text[: ABSTRACT_CHARS * 2])[:ABSTRACT_CHARS]
    return "" if _NO_ABSTRACT.match(folded) else folded


def make_entry(key: Hashable, data: RecordData) -> Entry:
    """Normalise one record for comparison."""
    cleaned = clean_title(data.title) if data.title else ""
    title = fold_spelling(fold(cleaned))
    doi = normalise_doi(data.doi) if data.doi else ""
    first, last = normalise_pages(data.pages)
    return Entry(
        key,
        title,
        "" if _NOTICE_WORDS.isdisjoint(title.split()) else notice_kind(cleaned),
        "\n".join(data.authors),
        data.year,
        venue_tokens(data.venue),
        VenueKind.PREPRINT if is_preprint_doi(doi) else venue_kind(data.venue, data.type),
        intern(normalise_number(data.volume)),
        intern(normalise_number(data.issue)),
        (intern(first), intern(last)),
        doi,
        _abstract(data.abstract),
        *first_and_least(data.authors),
        venue_ids(data.venue),
        is_listed(title),
    )
