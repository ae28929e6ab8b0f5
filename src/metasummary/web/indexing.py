"""The full-text index behind the records search, built off the request path.

A search answered by reading every record (the review has no index yet) starts one build on a
thread of its own, and the page says so; searches use the index as soon as it is ready. A
request never waits for it: on 100,000 records the build takes some seconds, during which
(on SQLite) other changes wait for the write lock. The index is the query package's
(``project.query.ensure_index``), kept current by triggers once built, so this happens once
per review, not once per server start.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from metasummary.project import Project


@dataclass(frozen=True, slots=True)
class IndexState:
    """What the records page says about the index while searches read every record."""

    building: bool
    error: str = ""
    """Why the latest build failed ("" if it did not); the next search tries again."""


class SearchIndexer:
    """Builds the review's full-text index once, on a thread, when a search needs it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._error = ""

    def start(self, project: Project) -> IndexState:
        """Start a build unless one is under way; the state to show with the results."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                error = self._error
                self._thread = threading.Thread(
                    target=self._build, args=(project,), name="search-index", daemon=True
                )
                self._thread.start()
                return IndexState(building=True, error=error)
        return IndexState(building=True)

    def _build(self, project: Project) -> None:
        try:
            project.query.ensure_index()
        except Exception as exc:  # shown on the next search, which tries again
            message = str(exc) or type(exc).__name__
        else:
            message = ""
        with self._lock:
            self._error = message

    def wait(self, timeout: float | None = None) -> bool:
        """Whether no build is running, after waiting up to ``timeout`` seconds for one."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def close(self, timeout: float = 60.0) -> None:
        """Let a build in progress finish before the project closes (it is one transaction:
        cut short, it leaves nothing behind)."""
        self.wait(timeout)
