"""Semantic Scholar Graph API ``/paper/search``, paged by offset (its limit: 1,000 results)."""

from __future__ import annotations

import json

from metasummary.imports.search.api import ApiQuery, Page, Params, document, split
from metasummary.sources import semanticscholar_json
from metasummary.sources.entries import ReadOptions

FIELDS = "paperId,externalIds,url,title,abstract,venue,year,publicationTypes,journal,authors"
LIMIT = 1000


class SemanticScholar:
    name = "semanticscholar"
    label = "Semantic Scholar"
    url = "https://api.semanticscholar.org/graph/v1/paper/search"
    interval = 1.0  # the shared unauthenticated pool allows about one request a second
    page_size = 100

    def first(self, query: ApiQuery, page_size: int) -> Params:
        return {
            "query": query.text,
            **query.params,
            "offset": 0,
            "limit": page_size,
            "fields": FIELDS,
        }

    def parse(self, body: str, params: Params, page_size: int) -> Page:
        records, problems = split(
            semanticscholar_json.read(document("Semantic Scholar response", body), ReadOptions())
        )
        data = json.loads(body)
        following = data.get("next")
        more = isinstance(following, int) and bool(records) and following < LIMIT
        return Page(
            records, problems, data.get("total"), {**params, "offset": following} if more else None
        )
