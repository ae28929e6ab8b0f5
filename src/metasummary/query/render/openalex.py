"""OpenAlex works API: a Boolean ``title_and_abstract.search`` filter with the years."""

from __future__ import annotations

from urllib.parse import quote

from metasummary.protocol import FieldScope
from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery
from metasummary.query.render.base import Rendering, Search, adapt, assemble, or_list, quoted

LIB = library("openalex")
FILTER = {
    FieldScope.TITLE: "title.search",
    FieldScope.ABSTRACT: "abstract.search",
    FieldScope.KEYWORDS: "title_and_abstract.search",
    FieldScope.TITLE_ABSTRACT: "title_and_abstract.search",
    FieldScope.TITLE_ABSTRACT_KEYWORDS: "title_and_abstract.search",
    FieldScope.ALL: "default.search",
}
MAX_URL = 4000
"""OpenAlex limits a request URL to about 4 KB."""


def _one(query: BooleanQuery) -> Search:
    # Commas separate OpenAlex filters, so they cannot appear inside a search value.
    groups = [or_list([quoted(t).replace(",", " ") for t in g.terms]) for g in query.groups]
    text = " AND ".join(groups)
    if query.exclude is not None:
        text += " NOT " + or_list([quoted(t).replace(",", " ") for t in query.exclude.terms])
    key = FILTER[query.groups[0].field] if query.groups else "title_and_abstract.search"
    filters = [f"{key}:{text}"]
    if query.year_from is not None or query.year_to is not None:
        filters.append(f"publication_year:{query.year_from or ''}-{query.year_to or ''}")
    value = ",".join(filters)
    url = "https://api.openalex.org/works?filter=" + quote(value, safe=":,")
    return Search(value, url)


def render(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, LIB)
    scopes = {g.field for g in adapted.all_groups()}
    if scopes & {FieldScope.KEYWORDS, FieldScope.TITLE_ABSTRACT_KEYWORDS}:
        changes.append(
            "keywords → title and abstract: OpenAlex keeps no author keywords (its own "
            "'keywords' are assigned by OpenAlex)"
        )
    if len({FILTER[s] for s in scopes}) > 1:
        changes.append("groups scoped to different fields: all use the first group's field")
    settings = [
        "the value is the `filter` parameter; page with cursor=* and per-page=200",
        "OpenAlex stems words and drops stop words (use the .no_stem filters to turn that off)",
    ]
    rendering = assemble(LIB, adapted, _one, changes=changes, settings=settings)
    if any(len(s.url) > MAX_URL for s in rendering.searches):
        changes.append(f"the URL is over OpenAlex's ~{MAX_URL} character limit: shorten groups")
        return assemble(LIB, adapted, _one, changes=changes, settings=settings)
    return rendering
