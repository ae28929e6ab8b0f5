"""The query as the local full-text index runs it: clauses of phrases, with number forms.

Most libraries match the plural of a word by themselves (Scopus and Web of Science lemmatise,
ScienceDirect adds plurals and spelling variants, OpenAlex stems), so the local test does
too: every word without a wildcard also matches its regular singular or plural
(``interview`` finds ``interviews``, ``ML systems`` finds ``ML system``). Nothing else is
stemmed: ``interview`` does not find ``interviewed``; write ``interview*`` for that.
"""

from __future__ import annotations

from itertools import product

from metasummary.protocol import FieldScope
from metasummary.query.model import BooleanQuery, Term, TermGroup
from metasummary.query.text import number_forms
from metasummary.store.fulltext import Clause, Filter, Phrase

MAX_VARIANTS = 16
"""Phrases one term may expand to; longer phrases vary only their last words."""

SCOPE_FIELDS: dict[FieldScope, tuple[str, ...]] = {
    FieldScope.TITLE: ("title",),
    FieldScope.ABSTRACT: ("abstract",),
    FieldScope.KEYWORDS: ("keywords",),
    FieldScope.TITLE_ABSTRACT: ("title", "abstract"),
    FieldScope.TITLE_ABSTRACT_KEYWORDS: ("title", "abstract", "keywords"),
    # "all" is every field a record has here, the attached PDFs' text among them.
    FieldScope.ALL: ("title", "abstract", "keywords", "fulltext"),
}
FIELD_NAMES = ("title", "abstract", "keywords", "fulltext")
"""Fields ``query test --fields`` may name instead of each group's own."""


def term_phrases(term: Term) -> tuple[Phrase, ...]:
    """The phrases a term matches locally: its tokens with their number forms."""
    toks = term.tokens
    if not toks:
        return ()
    options: list[tuple[str, ...]] = [(tok,) if star else number_forms(tok) for tok, star in toks]
    # Keep the product small: vary from the last word backwards while it fits.
    total = 1
    for i in range(len(options) - 1, -1, -1):
        if total * len(options[i]) > MAX_VARIANTS:
            options[i] = options[i][:1]
        total *= len(options[i])
    stars = tuple(star for _, star in toks)
    return tuple(Phrase(tokens=combo, prefix=stars) for combo in product(*options))


def term_clause(term: Term, field: FieldScope, fields: tuple[str, ...] = ()) -> Clause:
    return Clause(phrases=term_phrases(term), fields=fields or SCOPE_FIELDS[field])


def group_clause(group: TermGroup, fields: tuple[str, ...] = ()) -> Clause:
    """The group's clause, in its own fields or in ``fields`` when given."""
    # dict.fromkeys: the same phrase can come from two terms ("ML system", "ML systems").
    phrases = tuple(dict.fromkeys(p for t in group.terms for p in term_phrases(t)))
    return Clause(phrases=phrases, fields=fields or SCOPE_FIELDS[group.field])


def query_filter(query: BooleanQuery, fields: tuple[str, ...] = ()) -> Filter:
    """The whole query: every group, minus the NOT group, within the years."""
    return Filter(
        clauses=tuple(group_clause(g, fields) for g in query.groups),
        exclude=group_clause(query.exclude, fields) if query.exclude else None,
        year_from=query.year_from,
        year_to=query.year_to,
    )


def text_filter(*clauses: Clause) -> Filter:
    """Clauses AND-ed, without the NOT group or years: one group's or one term's hits."""
    return Filter(clauses=clauses)
