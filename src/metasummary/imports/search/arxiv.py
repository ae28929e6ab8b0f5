"""arXiv API search (Atom), paged by offset; arXiv asks for 3 seconds between requests."""

from __future__ import annotations

import re

from metasummary.imports.search.api import ApiQuery, Page, Params, document, split
from metasummary.sources import arxiv_atom
from metasummary.sources.entries import ReadOptions

_TOTAL = re.compile(r"<opensearch:totalResults[^>]*>(\d+)<")


class Arxiv:
    name = "arxiv"
    label = "arXiv"
    url = "https://export.arxiv.org/api/query"
    interval = 3.0
    page_size = 100

    def first(self, query: ApiQuery, page_size: int) -> Params:
        return {"search_query": query.text, **query.params, "start": 0, "max_results": page_size}

    def parse(self, body: str, params: Params, page_size: int) -> Page:
        records, problems = split(arxiv_atom.read(document("arXiv response", body), ReadOptions()))
        match = _TOTAL.search(body)
        total = int(match.group(1)) if match else None
        start = int(params.get("start", 0)) + len(records)
        more = bool(records) and (total is None or start < total)
        return Page(records, problems, total, {**params, "start": start} if more else None)
