"""Views derived from the whole review, kept until the data they read changes.

Agreement, reviewer progress and the like fold every decision of the review; the dashboard
asks for them on every visit. Every change to the data is logged, so the project's data
version says when a kept view is stale; a view of the screening names the part it reads
(``reads="records"``) and is kept across changes to the synthesis (a finding added, a card
moved). The versions are read from the database, so several server processes sharing one
database see the same changes.
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

    def get(self, project: Project, key: str, compute: Callable[[], T], *, reads: str = "all") -> T:
        """The view ``key``: kept while the version of what it reads holds (``"all"`` the
        whole review, ``"records"`` all but the synthesis), else ``compute()``."""
        version = project.records_version() if reads == "records" else project.data_version()
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept[0] == version:
            value: T = kept[1]
            return value
        value = compute()
        with self._lock:
            self._kept[key] = (version, value)
        return value
