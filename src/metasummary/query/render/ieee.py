"""IEEE Xplore command search: every term carries its field, ``"Abstract":"machine learning"``."""

from __future__ import annotations

from urllib.parse import urlencode

from metasummary.protocol import FieldScope
from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery, TermGroup
from metasummary.query.render.base import Rendering, Search, adapt, assemble, quoted, years_text

LIB = library("ieee")
FIELDS = {
    FieldScope.TITLE: ("Document Title",),
    FieldScope.ABSTRACT: ("Abstract",),
    FieldScope.KEYWORDS: ("Author Keywords",),
    FieldScope.TITLE_ABSTRACT: ("Document Title", "Abstract"),
    FieldScope.TITLE_ABSTRACT_KEYWORDS: ("Document Title", "Abstract", "Author Keywords"),
    FieldScope.ALL: ("All Metadata",),
}


def _group(group: TermGroup) -> str:
    parts = [f'"{field}":{quoted(t)}' for t in group.terms for field in FIELDS[group.field]]
    return "(" + " OR ".join(parts) + ")"


def _counts(query: BooleanQuery) -> tuple[int, int]:
    terms = wildcards = 0
    for group in query.all_groups():
        n = len(FIELDS[group.field])
        terms += n * len(group.terms)
        wildcards += n * sum(t.has_wildcard for t in group.terms)
    return terms, wildcards


def _fits(query: BooleanQuery) -> bool:
    terms, wildcards = _counts(query)
    assert LIB.max_terms is not None
    assert LIB.max_wildcards is not None
    return terms <= LIB.max_terms and wildcards <= LIB.max_wildcards


def _one(query: BooleanQuery) -> Search:
    text = " AND ".join(_group(g) for g in query.groups)
    if query.exclude is not None:
        text = f"({text}) NOT {_group(query.exclude)}"
    params = {"queryText": text}
    if query.year_from is not None or query.year_to is not None:
        params["ranges"] = f"{query.year_from or 1800}_{query.year_to or 2100}_Year"
    url = "https://ieeexplore.ieee.org/search/searchresult.jsp?" + urlencode(params)
    return Search(query=text, url=url)


def render(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, LIB)
    settings = ["Advanced Search → Command Search; paste the query as it is"]
    years = years_text(query)
    if years:
        settings.append(f"Publication year filter: {years} (the link sets it)")
    terms, wildcards = _counts(adapted)
    limit = (
        f"IEEE Xplore takes at most {LIB.max_terms} search terms and {LIB.max_wildcards} "
        f"wildcards per search; each term counts once per field it is searched in "
        f"(this query: {terms} terms, {wildcards} wildcards)"
    )
    return assemble(LIB, adapted, _one, changes=changes, settings=settings, fits=_fits, limit=limit)
