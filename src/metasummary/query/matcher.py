"""The local search semantics in plain Python, for a handful of texts.

``query check`` explains seed papers with it (which term matched, in which field), including
seed papers that exist only in the protocol. It follows exactly what the full-text index does
(``plan.py``, tested against both engines): tokens of letters and digits, case and accents
folded, phrases as consecutive tokens inside one field, a wildcard as a prefix, and the
number forms of words without one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from metasummary.query.model import Term, TermGroup
from metasummary.query.plan import SCOPE_FIELDS, term_phrases
from metasummary.query.text import tokens
from metasummary.store.fulltext import Clause, Phrase


@dataclass(frozen=True, slots=True)
class Document:
    """A record's searchable text, tokenised once."""

    fields: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, title: str = "", abstract: str = "", keywords: Sequence[str] = ()) -> Document:
        return cls(
            {
                "title": tuple(tokens(title)),
                "abstract": tuple(tokens(abstract)),
                "keywords": tuple(tokens(" ".join(keywords))),
            }
        )


def _phrase_in(phrase: Phrase, words: tuple[str, ...]) -> bool:
    n = len(phrase.tokens)
    for start in range(len(words) - n + 1):
        if all(
            words[start + i].startswith(tok) if star else words[start + i] == tok
            for i, (tok, star) in enumerate(zip(phrase.tokens, phrase.prefix, strict=True))
        ):
            return True
    return False


def term_fields(doc: Document, term: Term, fields: Sequence[str]) -> list[str]:
    """The fields (of ``fields``) in which ``term`` occurs."""
    phrases = term_phrases(term)
    return [f for f in fields if any(_phrase_in(p, doc.fields[f]) for p in phrases)]


def group_matches(doc: Document, group: TermGroup) -> dict[str, list[str]]:
    """Each matching term of ``group`` (as written) with the fields it occurs in."""
    fields = SCOPE_FIELDS[group.field]
    found: dict[str, list[str]] = {}
    for term in group.terms:
        where = term_fields(doc, term, fields)
        if where:
            found[term.text] = where
    return found


def clause_matches(doc: Document, clause: Clause) -> bool:
    """Whether any phrase of ``clause`` occurs in one of its fields of ``doc``."""
    return any(_phrase_in(p, doc.fields[f]) for f in clause.fields for p in clause.phrases)
