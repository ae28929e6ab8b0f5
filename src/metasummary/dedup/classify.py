"""From evidence to a verdict: duplicate, maybe, version, related or distinct.

The rules favour precision: a pair is linked automatically only when the title, the authors
and the year agree *and* something independent (venue, volume, pages, abstract) confirms it,
or when both records carry the same DOI. Guard rules stop the matches a naive score gets
wrong: two different DOIs, years more than one apart, an erratum or a reply beside the paper
it answers, a conference paper beside its journal extension (a *version*, not a duplicate).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from metasummary.dedup.compare import FAIR_TITLE, MIN_TITLE, Comparison
from metasummary.dedup.locators import Agreement
from metasummary.dedup.venues import VenueKind, VenueMatch


class Label(StrEnum):
    DUPLICATE = "duplicate"
    MAYBE = "maybe"
    VERSION = "version"  # a conference paper and its journal extension; a preprint
    RELATED = "related"  # an erratum, retraction, comment or reply and its paper
    DISTINCT = "distinct"


@dataclass(frozen=True, slots=True)
class Verdict:
    label: Label
    score: float
    reason: str


EXACT_TITLE = 0.97
HIGH_TITLE = 0.92

_WEIGHTS = {
    "title": 3.0,
    "authors": 2.0,
    "year": 1.0,
    "venue": 1.0,
    "pages": 1.5,
    "volume": 1.0,
    "issue": 0.5,
    "doi": 3.0,
    "abstract": 1.5,
}
_FULL_RECORD = sum(_WEIGHTS[f] for f in ("title", "authors", "year", "venue", "pages", "volume"))
_AGREEMENT = {Agreement.SAME: 1.0, Agreement.DIFFERENT: 0.0}
_VENUE = {VenueMatch.SAME: 1.0, VenueMatch.SIMILAR: 0.9, VenueMatch.DIFFERENT: 0.0}


def score(c: Comparison) -> float:
    """Weighted agreement over the fields both records have (0 to 1), lowered a little when
    few fields could be compared."""
    values: dict[str, float | None] = {
        "title": 0.95 if c.contained else c.title,
        "authors": c.authors,
        "year": None if c.year_gap is None else {0: 1.0, 1: 0.5}.get(c.year_gap, 0.0),
        "venue": _VENUE.get(c.venue),
        "pages": _AGREEMENT.get(c.pages),
        "volume": _AGREEMENT.get(c.volume),
        "issue": _AGREEMENT.get(c.issue),
        "doi": 0.8 if c.doi_close else _AGREEMENT.get(c.doi),
        "abstract": c.abstract,
    }
    total = weight = 0.0
    for name, value in values.items():
        if value is not None:
            total += _WEIGHTS[name] * value
            weight += _WEIGHTS[name]
    if not weight:
        return 0.0
    # Agreement on few fields is weaker evidence than agreement on many.
    coverage = min(1.0, weight / _FULL_RECORD)
    return round(total / weight * (0.85 + 0.15 * coverage), 4)


def classify(c: Comparison) -> Verdict:
    """The verdict on one compared pair, with the reason a reviewer will read."""
    label, reason = _decide(c)
    return Verdict(label, score(c), reason)


def _decide(c: Comparison) -> tuple[Label, str]:
    title = 0.0 if c.title is None else (max(c.title, HIGH_TITLE) if c.contained else c.title)
    similar_title = c.title is not None and title >= FAIR_TITLE
    authors_ok = c.authors is None or c.authors >= 0.6
    # The same people, in any order: the first authors agree, or the lists are one set.
    authors_strong = (
        c.authors is not None and c.authors >= 0.8 and (bool(c.first_author) or c.author_set)
    )
    year_ok = c.year_gap is None or c.year_gap <= 1
    same_year = c.year_gap == 0
    notice_a, notice_b = c.notices

    if c.doi is Agreement.SAME:
        if notice_a != notice_b and not c.same_item:
            return Label.RELATED, f"same DOI but {_notice(c)}"
        # A DOI is sometimes shared by a whole book or supplement: the titles must agree too,
        # or the authors and the printed place.
        if c.title is None or title >= FAIR_TITLE or c.same_item:
            return Label.DUPLICATE, "same DOI"
        if title >= MIN_TITLE and authors_strong:
            return Label.DUPLICATE, "same DOI and authors"
        return Label.MAYBE, "same DOI, different titles (parts of one book or supplement?)"

    if notice_a != notice_b and not c.same_item:
        if c.title is None or title >= MIN_TITLE:
            return Label.RELATED, _notice(c)
        return Label.DISTINCT, _notice(c)

    version = _version(c, similar_title, authors_ok)
    if version:
        return version

    if c.doi is Agreement.DIFFERENT and not c.doi_close:
        if title >= EXACT_TITLE and authors_strong and same_year and c.same_item:
            return Label.DUPLICATE, "DOIs differ, but title, authors, year, volume and pages agree"
        if title >= HIGH_TITLE and authors_ok and same_year:
            return Label.MAYBE, "different DOIs"
        return Label.DISTINCT, "different DOIs"

    if not year_ok:
        if title >= EXACT_TITLE and authors_strong and c.same_item:
            return Label.MAYBE, f"published {c.year_gap} years apart, but volume and pages agree"
        return Label.DISTINCT, f"published {c.year_gap} years apart"

    if c.recurring:
        return _recurring(c, title, authors_ok, year_ok)

    if c.generic:
        if c.same_item and authors_ok and c.issue is not Agreement.DIFFERENT:
            return Label.DUPLICATE, "short, common title; volume and pages agree"
        return Label.DISTINCT, "short, common title and nothing else to tell it apart"

    if c.numbers_differ and not c.same_item:
        if title >= HIGH_TITLE and authors_strong and c.pages is not Agreement.DIFFERENT:
            return Label.MAYBE, "titles differ in a number (part, phase, type, year?)"
        return Label.DISTINCT, "titles differ in a number"

    if c.title is None:
        return _without_title(c, authors_strong, same_year)

    return _main(c, title, authors_ok, authors_strong, same_year)


def _notice(c: Comparison) -> str:
    kind = c.notices[0] or c.notices[1]
    return f"one is a {kind}, the other is not" if not all(c.notices) else "different notices"


def _version(c: Comparison, similar_title: bool, authors_ok: bool) -> tuple[Label, str] | None:
    """A conference paper and its journal extension, or a preprint and its publication."""
    if not similar_title or not authors_ok or c.doi is Agreement.SAME or c.same_item:
        return None
    if VenueKind.PREPRINT in c.kinds and len(c.kinds) == 2:
        return Label.VERSION, "a preprint and its published version"
    if c.kinds == {VenueKind.CONFERENCE, VenueKind.JOURNAL} and c.venue is VenueMatch.DIFFERENT:
        if c.year_gap or c.pages is Agreement.DIFFERENT or c.doi is Agreement.DIFFERENT:
            return Label.VERSION, "a conference paper and its journal version"
        return Label.MAYBE, "same title in a conference and a journal"
    return None


def _recurring(c: Comparison, title: float, authors_ok: bool, year_ok: bool) -> tuple[Label, str]:
    """A title that recurs in its venue: only the printed place (or a DOI) shows one item."""
    if c.same_item and c.issue is not Agreement.DIFFERENT and authors_ok:
        return Label.DUPLICATE, "a recurring title; volume, issue and pages agree"
    if Agreement.DIFFERENT in (c.volume, c.issue, c.pages):
        return Label.DISTINCT, "a title that recurs in its venue, on different items"
    if title >= EXACT_TITLE and authors_ok and year_ok:
        return (
            Label.MAYBE,
            "a title that recurs in its venue (a column, an editorial?); volume, issue and "
            "pages do not show one item",
        )
    return Label.DISTINCT, "a title that recurs in its venue; nothing shows one item"


def _without_title(c: Comparison, authors_strong: bool, same_year: bool) -> tuple[Label, str]:
    # A record without a title cannot be screened either: it goes to a reviewer, never linked
    # automatically.
    if authors_strong and same_year and c.pages is Agreement.SAME:
        return Label.MAYBE, "no title on one side; authors, year and pages agree"
    return Label.DISTINCT, "no title on one side"


def _main(
    c: Comparison, title: float, authors_ok: bool, authors_strong: bool, same_year: bool
) -> tuple[Label, str]:
    venue_ok = c.venue in (VenueMatch.SAME, VenueMatch.SIMILAR)
    conflict = c.pages is Agreement.DIFFERENT or c.volume is Agreement.DIFFERENT
    if conflict:
        if title >= EXACT_TITLE and authors_strong and c.year_gap is not None and c.year_gap <= 1:
            return Label.MAYBE, "same title and authors, different volume or pages"
        return Label.DISTINCT, "different volume or pages"
    if c.authors is not None and c.authors < 0.34:
        if title >= EXACT_TITLE and c.same_item:
            return Label.MAYBE, "same title, volume and pages, different authors"
        return Label.DISTINCT, "different authors"

    located = c.pages is Agreement.SAME or (
        c.volume is Agreement.SAME and c.issue is Agreement.SAME
    )
    abstract_same = c.abstract is not None and c.abstract >= 0.9
    confirmed = located or abstract_same or (venue_ok and c.volume is Agreement.SAME)
    if title >= EXACT_TITLE:
        if c.authors is None:
            if venue_ok and located and same_year:
                return Label.DUPLICATE, "same title, venue, year and pages (no authors on one side)"
            if abstract_same:
                return Label.DUPLICATE, "same title and abstract (no authors on one side)"
        elif authors_ok and (confirmed or (venue_ok and authors_strong)):
            return Label.DUPLICATE, "same title and authors, " + _confirmation(c, venue_ok)
        elif authors_strong and same_year and c.venue is VenueMatch.UNKNOWN:
            return Label.DUPLICATE, "same title, authors and year"
        elif c.author_set and same_year:
            # Libraries name one venue in many ways ("VLDB", "Very Large Data Bases"): a
            # venue mismatch alone does not keep apart the same title, year and authors.
            return Label.DUPLICATE, "same title, year and authors (venue names differ)"
    elif title >= HIGH_TITLE:
        if authors_ok and c.authors is not None and (confirmed or (venue_ok and authors_strong)):
            how = "one title contains the other" if c.contained else "near-identical titles"
            return Label.DUPLICATE, f"{how}, same authors, " + _confirmation(c, venue_ok)
    elif title >= FAIR_TITLE:
        if authors_strong and same_year and venue_ok and located:
            return Label.DUPLICATE, "similar titles; authors, year, venue and pages agree"
    elif authors_strong and same_year and venue_ok and c.same_item:
        # Abstracts and letters share single pages; a page range is one item's own, and so
        # is a single page in the same issue.
        if (c.page_range and c.issue is not Agreement.DIFFERENT) or c.issue is Agreement.SAME:
            return Label.DUPLICATE, "titles differ; authors, year, venue, volume, pages agree"
        return Label.MAYBE, "titles differ; authors, year, venue, volume and pages agree"

    if title >= FAIR_TITLE and authors_ok:
        return Label.MAYBE, "similar title and authors, too little else to confirm"
    return Label.DISTINCT, "titles or authors differ"


def _confirmation(c: Comparison, venue_ok: bool) -> str:
    parts = []
    if c.pages is Agreement.SAME:
        parts.append("pages")
    if c.volume is Agreement.SAME:
        parts.append("volume")
    if venue_ok:
        parts.append("venue")
    if c.abstract is not None and c.abstract >= 0.9:
        parts.append("abstract")
    return ("same " + ", ".join(parts)) if parts else "same year"
