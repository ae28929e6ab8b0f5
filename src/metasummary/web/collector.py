"""Python's cyclic garbage collector kept out of the way of a request.

A review of 100,000 records keeps a few hundred thousand objects alive in the server (decision
states, queues, kept views). A page that builds large temporary lists survives a few young
collections, its temporaries are promoted to the oldest generation, and every few requests a
full collection walks all of it: 200 ms added to an unlucky request, five times its own time.
While any request is in progress the collector is paused, so a request's temporaries are
freed by reference counting when it ends and never promoted. Cycles it leaves are collected
by the next young collection, which runs as soon as the pause ends.

The pause is process-wide and requests overlap, so it is counted: the collector is
re-enabled when the last request in flight ends, and only if it was enabled when the first
began (a caller that turned it off keeps it off).
"""

from __future__ import annotations

import gc
import threading

from starlette.types import ASGIApp, Receive, Scope, Send


class CollectorPause:
    """Counts requests in flight; the collector runs only when there are none."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = False

    def enter(self) -> None:
        with self._lock:
            if self._active == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._active += 1

    def leave(self) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0 and self._was_enabled:
                gc.enable()

    @property
    def active(self) -> int:
        return self._active


class CollectorMiddleware:
    """ASGI middleware: the collector paused from a request's start to its last byte."""

    def __init__(self, app: ASGIApp, pause: CollectorPause | None = None) -> None:
        self.app = app
        self.pause = pause or CollectorPause()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.pause.enter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.pause.leave()
