"""Venues: journal and conference names in any abbreviation, and what kind of venue it is.

``J Am Soc Nephrol`` and ``Journal of the American Society of Nephrology`` agree (each word
of the short form begins, or is squeezed from, the word in the long form: ISO 4 and Medline
abbreviations work that way); so do ``JAMA`` and ``Journal of the American Medical
Association`` (an acronym), and ``Cancer Epidemiology, Biomarkers & Prevention`` and
``Cancer Epidemiology Biomarkers and Prevention``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache

from rapidfuzz.distance import Indel

from metasummary.dedup.text import fold


class VenueKind(StrEnum):
    JOURNAL = "journal"
    CONFERENCE = "conference"
    PREPRINT = "preprint"
    OTHER = "other"


class VenueMatch(StrEnum):
    SAME = "same"
    SIMILAR = "similar"
    DIFFERENT = "different"
    UNKNOWN = "unknown"


_STOP = frozenset(
    [
        "of",
        "the",
        "and",
        "in",
        "for",
        "on",
        "at",
        "to",
        "a",
        "an",
        "de",
        "des",
        "la",
        "le",
        "du",
        "der",
        "und",
        "et",
        "y",
        "fur",
    ]
)
# Embase writes conference abstracts as "Journal Name.Conference: 44th Meeting ..."
_EMBASE_CONFERENCE = re.compile(r"\.\s*conference\s*:.*$", re.IGNORECASE)
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_NOISE_TOKEN = re.compile(r"^(\d+|\d+(st|nd|rd|th)|[ivx]+)$")
_CONFERENCE_WORDS = re.compile(
    r"\b(conference|conf|proceedings?|proc|symposium|symp|workshop|congress|meeting|"
    r"colloquium|summit|lecture notes|ceur|procedia|notices|communications in computer|"
    r"advances in intelligent systems|advances in information and communication)\b"
)
# Without an entry type, a name must say it is a journal ("VLDB" could be either).
_JOURNAL_WORDS = re.compile(
    r"\b(journal|j|transactions|trans|letters|lett|review|reviews|rev|magazine|mag|record|"
    r"bulletin|bull|annals|ann|acta|archives|arch|quarterly|newsletter|notices|communications|"
    r"commun|research|science|sciences|medicine|med)\b"
)
_PREPRINT_WORDS = re.compile(
    r"\b(arxiv|biorxiv|medrxiv|ssrn|preprints?|research square|techrxiv|psyarxiv|chemrxiv)\b"
)
_PREPRINT_DOI = ("10.48550/", "10.1101/", "10.2139/", "10.21203/", "10.31234/", "10.36227/")
_CONFERENCE_TYPES = frozenset(
    {
        "inproceedings",
        "conference",
        "proceedings",
        "conference paper",
        "paper conference",
        "conf",
        "cpaper",
        "conference proceeding",
        "proceedings paper",
        "conference abstract",
    }
)
_JOURNAL_TYPES = frozenset(
    {"article", "journal article", "article journal", "jour", "review", "letter", "editorial"}
)


@lru_cache(maxsize=131072)
def venue_tokens(venue: str) -> tuple[str, ...]:
    """The words of a venue name that carry meaning (no years, ordinals or small words)."""
    if not venue:
        return ()
    text = _BRACKETS.sub(" ", _EMBASE_CONFERENCE.sub("", venue))
    return tuple(t for t in fold(text).split() if t not in _STOP and not _NOISE_TOKEN.match(t))


def is_preprint_doi(doi: str) -> bool:
    """DOIs of preprint servers (arXiv, bioRxiv and medRxiv, SSRN, Research Square ...)."""
    return doi.startswith(_PREPRINT_DOI)


@lru_cache(maxsize=131072)
def venue_kind(venue: str, entry_type: str) -> VenueKind:
    """Journal, conference, preprint or other, from the venue's words and the entry type."""
    words = fold(venue)
    kind = fold(entry_type)
    if _PREPRINT_WORDS.search(words):
        return VenueKind.PREPRINT
    if kind in _CONFERENCE_TYPES or _CONFERENCE_WORDS.search(words):
        return VenueKind.CONFERENCE
    if kind in _JOURNAL_TYPES or (not kind and _JOURNAL_WORDS.search(words)):
        return VenueKind.JOURNAL
    return VenueKind.OTHER


def _abbreviates(short: str, long: str) -> bool:
    """``short`` begins ``long`` or is squeezed from it (natl/national, br/british)."""
    if long.startswith(short):
        return True
    if short[0] != long[0] or len(short) < 2:
        return False
    pos = 0
    for char in short:
        pos = long.find(char, pos) + 1
        if pos == 0:
            return False
    return True


def _abbreviation_of(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    if len(short) == 1 and len(long) >= 3 and short[0] == "".join(t[0] for t in long):
        return True  # an acronym: JAMA, PNAS, NEJM
    if len(short) == len(long):
        return all(_abbreviates(s, t) for s, t in zip(short, long, strict=True))
    # A name cut short ("Scandinavian Journal of Immunology" + a supplement's title).
    return len(short) >= 3 and long[: len(short)] == short


@lru_cache(maxsize=262144)
def compare_venues(
    a: tuple[str, ...], b: tuple[str, ...], a_kind: VenueKind, b_kind: VenueKind
) -> VenueMatch:
    if not a or not b:
        return VenueMatch.UNKNOWN
    if a == b or "".join(a) == "".join(b):
        return VenueMatch.SAME
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if _abbreviation_of(short, long) or (len(a) == len(b) and _abbreviation_of(long, short)):
        return VenueMatch.SIMILAR
    if Indel.normalized_similarity(" ".join(a), " ".join(b)) >= 0.9:
        return VenueMatch.SIMILAR
    if a_kind is VenueKind.CONFERENCE and b_kind is VenueKind.CONFERENCE:
        return VenueMatch.UNKNOWN  # conference names vary too much to tell them apart
    return VenueMatch.DIFFERENT
