"""Crossref ``/works`` search, paged by cursor (up to 1000 per page; 100 is kinder)."""

from __future__ import annotations

import json

from metasummary.imports.search.api import ApiQuery, Page, Params, document, split
from metasummary.sources import crossref_json
from metasummary.sources.entries import ReadOptions


class Crossref:
    name = "crossref"
    label = "Crossref"
    url = "https://api.crossref.org/works"
    interval = 0.1
    page_size = 100

    def first(self, query: ApiQuery, page_size: int) -> Params:
        return {"query.bibliographic": query.text, **query.params, "rows": page_size, "cursor": "*"}

    def parse(self, body: str, params: Params, page_size: int) -> Page:
        records, problems = split(
            crossref_json.read(document("Crossref response", body), ReadOptions())
        )
        message = json.loads(body).get("message") or {}
        cursor = message.get("next-cursor")
        following = {**params, "cursor": cursor} if cursor and records else None
        return Page(records, problems, message.get("total-results"), following)
