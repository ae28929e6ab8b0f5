"""Comparing candidate pairs on several cores.

Large runs fork worker processes that inherit the normalised entries (nothing is copied up
front) and send back only the pairs that are not distinct. Where ``fork`` is not available,
or the run is small, everything happens in this process.

Workers end quietly with the run: killed with it (Linux), or by the broken pipe when they next
send a result, never with a traceback; Ctrl-C is left to the parent, which stops the pool.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence

from metasummary import crashpoints
from metasummary.dedup.classify import Label, Verdict, classify
from metasummary.dedup.compare import compare
from metasummary.dedup.entry import Entry

PARALLEL_MIN = 50_000
"""Fewer candidate pairs than this are compared in this process."""
CHUNK = 20_000

Found = tuple[int, int, Verdict]

_entries: Sequence[Entry] = ()


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


_PR_SET_PDEATHSIG = 1


def _quiet_worker(parent: int) -> None:
    """Pool initializer: a worker outlives neither its parent nor its pipe, and says nothing."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    # Writing a result to a parent that died ends the worker (as it ends `head`'s writers),
    # instead of raising BrokenPipeError and printing its traceback.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        # Killed with the parent, even while comparing (no result to send yet).
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the call above
            os._exit(0)


def _compare_chunk(codes: Sequence[int]) -> tuple[int, list[Found]]:
    entries = _entries
    n = len(entries)
    found: list[Found] = []
    for code in codes:
        i, j = divmod(code, n)
        comparison = compare(entries[i], entries[j])
        if comparison is not None:
            verdict = classify(comparison)
            if verdict.label is not Label.DISTINCT:
                found.append((i, j, verdict))
    return len(codes), found


def compare_pairs(
    entries: Sequence[Entry],
    codes: Sequence[int],
    *,
    workers: int,
    progress: Callable[[int], None],
) -> Iterator[Found]:
    """Verdicts on every candidate pair (coded ``i * n + j``) that is not distinct."""
    global _entries
    chunks = [codes[k : k + CHUNK] for k in range(0, len(codes), CHUNK)]
    parallel = (
        workers > 1
        and len(codes) >= PARALLEL_MIN
        and "fork" in multiprocessing.get_all_start_methods()
    )
    _entries = entries
    try:
        if not parallel:
            done = 0
            for chunk in chunks:
                count, found = _compare_chunk(chunk)
                done += count
                progress(done)
                yield from found
            return
        context = multiprocessing.get_context("fork")
        # Frozen objects are left alone by the children's garbage collector, so the pages
        # they share with this process are not copied.
        gc.freeze()
        with context.Pool(workers, initializer=_quiet_worker, initargs=(os.getpid(),)) as pool:
            done = 0
            for count, found in pool.imap_unordered(_compare_chunk, chunks):
                done += count
                progress(done)
                crashpoints.reached("dedup.compared")
                yield from found
    finally:
        _entries = ()
        gc.unfreeze()
