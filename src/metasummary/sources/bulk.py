"""A parser's pass over a whole file, kept out of the cyclic garbage collector's way.

rispy and bibtexparser build millions of small objects for a 100,000-record file; they stay
alive until the file is read, and none of them is in a reference cycle. Python's collector
walks every one of them again at each full collection, ever more often as they grow: 3 s of a
100,000-record BibTeX import. So the collector is paused during the parse, and what the parse
built is then frozen (``gc.freeze``: left out of collections) while records are made from
it. Everything else is collected as usual, such as the cycles pylatexenc leaves behind on
every value it decodes, which is why the pause covers the parse only.

Both are process-wide switches, put back as they were found: the collector is re-enabled
only if it was enabled, and objects are frozen only when nothing else had frozen any (a
server may freeze its startup objects before forking; thawing would undo that).
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

T = TypeVar("T")


class BulkParse:
    """``with BulkParse() as bulk: result = bulk.run(parse)``; records are made inside."""

    def __init__(self) -> None:
        self._froze = False

    def __enter__(self) -> BulkParse:
        return self

    def run(self, parse: Callable[[], T]) -> T:
        """``parse()`` with the collector paused; what it built stays frozen until exit."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            return parse()
        finally:
            if not self._froze and gc.get_freeze_count() == 0:
                gc.freeze()
                self._froze = True
            if enabled:
                gc.enable()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._froze:
            gc.unfreeze()
            self._froze = False
