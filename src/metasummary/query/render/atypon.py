"""The Atypon platforms: ACM Digital Library and Wiley Online Library."""

from __future__ import annotations

from urllib.parse import urlencode

from metasummary.protocol import FieldScope
from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery, TermGroup
from metasummary.query.render.base import (
    Rendering,
    Search,
    adapt,
    assemble,
    or_list,
    quoted,
    years_text,
)

ACM = library("acm")
WILEY = library("wiley")

ACM_FIELDS = {
    FieldScope.TITLE: ("Title",),
    FieldScope.ABSTRACT: ("Abstract",),
    FieldScope.KEYWORDS: ("Keyword",),
    FieldScope.TITLE_ABSTRACT: ("Title", "Abstract"),
    FieldScope.TITLE_ABSTRACT_KEYWORDS: ("Title", "Abstract", "Keyword"),
    FieldScope.ALL: ("AllField",),
}


def _acm_group(group: TermGroup) -> str:
    terms = or_list([quoted(t) for t in group.terms])
    fields = [f"{field}:{terms}" for field in ACM_FIELDS[group.field]]
    return fields[0] if len(fields) == 1 else or_list(fields)


def _acm_one(query: BooleanQuery) -> Search:
    text = " AND ".join(_acm_group(g) for g in query.groups)
    if query.exclude is not None:
        text += f" AND NOT {_acm_group(query.exclude)}"
    params: dict[str, str | int] = {"AllField": text}
    if query.year_from is not None:
        params["AfterYear"] = query.year_from
    if query.year_to is not None:
        params["BeforeYear"] = query.year_to
    return Search(text, "https://dl.acm.org/action/doSearch?" + urlencode(params))


def render_acm(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, ACM)
    settings = [
        "Advanced Search → Edit search (or paste into the search box); the link runs it",
        "collection: The ACM Guide to Computing Literature (widest) or The ACM Full-Text "
        "Collection (ACM's own papers); say which in the report",
    ]
    years = years_text(query)
    if years:
        settings.append(f"Publication date: {years} (the link sets it)")
    return assemble(ACM, adapted, _acm_one, changes=changes, settings=settings)


WILEY_FIELD = {
    FieldScope.TITLE: "Title",
    FieldScope.ABSTRACT: "Abstract",
    FieldScope.KEYWORDS: "Keywords",
    FieldScope.TITLE_ABSTRACT: "Abstract",
    FieldScope.TITLE_ABSTRACT_KEYWORDS: "Abstract",
    FieldScope.ALL: "AllField",
}


def _wiley_one(query: BooleanQuery) -> Search:
    rows = [(WILEY_FIELD[g.field], " OR ".join(quoted(t) for t in g.terms)) for g in query.groups]
    lines = [f"[AND] {field}: {text}" for field, text in rows]
    if query.exclude is not None:
        text = " OR ".join(quoted(t) for t in query.exclude.terms)
        lines.append(f"[NOT] {WILEY_FIELD[query.exclude.field]}: {text}")
    params: dict[str, str | int] = {}
    for i, (field, text) in enumerate(rows, 1):
        params[f"field{i}"] = field
        params[f"text{i}"] = text
    if query.year_from is not None:
        params["AfterYear"] = query.year_from
    if query.year_to is not None:
        params["BeforeYear"] = query.year_to
    url = "https://onlinelibrary.wiley.com/action/doSearch?" + urlencode(params)
    return Search("\n".join(lines), url)


def render_wiley(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, WILEY)
    scopes = {g.field for g in adapted.all_groups()}
    if scopes & {FieldScope.TITLE_ABSTRACT, FieldScope.TITLE_ABSTRACT_KEYWORDS}:
        changes.append(
            "title/abstract/keywords → Abstract: Wiley's advanced search joins its rows with "
            "AND and searches one field per row, so a group cannot be OR-ed across title, "
            "abstract and keywords; records naming a group only in the title or keywords are "
            "missed (run the same rows with Title and union the results if that matters)"
        )
    settings = ["Advanced Search: one row per line below, each with its field and AND/NOT"]
    if query.exclude is not None:
        settings.append("the NOT row is not in the link; add it in the form")
    years = years_text(query)
    if years:
        settings.append(f"Published in: custom range {years} (the link sets it)")
    return assemble(WILEY, adapted, _wiley_one, changes=changes, settings=settings)
