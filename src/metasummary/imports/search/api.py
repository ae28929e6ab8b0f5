"""The interface every API client implements, and the registry of clients."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from metasummary.errors import InputError
from metasummary.models import RecordData
from metasummary.sources.entries import Item, Problem
from metasummary.sources.text import Document, normalise_newlines

Params = dict[str, str | int]


@dataclass(frozen=True, slots=True)
class ApiQuery:
    """A query as one API takes it: the search text and any filter parameters."""

    text: str
    params: Params = field(default_factory=dict)


@dataclass(slots=True)
class Page:
    records: list[RecordData]
    problems: list[Problem]
    total: int | None
    next: Params | None
    """Parameters of the next page, or None when this was the last."""


class Api(Protocol):
    name: str
    label: str
    url: str
    interval: float
    """Seconds to leave between two requests (the API's polite rate)."""
    page_size: int

    def first(self, query: ApiQuery, page_size: int) -> Params: ...

    def parse(self, body: str, params: Params, page_size: int) -> Page: ...


def split(items: Iterator[Item]) -> tuple[list[RecordData], list[Problem]]:
    records: list[RecordData] = []
    problems: list[Problem] = []
    for item in items:
        (problems if isinstance(item, Problem) else records).append(item)  # type: ignore[arg-type]
    return records, problems


def document(name: str, body: str) -> Document:
    return Document(name=name, text=normalise_newlines(body))


def _registry() -> dict[str, Api]:
    from metasummary.imports.search.arxiv import Arxiv
    from metasummary.imports.search.crossref import Crossref
    from metasummary.imports.search.openalex import OpenAlex
    from metasummary.imports.search.semanticscholar import SemanticScholar

    return {api.name: api for api in (OpenAlex(), Arxiv(), Crossref(), SemanticScholar())}


APIS: tuple[str, ...] = ("openalex", "arxiv", "crossref", "semanticscholar")


def api_named(name: str) -> Api:
    apis = _registry()
    try:
        return apis[name.strip().lower()]
    except KeyError:
        raise InputError(f"unknown API '{name}'; use one of {', '.join(APIS)}") from None
