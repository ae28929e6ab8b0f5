"""Views derived from the whole review, kept until its data changes.

Agreement, reviewer progress and the like fold every decision of the review; the dashboard
asks for them on every visit. Every change to the data is logged, so the project's data
version says when a kept view is stale.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from metasummary.project import Project

T = TypeVar("T")


class ViewCache:
    def __init__(self) -> None:
        self._kept: dict[str, tuple[tuple[int, ...], Any]] = {}
        self._lock = threading.Lock()

    def get(self, project: Project, key: str, compute: Callable[[], T]) -> T:
        """The view ``key``: kept while the data version holds, else ``compute()``."""
        version = project.data_version()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] == version:
            value: T = kept[1]
            return value
        value = compute()
        with self._lock:
            self._kept[key] = (version, value)
        return value
