"""The one :class:`Project` a running app serves, opened on first use."""

from __future__ import annotations

import threading
from collections.abc import Callable

from metasummary.project import Project

ProjectSource = Project | Callable[[], Project]


class ProjectHolder:
    """Hands out the app's project; closes it at shutdown if it opened it.

    Args:
        source: An open project (the caller closes it) or a function that opens one.
    """

    def __init__(self, source: ProjectSource) -> None:
        self._opener = None if isinstance(source, Project) else source
        self._project = source if isinstance(source, Project) else None
        self._lock = threading.Lock()

    def get(self) -> Project:
        if self._project is None:
            with self._lock:
                if self._project is None:
                    assert self._opener is not None
                    self._project = self._opener()
        return self._project

    def close(self) -> None:
        with self._lock:
            if self._opener is not None and self._project is not None:
                self._project.close()
                self._project = None
