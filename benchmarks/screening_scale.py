"""How long a reviewer waits for the next record in a large review.

Usage::

    .venv/bin/python benchmarks/screening_scale.py [--records 100000] [--decisions 40]

Builds a review of ``--records`` records (titles and abstracts of the shared screening sets,
repeated with a variant number) in ``benchmarks/out/screening-scale``, then times what
``metasummary screen`` does: opening a session (cold: every text hashed; warm: counts read
from the cache), and, per decision, recording the vote and refreshing the ranked queue.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import time
from pathlib import Path

from metasummary import Project, RecordData
from tables import markdown_table

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "screening"
OUT = ROOT / "benchmarks" / "out" / "screening-scale"
PROTOCOL = """\
title: Scale test
criteria:
  inclusion: [{code: I1, text: "Relevant."}]
  exclusion: [{code: E1, text: "Off topic."}]
query:
  groups: [{name: A, terms: [trial, software, nudge]}]
reviewers: [{id: R1}]
"""


def source_rows() -> list[tuple[str, str, bool]]:
    csv.field_size_limit(2**31 - 1)
    rows: list[tuple[str, str, bool]] = []
    for path in sorted(DATA.glob("*/*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"title", "abstract", "label_included"} <= set(reader.fieldnames or []):
                continue
            if path.name.startswith(("labels", "asreview_")):
                continue
            rows += [(r["title"], r["abstract"], r["label_included"] == "1") for r in reader]
    return rows


def build(count: int) -> tuple[Path, set[str]]:
    shutil.rmtree(OUT, ignore_errors=True)
    rows = source_rows()
    included: set[str] = set()
    with Project.init(OUT, protocol_text=PROTOCOL) as project:
        for start in range(0, count, 10_000):
            items = []
            for i in range(start, min(start + 10_000, count)):
                title, abstract, relevant = rows[i % len(rows)]
                title = f"{title} (variant {i // len(rows)})"
                if relevant:
                    included.add(title)
                items.append(RecordData(title=title, abstract=abstract))
            project.add_records("Scale", items)
    return OUT, included


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=40)
    args = parser.parse_args()
    started = time.perf_counter()
    folder, included = build(args.records)
    rows: list[list[object]] = [["build the review (not screening)", time.perf_counter() - started]]
    waits: list[float] = []
    with Project.open(folder) as project:
        for label in ("open a session, cold (hash every text)", "open a session, warm cache"):
            started = time.perf_counter()
            session = project.screening.reviewer_queue(phase="title-abstract", reviewer="R1")
            queue = session.refresh()
            rows.append([label, time.perf_counter() - started])
        for _ in range(args.decisions):
            record = queue.records[0]
            started = time.perf_counter()
            title = project.record(record).data.title
            verdict = "include" if title in included else "exclude"
            project.screening.decide(
                record,
                phase="title-abstract",
                reviewer="R1",
                verdict=verdict,
                criteria=["E1"] if verdict == "exclude" else [],
            )
            queue = session.refresh()
            waits.append(time.perf_counter() - started)
    rows += [
        ["decide + next record, median", statistics.median(waits)],
        ["decide + next record, slowest", max(waits)],
    ]
    print(f"{args.records:,} records, {args.decisions} decisions by one reviewer\n")
    print(markdown_table(["step", "seconds"], rows))


if __name__ == "__main__":
    main()
