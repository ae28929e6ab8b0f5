"""The records list's search box: words looked up in the full-text index, or text scanned.

Each term (the box's text split at spaces) must occur in the title, abstract, authors or
DOI of a record. With the full-text index (the query package's, kept current by triggers) a
term is looked up as its words: letters and digits, case and accents ignored. The words of
one term (``10.1145/3510003``, ``production-ready``) must follow each other in one field;
the last may be the beginning of a word, the others are whole words. So ``requirement``
finds *requirements* and *Requirements-driven*, but ``quirement`` finds nothing.
Punctuation is not searchable: a term without a letter or digit (``&``) is left out.

Until the index is there (it is built off the request path, see ``web/indexing.py``), every
record is read and a term matches anywhere in the text, inside words too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection

from metasummary.query.text import tokens
from metasummary.store import fulltext
from metasummary.store.fulltext import Phrase


class TextSearch(StrEnum):
    """How the list's search was answered."""

    INDEX = "index"  # word beginnings, from the full-text index
    SCAN = "scan"  # text anywhere, reading every record


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """What the store's list filter gets: terms to scan for, or phrases to look up."""

    terms: tuple[str, ...] = ()
    phrases: tuple[Phrase, ...] = ()
    mode: TextSearch | None = None


def term_phrase(term: str) -> Phrase | None:
    """The phrase a term is looked up as; None when it holds no letter or digit."""
    words = tuple(tokens(term))
    if not words:
        return None
    return Phrase(tokens=words, prefix=tuple(i == len(words) - 1 for i in range(len(words))))


def plan_search(conn: Connection, terms: Sequence[str]) -> SearchPlan:
    """Look the terms up in the index when it is current, else scan for them."""
    if not terms:
        return SearchPlan()
    if not fulltext.index_current(conn):
        return SearchPlan(terms=tuple(terms), mode=TextSearch.SCAN)
    phrases = (term_phrase(term) for term in terms)
    found = dict.fromkeys(p for p in phrases if p is not None)
    return SearchPlan(phrases=tuple(found), mode=TextSearch.INDEX)
