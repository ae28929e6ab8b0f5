"""Semantic Scholar bulk search: ``+`` for AND, ``|`` for OR, ``-`` for NOT."""

from __future__ import annotations

from urllib.parse import urlencode

from metasummary.protocol import FieldScope
from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery
from metasummary.query.render.base import Rendering, Search, adapt, assemble, or_list, quoted

LIB = library("semanticscholar")


def _one(query: BooleanQuery) -> Search:
    text = " + ".join(or_list([quoted(t) for t in g.terms], "|") for g in query.groups)
    if query.exclude is not None:
        text += " -" + or_list([quoted(t) for t in query.exclude.terms], "|")
    params = {"query": text, "fields": "title,abstract,year,externalIds"}
    if query.year_from is not None or query.year_to is not None:
        params["year"] = f"{query.year_from or ''}-{query.year_to or ''}"
    url = "https://api.semanticscholar.org/graph/v1/paper/search/bulk?" + urlencode(params)
    return Search(text, url)


def render(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, LIB)
    scopes = {g.field for g in adapted.all_groups()}
    if scopes - {FieldScope.TITLE_ABSTRACT}:
        changes.append(
            "every group → title and abstract: bulk search cannot be limited to one field and "
            "has no keywords"
        )
    settings = [
        "GET /graph/v1/paper/search/bulk with the link's parameters; page with the returned "
        "token; the year range is the `year` parameter",
        "the relevance search (/paper/search) ignores this syntax; use bulk search",
    ]
    return assemble(LIB, adapted, _one, changes=changes, settings=settings)
