"""Citations from OpenAlex: find a seed's work, the works it cites, and the works citing it.

Every call is a GET of ``/works`` with a filter, so a work that OpenAlex does not hold is an
empty page rather than an error: ``openalex_id:W1|W2`` (up to 50 works a call),
``doi:10.1/x``, ``cites:W1`` (what a work's ``cited_by_api_url`` points at), or a ``search``
for the title when a seed has neither id nor DOI. The answers go through the review's
response cache, paced and retried as searches are.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rapidfuzz import fuzz

from metasummary.dedup.entry import clean_title
from metasummary.dedup.text import fold
from metasummary.errors import NetworkError
from metasummary.imports.search.cache import ResponseCache, request_key
from metasummary.snowball.seeds import Seed

SERVICE = "openalex"
WORKS_URL = "https://api.openalex.org/works"
INTERVAL = 0.2  # OpenAlex allows 10 requests a second
BATCH = 50  # works named in one openalex_id filter
PAGE = 200  # the largest page OpenAlex serves
SELECT = ",".join(
    [
        "id",
        "doi",
        "title",
        "display_name",
        "publication_year",
        "publication_date",
        "type",
        "language",
        "authorships",
        "primary_location",
        "biblio",
        "keywords",
        "abstract_inverted_index",
        "cited_by_count",
        "referenced_works",
    ]
)
TITLE_MATCH = 0.9
"""A title search finds the seed when the best hit's title is at least this similar."""

Work = dict[str, Any]


def short_id(value: object) -> str:
    """``W123`` from ``https://openalex.org/W123`` (or from ``W123``)."""
    return str(value or "").rstrip("/").rsplit("/", 1)[-1].upper()


class CitationIndex:
    """OpenAlex as a citation index, through a :class:`ResponseCache`."""

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache

    def resolve(self, seed: Seed) -> Work | None:
        """The seed's work: by OpenAlex id, else DOI, else a close title match."""
        if seed.openalex_id:
            found = self._works({"filter": f"openalex_id:{seed.openalex_id}"})
            if found:
                return found[0]
        if seed.doi:
            found = self._works({"filter": f"doi:{seed.doi}"})
            if found:
                return found[0]
        if seed.title:
            text = " ".join(re.sub(r"[^\w\s-]", " ", seed.title).lower().split())
            return _best_title(seed, self._works({"search": text, "per-page": 5}))
        return None

    def referenced(self, work: Work) -> list[Work]:
        """The works ``work`` cites that OpenAlex holds, in the order it lists them."""
        ids = list(dict.fromkeys(short_id(w) for w in work.get("referenced_works") or [] if w))
        found: dict[str, Work] = {}
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            params: dict[str, str | int] = {
                "filter": f"openalex_id:{'|'.join(batch)}",
                "per-page": BATCH,
            }
            for hit in self._works(params):
                found[short_id(hit.get("id"))] = hit
        return [found[i] for i in ids if i in found]

    def citing(self, work: Work, *, limit: int | None, year_from: int | None) -> list[Work]:
        """Works citing ``work``, most cited first, up to ``limit``, from ``year_from`` on."""
        condition = f"cites:{short_id(work.get('id'))}"
        if year_from is not None:
            condition += f",from_publication_date:{year_from}-01-01"
        size = min(PAGE, limit) if limit else PAGE
        params: dict[str, str | int] = {
            "filter": condition,
            "sort": "cited_by_count:desc",
            "per-page": size,
            "cursor": "*",
        }
        found: list[Work] = []
        while True:
            page, cursor = self._page(params)
            found.extend(page)
            if cursor is None or not page or (limit and len(found) >= limit):
                return found[:limit] if limit else found
            params = {**params, "cursor": cursor}

    def _works(self, params: dict[str, str | int]) -> list[Work]:
        return self._page(params)[0]

    def _page(self, params: dict[str, str | int]) -> tuple[list[Work], str | None]:
        """One page of works and the cursor of the next (None after the last)."""
        full = {**params, "select": SELECT}
        body, _ = self.cache.get(SERVICE, WORKS_URL, full, interval=INTERVAL)
        try:
            data = json.loads(body)
            results = data["results"]
            if not isinstance(results, list):
                raise TypeError("results is not a list")
            cursor = (data.get("meta") or {}).get("next_cursor")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            request = request_key(WORKS_URL, full)
            self.cache.forget(SERVICE, request)
            raise NetworkError(
                f"openalex: the answer to {request} could not be read ({exc}); run again to "
                "fetch it afresh"
            ) from None
        return [w for w in results if isinstance(w, dict)], str(cursor) if cursor else None


def _best_title(seed: Seed, hits: list[Work]) -> Work | None:
    wanted = fold(clean_title(seed.title))
    best: tuple[float, Work] | None = None
    for hit in hits:
        year = hit.get("publication_year")
        if seed.year and isinstance(year, int) and abs(year - seed.year) > 1:
            continue
        title = fold(clean_title(str(hit.get("title") or hit.get("display_name") or "")))
        similarity = fuzz.ratio(wanted, title) / 100
        if similarity >= TITLE_MATCH and (best is None or similarity > best[0]):
            best = (similarity, hit)
    return best[1] if best else None
