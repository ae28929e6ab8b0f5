"""Running an API search into a source: fetch pages (cached), then store the records at once.

Each fetched page is committed to ``api_cache`` as soon as it arrives, so a search stopped by
a network failure or Ctrl-C starts again from the cache and only fetches what it lacks. The
records land in one transaction at the end, with the query text, the date and the API's
parameters on the source row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from metasummary.errors import ImportFileError, InputError, NetworkError
from metasummary.imports.search.api import Api, ApiQuery, Page, Params, api_named
from metasummary.imports.search.cache import ResponseCache, request_key
from metasummary.imports.search.fetch import Fetcher
from metasummary.imports.search.protocol_query import render
from metasummary.models import RecordData, SourceKind
from metasummary.review import Review
from metasummary.store import catalog, events
from metasummary.store import records as store_records
from metasummary.store.clock import now

Progress = Callable[[int, int | None], None]
DEFAULT_MAX = 1000


@dataclass(slots=True)
class SearchResult:
    api: str
    source: str
    query: str
    total: int | None
    pages: int
    cached_pages: int
    imported: int
    skipped: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_fetcher() -> Fetcher:
    """The HTTP fetcher used when none is injected (tests replace this)."""
    return Fetcher()


class Searches:
    """API searches of one project."""

    def __init__(self, review: Review, fetcher: Fetcher | None = None) -> None:
        self.review = review
        self._fetcher = fetcher
        self.cache = ResponseCache(review.store, lambda: self.fetcher)

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = make_fetcher()
        return self._fetcher

    def query_for(self, api: str, *, query: str | None, from_protocol: bool) -> ApiQuery:
        """The query to send: the user's text, or the protocol's query rendered for ``api``."""
        if bool(query) == from_protocol:
            raise InputError("give either --query TEXT or --from-protocol (one of them)")
        if query:
            return ApiQuery(query.strip())
        try:
            return render(self.review.protocol.query, api_named(api).name)
        except ValueError as exc:
            raise InputError(f"protocol: {exc}; add query.groups or give --query") from None

    def run(
        self,
        api_name: str,
        *,
        query: str | None = None,
        from_protocol: bool = False,
        max_records: int = DEFAULT_MAX,
        source: str | None = None,
        actor: str = "",
        progress: Progress | None = None,
    ) -> SearchResult:
        """Search ``api_name`` and store up to ``max_records`` records in ``source``."""
        api = api_named(api_name)
        if max_records < 1:
            raise InputError(f"--max {max_records}: give at least 1")
        api_query = self.query_for(api.name, query=query, from_protocol=from_protocol)
        source_name = source or f"{api.label} search"
        with self.review.store.read() as conn:
            row = catalog.source_by_name(conn, source_name)
            held = store_records.count(conn, source_id=row.id) if row else 0
        if held:
            raise InputError(
                f"source '{source_name}' already holds {held} records; give --source NAME to "
                "keep this search apart"
            )
        records, problems, total, pages, cached = self._fetch(api, api_query, max_records, progress)
        records = records[:max_records]
        with self.review.store.write() as conn:
            src = self.review.ensure_source(conn, source_name, kind=SourceKind.API)
            details = {
                "api": api.name,
                "params": api_query.params,
                "total": total,
                "pages": pages,
                "max": max_records,
                "skipped": [p.message for p in problems[:20]],
            }
            catalog.update_source(
                conn,
                src.id,
                query_text=api_query.text,
                searched_at=now(),
                details=details,
                library=src.library or api.name,
            )
            ids = store_records.insert_many(
                conn, records, source_id=src.id, raw_format=f"{api.name}-api"
            )
            events.log(
                conn,
                "search.run",
                entity="source",
                entity_id=src.id,
                actor=actor,
                payload={
                    "api": api.name,
                    "query": api_query.text,
                    "imported": len(ids),
                    "total": total,
                },
            )
        return SearchResult(
            api.name, source_name, api_query.text, total, pages, cached, len(ids), len(problems)
        )

    def _fetch(
        self, api: Api, query: ApiQuery, max_records: int, progress: Progress | None
    ) -> tuple[list[RecordData], list[Any], int | None, int, int]:
        size = min(api.page_size, max_records)
        params: Params | None = api.first(query, size)
        records: list[RecordData] = []
        problems: list[Any] = []
        total: int | None = None
        pages = cached = 0
        while params is not None and len(records) < max_records:
            request = request_key(api.url, params)
            body, from_cache = self.cache.get(api.name, api.url, params, interval=api.interval)
            pages += 1
            cached += from_cache
            try:
                page = self._parse(api, body, params, size)
            except NetworkError:
                self.cache.forget(api.name, request)  # fetch it afresh next time
                raise
            records.extend(page.records)
            problems.extend(page.problems)
            total = page.total if page.total is not None else total
            if progress is not None:
                progress(min(len(records), max_records), min(total, max_records) if total else None)
            params = page.next
        return records, problems, total, pages, cached

    @staticmethod
    def _parse(api: Api, body: str, params: Params, size: int) -> Page:
        try:
            return api.parse(body, params, size)
        except (ImportFileError, ValueError, AttributeError, TypeError) as exc:
            raise NetworkError(f"{api.name}: the response could not be read ({exc})") from None
