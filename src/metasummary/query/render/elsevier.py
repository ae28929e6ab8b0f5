"""Elsevier's three searches: Scopus, ScienceDirect and Engineering Village (Compendex)."""

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

SCOPUS = library("scopus")
SCIENCEDIRECT = library("sciencedirect")
EV = library("engineeringvillage")

SCOPUS_FIELD = {
    FieldScope.TITLE: "TITLE",
    FieldScope.ABSTRACT: "ABS",
    FieldScope.KEYWORDS: "KEY",
    FieldScope.TITLE_ABSTRACT: "TITLE-ABS",
    FieldScope.TITLE_ABSTRACT_KEYWORDS: "TITLE-ABS-KEY",
    FieldScope.ALL: "ALL",
}


def _scopus_group(group: TermGroup) -> str:
    return SCOPUS_FIELD[group.field] + or_list([quoted(t) for t in group.terms])


def _scopus_one(query: BooleanQuery) -> Search:
    parts = [_scopus_group(g) for g in query.groups]
    text = " AND ".join(parts)
    # Scopus advises AND NOT at the end, after every other operator.
    if query.year_from is not None:
        text += f" AND PUBYEAR > {query.year_from - 1}"
    if query.year_to is not None:
        text += f" AND PUBYEAR < {query.year_to + 1}"
    if query.exclude is not None:
        text += f" AND NOT {_scopus_group(query.exclude)}"
    url = "https://www.scopus.com/results/results.uri?" + urlencode(
        {"src": "s", "sot": "a", "s": text}
    )
    return Search(text, url)


def render_scopus(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, SCOPUS)
    if any(
        g.field in (FieldScope.KEYWORDS, FieldScope.TITLE_ABSTRACT_KEYWORDS) for g in query.groups
    ):
        changes.append(
            "KEY searches author keywords and also Scopus's index terms (controlled "
            "vocabulary), so it finds a little more than author keywords alone"
        )
    settings = ["Advanced document search: paste the query; the year limit is in the query"]
    return assemble(SCOPUS, adapted, _scopus_one, changes=changes, settings=settings)


SD_FIELD = {
    FieldScope.TITLE: "title",
    FieldScope.ABSTRACT: "tak",
    FieldScope.KEYWORDS: "tak",
    FieldScope.TITLE_ABSTRACT: "tak",
    FieldScope.TITLE_ABSTRACT_KEYWORDS: "tak",
    FieldScope.ALL: "qs",
}
SD_LABEL = {
    "title": "Title",
    "tak": "Title, abstract or author-specified keywords",
    "qs": "Find articles with these terms",
}


def _sd_connectors(query: BooleanQuery) -> int:
    groups = query.all_groups()
    inside = sum(len(g.terms) - 1 for g in groups)
    return inside + len(groups) - 1


def _sd_fits(query: BooleanQuery) -> bool:
    assert SCIENCEDIRECT.max_connectors is not None
    return _sd_connectors(query) <= SCIENCEDIRECT.max_connectors


def _sd_one(query: BooleanQuery) -> Search:
    text = " AND ".join(or_list([quoted(t) for t in g.terms]) for g in query.groups)
    if query.exclude is not None:
        text += " NOT " + or_list([quoted(t) for t in query.exclude.terms])
    field = SD_FIELD[query.groups[0].field] if query.groups else "tak"
    params = {field: text}
    years = years_text(query)
    if query.year_from is not None and query.year_to is not None:
        params["date"] = f"{query.year_from}-{query.year_to}"
    elif years:
        params["date"] = str(query.year_from or query.year_to)
    return Search(text, "https://www.sciencedirect.com/search?" + urlencode(params))


def render_sciencedirect(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, SCIENCEDIRECT)
    fields = {SD_FIELD[g.field] for g in adapted.all_groups()}
    narrowed = {g.field for g in adapted.all_groups()} & {
        FieldScope.ABSTRACT,
        FieldScope.KEYWORDS,
        FieldScope.TITLE_ABSTRACT,
    }
    if narrowed:
        changes.append(
            "abstract/keyword/title-abstract scope → 'Title, abstract or author-specified "
            "keywords': ScienceDirect has no narrower field"
        )
    if len(fields) > 1:
        changes.append(
            "groups scoped to different fields: put each group in its own field box of the "
            "advanced form instead of one string"
        )
    field = next(iter(fields)) if fields else "tak"
    settings = [f"Advanced search → '{SD_LABEL[field]}': paste the query"]
    years = years_text(query)
    if years:
        settings.append(f"Year(s): {years} (the link sets it)")
    limit = (
        f"ScienceDirect allows at most {SCIENCEDIRECT.max_connectors} Boolean connectors "
        f"(AND, OR, NOT) per field (this query: {_sd_connectors(adapted)})"
    )
    return assemble(
        SCIENCEDIRECT,
        adapted,
        _sd_one,
        changes=changes,
        settings=settings,
        fits=_sd_fits,
        limit=limit,
    )


EV_FIELD = {
    FieldScope.TITLE: ("TI",),
    FieldScope.ABSTRACT: ("AB",),
    FieldScope.KEYWORDS: ("CV", "FL"),
    FieldScope.TITLE_ABSTRACT: ("TI", "AB"),
    FieldScope.TITLE_ABSTRACT_KEYWORDS: ("KY",),
    FieldScope.ALL: ("ALL",),
}


def _ev_group(group: TermGroup) -> str:
    terms = or_list([quoted(t) for t in group.terms])
    parts = [f"({terms} WN {code})" for code in EV_FIELD[group.field]]
    return parts[0] if len(parts) == 1 else or_list(parts)


def _ev_one(query: BooleanQuery) -> Search:
    text = " AND ".join(_ev_group(g) for g in query.groups)
    if query.exclude is not None:
        text = f"({text}) NOT {_ev_group(query.exclude)}"
    return Search(text)


def render_engineering_village(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, EV)
    scopes = {g.field for g in adapted.all_groups()}
    if FieldScope.TITLE_ABSTRACT_KEYWORDS in scopes:
        changes.append(
            "title/abstract/keywords → KY (Subject/Title/Abstract): it also searches "
            "Compendex's controlled and uncontrolled index terms"
        )
    if FieldScope.KEYWORDS in scopes:
        changes.append(
            "keywords → CV or FL: Compendex keeps author keywords among its uncontrolled terms (FL)"
        )
    settings = [
        "Expert search; databases: Compendex (and Inspec if your library has it — say which)",
        "leave Autostemming off to match the query as written (quoted phrases are never stemmed)",
    ]
    years = years_text(query)
    if years:
        settings.append(f"Date limit: {years}")
    return assemble(EV, adapted, _ev_one, changes=changes, settings=settings)
