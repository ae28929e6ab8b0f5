"""The protocol's query as each API takes it (for ``search --from-protocol``).

Kept small and in one place on purpose: the per-library query renderer in
``metasummary.query`` is the long-term home of this, and this function is the one call to
switch over to it.
"""

from __future__ import annotations

from metasummary.imports.search.api import ApiQuery, Params
from metasummary.protocol import FieldScope, Query, QueryGroup

_ARXIV_FIELD = {FieldScope.TITLE: "ti", FieldScope.ABSTRACT: "abs"}


def _quoted(term: str) -> str:
    term = term.replace('"', "").strip()
    return f'"{term}"' if " " in term or "-" in term else term


def _boolean(groups: list[QueryGroup]) -> str:
    parts = []
    for group in groups:
        terms = " OR ".join(_quoted(t) for t in group.terms)
        parts.append(f"({terms})" if len(group.terms) > 1 else terms)
    return " AND ".join(parts)


def render(query: Query, api: str) -> ApiQuery:
    """``query`` in ``api``'s syntax, with its year range as the API's filter."""
    if not query.groups:
        raise ValueError("the protocol has no query groups")
    years = query.years
    start = years.start if years else None
    end = years.end if years else None
    params: Params = {}
    if api == "openalex":
        text = _boolean(list(query.groups))
        if query.not_:
            text += " NOT (" + " OR ".join(_quoted(t) for t in query.not_.terms) + ")"
        if start or end:
            params["filter"] = f"publication_year:{start or ''}-{end or ''}"
        return ApiQuery(text, params)
    if api == "arxiv":
        parts = []
        for group in query.groups:
            prefix = _ARXIV_FIELD.get(group.field, "all")
            terms = " OR ".join(f"{prefix}:{_quoted(t)}" for t in group.terms)
            parts.append(f"({terms})")
        text = " AND ".join(parts)
        if query.not_:
            text += " ANDNOT (" + " OR ".join(f"all:{_quoted(t)}" for t in query.not_.terms) + ")"
        if start or end:
            text += f" AND submittedDate:[{start or 1990}01010000 TO {end or 2999}12312359]"
        return ApiQuery(text, params)
    # Crossref and Semantic Scholar's relevance search take plain words, not Boolean logic:
    # the terms rank the results, and screening does the rest.
    text = " ".join(t for group in query.groups for t in group.terms)
    if api == "crossref" and (start or end):
        bounds = [f"from-pub-date:{start}" if start else "", f"until-pub-date:{end}" if end else ""]
        params["filter"] = ",".join(b for b in bounds if b)
    if api == "semanticscholar" and (start or end):
        params["year"] = f"{start or ''}-{end or ''}"
    return ApiQuery(text, params)
