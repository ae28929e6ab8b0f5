"""One bib-dedupe run on one data set; runs inside bib-dedupe's own virtual environment.

Usage: benchmarks/.venvs/bib-dedupe/bin/python benchmarks/dedup_bibdedupe.py DIR GROUPS.json
Calls bib-dedupe's documented steps (prep, block, match, cluster) with its defaults and
keeps the pairs it labels duplicate (its "maybe" pairs are left for review, as ours are).
Prints one JSON line like ``dedup_worker.py``.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd
from bib_dedupe.bib_dedupe import block, cluster, match, prep


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the forked workers)."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    folder, groups_file = Path(sys.argv[1]), Path(sys.argv[2])
    started, cpu_before = time.perf_counter(), _cpu()
    records = pd.read_csv(folder / "records_pre_merged.csv")
    prepared = prep(records, verbosity_level=0)
    blocked = block(prepared, verbosity_level=0)
    matched = match(blocked, verbosity_level=0)
    groups = [[str(i) for i in group] for group in cluster(matched, verbosity_level=0)]
    seconds = time.perf_counter() - started
    groups_file.write_text(json.dumps(groups), encoding="utf-8")
    peak = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    cpu = _cpu() - cpu_before
    print(json.dumps({"cpu": cpu, "records": len(records), "seconds": seconds, "maxrss_kib": peak}))


if __name__ == "__main__":
    main()
