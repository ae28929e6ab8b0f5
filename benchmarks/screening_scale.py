"""How long a reviewer waits for the next record in a large review.

Usage::

    .venv/bin/python benchmarks/screening_scale.py [--records 100000] [--decisions 40]

Builds a review of ``--records`` records (titles and abstracts of the shared screening sets,
repeated with a variant number) in ``benchmarks/out/screening-scale``, then times what
``metasummary screen`` does: the first ranking on titles alone (what the web page shows
first while the full ranking is made), opening a session (cold: every text hashed; warm:
counts read from the cache), and, per decision, recording the vote and refreshing the ranked
queue. ``--keep`` reuses a review built earlier (the term-count cache is removed first, so
"cold" stays cold).
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


def records(count: int) -> tuple[list[RecordData], set[str]]:
    """The review's records, and the titles of those the labels include."""
    rows = source_rows()
    items, included = [], set()
    for i in range(count):
        title, abstract, relevant = rows[i % len(rows)]
        title = f"{title} (variant {i // len(rows)})"
        if relevant:
            included.add(title)
        items.append(RecordData(title=title, abstract=abstract))
    return items, included


def build(count: int) -> tuple[Path, set[str]]:
    shutil.rmtree(OUT, ignore_errors=True)
    items, included = records(count)
    with Project.init(OUT, protocol_text=PROTOCOL) as project:
        for start in range(0, count, 10_000):
            project.add_records("Scale", items[start : start + 10_000])
    return OUT, included


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="reuse the review built earlier")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.keep and (OUT / "protocol.yaml").exists():
        folder, included = OUT, records(args.records)[1]
        shutil.rmtree(OUT / ".cache", ignore_errors=True)
        rows: list[list[object]] = []
    else:
        folder, included = build(args.records)
        rows = [["build the review (not screening)", time.perf_counter() - started]]
    waits: list[float] = []
    with Project.open(folder) as project:
        started = time.perf_counter()
        project.screening.reviewer_queue(
            phase="title-abstract", reviewer="R1", titles_only=True
        ).refresh()
        rows.append(
            [
                "first ranking on titles alone (the web page's first record)",
                time.perf_counter() - started,
            ]
        )
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
