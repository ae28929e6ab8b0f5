"""Fetching through the review's response cache, so interrupted work resumes and re-runs
are reproducible offline.

Every answer is committed to ``api_cache`` as soon as it arrives (its own transaction), so a
search or a snowballing round stopped half-way keeps what it fetched; the next run reads
those answers back and only asks the network for what is missing. Offline, a missing answer
is an error that names the request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from metasummary.errors import NetworkError
from metasummary.imports.search.fetch import Fetcher
from metasummary.store import Store, api_cache


def request_key(url: str, params: Mapping[str, str | int]) -> str:
    """A GET request as the cache knows it: the URL with its parameters sorted."""
    return f"{url}?{urlencode(sorted((k, str(v)) for k, v in params.items()))}"


@dataclass(slots=True)
class ResponseCache:
    """Answers from ``api_cache`` when held, else from the network (and then kept).

    Args:
        store: The review's store.
        fetcher: Gives the HTTP fetcher when the first request needs the network.
        offline: Never reach the network; a request not in the cache raises.
    """

    store: Store
    fetcher: Callable[[], Fetcher]
    offline: bool = False
    served: int = 0
    fetched: int = 0

    def get(
        self, service: str, url: str, params: Mapping[str, str | int], *, interval: float = 0.0
    ) -> tuple[str, bool]:
        """The body of a GET and whether it came from the cache."""
        return self.fetch(
            service,
            request_key(url, params),
            lambda: self.fetcher().get(service, url, params, interval=interval),
        )

    def fetch(
        self, service: str, request: str, call: Callable[[], httpx.Response]
    ) -> tuple[str, bool]:
        """The body cached under ``request``, or what ``call`` answers (then cached)."""
        with self.store.read() as conn:
            hit = api_cache.get(conn, service, request)
        if hit is not None:
            self.served += 1
            return hit.body, True
        if self.offline:
            raise NetworkError(
                f"{service}: {request} is not in the review's cache; run again without "
                "--offline to fetch it"
            )
        response = call()
        with self.store.write() as conn:
            api_cache.put(conn, service, request, response.status_code, response.text)
        self.fetched += 1
        return response.text, False

    def forget(self, service: str, request: str) -> None:
        """Drop an answer that could not be read, so the next run fetches it afresh."""
        with self.store.write() as conn:
            api_cache.drop(conn, service, request)
