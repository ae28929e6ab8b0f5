"""Web of Science advanced search: ``TS=(...)`` with field tags and ``PY=(2010-2022)``."""

from __future__ import annotations

from metasummary.protocol import FieldScope
from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery, TermGroup
from metasummary.query.render.base import Rendering, Search, adapt, assemble, or_list, quoted

LIB = library("wos")
TAGS = {
    FieldScope.TITLE: ("TI",),
    FieldScope.ABSTRACT: ("AB",),
    FieldScope.KEYWORDS: ("AK",),
    FieldScope.TITLE_ABSTRACT: ("TI", "AB"),
    FieldScope.TITLE_ABSTRACT_KEYWORDS: ("TS",),
    FieldScope.ALL: ("ALL",),
}


def _group(group: TermGroup) -> str:
    terms = or_list([quoted(t) for t in group.terms])
    parts = [f"{tag}={terms}" for tag in TAGS[group.field]]
    return parts[0] if len(parts) == 1 else or_list(parts)


def _one(query: BooleanQuery) -> Search:
    text = " AND ".join(_group(g) for g in query.groups)
    if query.year_from is not None or query.year_to is not None:
        start = query.year_from if query.year_from is not None else 1900
        end = query.year_to if query.year_to is not None else 2100
        text += f" AND PY=({start}-{end})"
    if query.exclude is not None:
        text += f" NOT {_group(query.exclude)}"
    return Search(text)


def render(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, LIB)
    if any(g.field is FieldScope.TITLE_ABSTRACT_KEYWORDS for g in adapted.all_groups()):
        changes.append(
            "title/abstract/keywords → TS (Topic): it also searches Keywords Plus, terms "
            "taken from the titles of the cited references"
        )
    settings = [
        "Advanced Search → Query Builder: paste the query; database: Web of Science Core "
        "Collection (name the editions you have in the report)",
        "the year limit is in the query",
    ]
    return assemble(LIB, adapted, _one, changes=changes, settings=settings)
