"""HTTP for API calls: polite pacing, back-off on 429 and 5xx, one error type on failure.

The client, the clock and ``sleep`` are injected, so tests replay recorded responses through
``httpx.MockTransport`` and never wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from metasummary.errors import NetworkError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "metasummary (systematic literature review tool)"


@dataclass(slots=True)
class Fetcher:
    """GET with a minimum interval between requests and exponential back-off."""

    client: httpx.Client = field(
        default_factory=lambda: httpx.Client(
            timeout=60, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        )
    )
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    retries: int = 5
    backoff: float = 2.0
    max_wait: float = 120.0
    _last: dict[str, float] = field(default_factory=dict)

    def get(
        self, service: str, url: str, params: Mapping[str, str | int], *, interval: float = 0.0
    ) -> httpx.Response:
        """The successful response, after waiting ``interval`` since this service's last call."""
        return self._send(service, url, lambda: self.client.get(url, params=dict(params)), interval)

    def post(
        self,
        service: str,
        url: str,
        *,
        files: Mapping[str, tuple[str, bytes, str]],
        data: Mapping[str, str],
        interval: float = 0.0,
    ) -> httpx.Response:
        """A POST of ``files`` as a multipart form, paced and retried like :meth:`get`."""
        return self._send(
            service,
            url,
            lambda: self.client.post(url, files=dict(files), data=dict(data)),
            interval,
        )

    def _send(
        self, service: str, url: str, call: Callable[[], httpx.Response], interval: float
    ) -> httpx.Response:
        for attempt in range(self.retries + 1):
            self._pace(service, interval)
            try:
                response = call()
            except httpx.TransportError as exc:
                if attempt == self.retries:
                    raise NetworkError(
                        f"{service}: cannot reach {url} ({type(exc).__name__}: {exc}); check "
                        "the connection and run again (answers fetched so far are kept)"
                    ) from None
                self.sleep(min(self.max_wait, self.backoff * 2.0**attempt))
                continue
            if response.status_code in RETRY_STATUS and attempt < self.retries:
                self.sleep(self._wait(response, attempt))
                continue
            if response.status_code >= 400:
                raise NetworkError(
                    f"{service}: {url} answered {response.status_code} "
                    f"{response.reason_phrase}: {response.text[:200].strip()}"
                )
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _pace(self, service: str, interval: float) -> None:
        last = self._last.get(service)
        if last is not None and interval > 0:
            waited = self.clock() - last
            if waited < interval:
                self.sleep(interval - waited)
        self._last[service] = self.clock()

    def _wait(self, response: httpx.Response, attempt: int) -> float:
        retry_after = str(response.headers.get("Retry-After", ""))
        if retry_after.strip().isdigit():
            return min(self.max_wait, float(retry_after))
        return min(self.max_wait, self.backoff * 2.0**attempt)

    def close(self) -> None:
        self.client.close()
