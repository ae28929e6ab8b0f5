"""Named moments at which a test can kill the process, to prove a write survives a crash.

``METASUMMARY_CRASH_AT=import.committed`` makes the process kill itself with SIGKILL (nothing
is flushed, no handler runs: as if the power went) the first time it reaches that moment;
``NAME:N`` waits for the N-th time. Unset, a crash point costs one comparison. The names a
command passes are listed in ``docs/architecture.md``; ``tests/test_crash.py`` kills real
processes at each of them.
"""

from __future__ import annotations

import os
import signal

CRASH_ENV = "METASUMMARY_CRASH_AT"

_wanted, _, _count = os.environ.get(CRASH_ENV, "").partition(":")
_remaining = int(_count) if _count.isdigit() else 1


def reached(name: str) -> None:
    """Kill this process here when ``METASUMMARY_CRASH_AT`` names ``name``."""
    global _remaining
    if not _wanted or name != _wanted:
        return
    _remaining -= 1
    if _remaining <= 0:
        os.kill(os.getpid(), signal.SIGKILL)
