"""arXiv: the API's ``search_query`` and the web's advanced search form."""

from __future__ import annotations

from urllib.parse import urlencode

from metasummary.protocol import FieldScope
from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery, TermGroup
from metasummary.query.render.base import Rendering, Search, adapt, assemble, quoted, years_text

API = library("arxiv-api")
WEB = library("arxiv-web")

API_PREFIX = {
    FieldScope.TITLE: ("ti",),
    FieldScope.ABSTRACT: ("abs",),
    FieldScope.KEYWORDS: ("ti", "abs"),
    FieldScope.TITLE_ABSTRACT: ("ti", "abs"),
    FieldScope.TITLE_ABSTRACT_KEYWORDS: ("ti", "abs"),
    FieldScope.ALL: ("all",),
}


def _api_group(group: TermGroup) -> str:
    parts = [f"{p}:{quoted(t)}" for t in group.terms for p in API_PREFIX[group.field]]
    return "(" + " OR ".join(parts) + ")"


def _api_one(query: BooleanQuery) -> Search:
    text = " AND ".join(_api_group(g) for g in query.groups)
    if query.year_from is not None or query.year_to is not None:
        start = f"{query.year_from or 1991}01010000"
        end = f"{query.year_to or 2100}12312359"
        text += f" AND submittedDate:[{start} TO {end}]"
    if query.exclude is not None:
        text += f" ANDNOT {_api_group(query.exclude)}"
    url = "https://export.arxiv.org/api/query?" + urlencode(
        {"search_query": text, "start": 0, "max_results": 2000}
    )
    return Search(text, url)


def _no_keywords(query: BooleanQuery) -> list[str]:
    scopes = {g.field for g in query.all_groups()}
    if scopes & {FieldScope.KEYWORDS, FieldScope.TITLE_ABSTRACT_KEYWORDS}:
        return ["keywords → title and abstract: arXiv records carry no keywords"]
    return []


def render_api(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, API)
    changes += _no_keywords(adapted)
    settings = ["page through the results with start= (at most 2000 per request)"]
    if years_text(query):
        settings.append("the years are the first submission date (submittedDate), in the query")
    return assemble(API, adapted, _api_one, changes=changes, settings=settings)


WEB_FIELD = {
    FieldScope.TITLE: "title",
    FieldScope.ABSTRACT: "abstract",
    FieldScope.KEYWORDS: "abstract",
    FieldScope.TITLE_ABSTRACT: "abstract",
    FieldScope.TITLE_ABSTRACT_KEYWORDS: "abstract",
    FieldScope.ALL: "all",
}


def _web_one(query: BooleanQuery) -> Search:
    rows = [("AND", g) for g in query.groups]
    if query.exclude is not None:
        rows.append(("NOT", query.exclude))
    params: dict[str, str] = {"advanced": ""}
    lines = []
    for i, (op, group) in enumerate(rows):
        text = " OR ".join(quoted(t) for t in group.terms)
        field = WEB_FIELD[group.field]
        params |= {f"terms-{i}-operator": op, f"terms-{i}-term": text, f"terms-{i}-field": field}
        lines.append(f"[{op}] {field}: {text}")
    if query.year_from is not None or query.year_to is not None:
        params |= {
            "date-filter_by": "date_range",
            "date-from_date": f"{query.year_from or 1991}-01-01",
            "date-to_date": f"{query.year_to or 2100}-12-31",
            "date-date_type": "submitted_date_first",
        }
    params |= {"abstracts": "show", "size": "200", "order": "-announced_date_first"}
    url = "https://arxiv.org/search/advanced?" + urlencode(params)
    return Search("\n".join(lines), url)


def render_web(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, WEB)
    scopes = {g.field for g in adapted.all_groups()}
    if scopes & {FieldScope.TITLE_ABSTRACT, FieldScope.TITLE_ABSTRACT_KEYWORDS}:
        changes.append(
            "title and abstract → abstract: the form searches one field per row, so titles are "
            "not searched; the arxiv-api rendering searches both"
        )
    changes += _no_keywords(adapted)
    settings = ["Advanced Search: one row per line below (the link fills them in)"]
    years = years_text(query)
    if years:
        settings.append(f"Date: submitted between {years} (the link sets it)")
    return assemble(WEB, adapted, _web_one, changes=changes, settings=settings)
