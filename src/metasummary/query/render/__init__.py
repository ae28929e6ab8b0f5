"""One query, rendered for every library: a module per family of libraries.

``render(query, "scopus")`` gives a :class:`Rendering`; :data:`RENDERERS` lists the targets in
the order ``query show`` prints them.
"""

from __future__ import annotations

from collections.abc import Callable

from metasummary.query.libraries import library
from metasummary.query.model import BooleanQuery
from metasummary.query.render import (
    arxiv,
    atypon,
    elsevier,
    ieee,
    openalex,
    pubmed,
    semantic_scholar,
    springer,
    wos,
)
from metasummary.query.render.base import Rendering, Search

__all__ = ["RENDERERS", "Rendering", "Search", "render", "render_all"]

RENDERERS: dict[str, Callable[[BooleanQuery], Rendering]] = {
    "ieee": ieee.render,
    "acm": atypon.render_acm,
    "scopus": elsevier.render_scopus,
    "wos": wos.render,
    "sciencedirect": elsevier.render_sciencedirect,
    "springer": springer.render,
    "wiley": atypon.render_wiley,
    "engineeringvillage": elsevier.render_engineering_village,
    "arxiv-api": arxiv.render_api,
    "arxiv-web": arxiv.render_web,
    "pubmed": pubmed.render,
    "openalex": openalex.render,
    "semanticscholar": semantic_scholar.render,
}


def render(query: BooleanQuery, name: str) -> Rendering:
    """``query`` for the library called ``name`` (an id or alias, see ``libraries.py``)."""
    return RENDERERS[library(name).id](query)


def render_all(query: BooleanQuery) -> list[Rendering]:
    return [renderer(query) for renderer in RENDERERS.values()]
