"""Comparing candidate pairs on several cores.

Large runs fork worker processes that inherit the normalised entries (nothing is copied up
front) and send back only the pairs that are not distinct. Where ``fork`` is not available,
or the run is small, everything happens in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence

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
        with context.Pool(workers) as pool:
            done = 0
            for count, found in pool.imap_unordered(_compare_chunk, chunks):
                done += count
                progress(done)
                yield from found
    finally:
        _entries = ()
        gc.unfreeze()
