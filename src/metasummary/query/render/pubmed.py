"""PubMed: tagged terms, ``"machine learning"[tiab]``, and ``2010:2022[dp]``."""

from __future__ import annotations

from urllib.parse import urlencode

from metasummary.protocol import FieldScope
from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery, TermGroup
from metasummary.query.render.base import Rendering, Search, adapt, assemble, or_list, quoted

LIB = library("pubmed")
TAG = {
    FieldScope.TITLE: "ti",
    FieldScope.ABSTRACT: "tiab",
    FieldScope.KEYWORDS: "ot",
    FieldScope.TITLE_ABSTRACT: "tiab",
    FieldScope.TITLE_ABSTRACT_KEYWORDS: "tiab",
    FieldScope.ALL: "all",
}


def _group(group: TermGroup) -> str:
    return or_list([f"{quoted(t)}[{TAG[group.field]}]" for t in group.terms])


def _one(query: BooleanQuery) -> Search:
    text = " AND ".join(_group(g) for g in query.groups)
    if query.year_from is not None or query.year_to is not None:
        text += f" AND {query.year_from or 1800}:{query.year_to or 3000}[dp]"
    if query.exclude is not None:
        text += f" NOT {_group(query.exclude)}"
    return Search(text, "https://pubmed.ncbi.nlm.nih.gov/?" + urlencode({"term": text}))


def render(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, LIB)
    scopes = {g.field for g in adapted.all_groups()}
    if FieldScope.ABSTRACT in scopes or FieldScope.TITLE_ABSTRACT in scopes:
        changes.append(
            "abstract / title-abstract → [tiab]: PubMed has no abstract-only tag, and [tiab] "
            "also covers author keywords"
        )
    settings = ["paste into the search box or Advanced → Query box; the years are in the query"]
    return assemble(LIB, adapted, _one, changes=changes, settings=settings)
