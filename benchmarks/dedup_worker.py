"""One metasummary dedup run on one data set, in its own process (for clean time and memory).

Usage: python benchmarks/dedup_worker.py DIR GROUPS.json [--workers N] [--threshold T]
Prints one JSON line: records, seconds (reading the CSV through the groups), peak RSS.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from dedup_sets import read_records
from metasummary.dedup import DEFAULT_THRESHOLD, build_entries, find_duplicates


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the forked workers)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("groups", type=Path)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    args = parser.parse_args()
    started, cpu_before = time.perf_counter(), _cpu()
    entries = build_entries(read_records(args.folder))
    outcome = find_duplicates(entries, threshold=args.threshold, workers=args.workers)
    groups = [[str(entries[i].key) for i in group] for group in outcome.groups]
    seconds = time.perf_counter() - started
    args.groups.write_text(json.dumps(groups), encoding="utf-8")
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    cpu = _cpu() - cpu_before
    print(json.dumps({"cpu": cpu, "records": len(entries), "seconds": seconds, "maxrss_kib": peak}))


if __name__ == "__main__":
    main()
