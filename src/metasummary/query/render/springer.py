"""SpringerLink: one Boolean string over the full text (it has no abstract field)."""

from __future__ import annotations

from urllib.parse import urlencode

from metasummary.protocol import FieldScope
from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery
from metasummary.query.render.base import (
    Rendering,
    Search,
    adapt,
    assemble,
    or_list,
    quoted,
    years_text,
)

LIB = library("springer")


def _one(query: BooleanQuery) -> Search:
    text = " AND ".join(or_list([quoted(t) for t in g.terms]) for g in query.groups)
    if query.exclude is not None:
        text += " NOT " + or_list([quoted(t) for t in query.exclude.terms])
    return Search(text, "https://link.springer.com/search?" + urlencode({"query": text}))


def render(query: BooleanQuery) -> Rendering:
    adapted, changes = adapt(query, LIB)
    if any(g.field is not FieldScope.ALL for g in adapted.all_groups()):
        changes.append(
            "title/abstract/keywords → full text: SpringerLink's search box searches the whole "
            "text and has no abstract field, so expect far more hits (the CAIN 2023 study got "
            "5612 and filtered them by abstract); import them and screen by title and abstract, "
            "or narrow with `metasummary query test` once the records carry abstracts"
        )
    settings = ["paste into the search box; content type: Article and Conference Paper"]
    years = years_text(query)
    if years:
        settings.append(f"Date published: {years}")
    return assemble(LIB, adapted, _one, changes=changes, settings=settings)
