"""OpenAlex ``/works`` search, paged by cursor (up to 200 per page)."""

from __future__ import annotations

import json

from metasummary.imports.search.api import ApiQuery, Page, Params, document, split
from metasummary.sources import openalex_json
from metasummary.sources.entries import ReadOptions


class OpenAlex:
    name = "openalex"
    label = "OpenAlex"
    url = "https://api.openalex.org/works"
    interval = 0.2  # OpenAlex allows 10 requests a second
    page_size = 200

    def first(self, query: ApiQuery, page_size: int) -> Params:
        return {"search": query.text, **query.params, "per-page": page_size, "cursor": "*"}

    def parse(self, body: str, params: Params, page_size: int) -> Page:
        records, problems = split(
            openalex_json.read(document("OpenAlex response", body), ReadOptions())
        )
        meta = json.loads(body).get("meta") or {}
        cursor = meta.get("next_cursor")
        following = {**params, "cursor": cursor} if cursor and records else None
        return Page(records, problems, meta.get("count"), following)
