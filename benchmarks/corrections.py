"""What an undone import costs the reads every face makes.

Builds a review of ``--records`` records in two imports (RIS files written here, titles from
the abstracts' opening words of the CSV files under the data folders given, default
``../shared/data/screening``; a tenth of the second import repeats records of the first),
links the duplicates, votes on a fiftieth of the groups at title/abstract, then times each
read (median of ``--repeat`` runs, milliseconds) with nothing undone and again after the
second import is undone (``import undo``): its records then leave every count through one
extra condition on the reads (``store/live.py``).

    .venv/bin/python benchmarks/corrections.py                  # 50,000 records
    .venv/bin/python benchmarks/corrections.py --records 200000 --repeat 5
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from metasummary import Project
from metasummary.browse import RecordQuery
from metasummary.models import Phase, RecordState

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "screening"
PROTOCOL = """\
title: Corrections benchmark
criteria:
  inclusion: [{code: I1, text: About the topic.}]
  exclusion: [{code: E1, text: Off topic.}]
sources: [{name: Scopus, kind: library, library: scopus}]
reviewers: [{id: R1}, {id: R2}]
screening: {title_abstract: {mode: dual}}
"""


def titles(folders: list[Path], count: int) -> list[str]:
    """Real text to title the records: the openings of the abstracts in the folders' CSVs."""
    found: list[str] = []
    csv.field_size_limit(sys.maxsize)
    for folder in folders:
        for path in sorted(folder.rglob("*.csv")):
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                for row in csv.DictReader(handle):
                    text = (row.get("abstract") or row.get("title") or "").split()
                    if len(text) > 6:
                        found.append(" ".join(text[:12]))
    if not found:
        raise SystemExit(f"no CSV with titles or abstracts under {', '.join(map(str, folders))}")
    return [f"{found[i % len(found)]} ({i})" for i in range(count)]


def ris(names: list[str], first: int) -> str:
    return "".join(
        f"TY  - JOUR\nTI  - {name}\nPY  - {2000 + i % 24}\nDO  - 10.5555/bench.{first + i}\n"
        "DB  - Scopus\nER  - \n\n"
        for i, name in enumerate(names)
    )


def build(folder: Path, count: int, data: list[Path]) -> Project:
    project = Project.init(folder, protocol_text=PROTOCOL, actor="bench")
    names = titles(data, count)
    half = count // 2
    repeated = names[: half // 10]
    project.imports.import_bytes(ris(names[:half], 0).encode(), "first.ris")
    second = ris(names[half:], half) + ris(repeated, 0)
    project.imports.import_bytes(second.encode(), "second.ris", again=True)
    project.dedup.run()
    screening = project.screening
    for record in range(1, count, 50):
        screening.decide(record, phase="ta", reviewer="R1", verdict="include")
        verdict = "include" if record % 3 else "exclude"
        codes = [] if verdict == "include" else ["E1"]
        screening.decide(record, phase="ta", reviewer="R2", verdict=verdict, criteria=codes)
    return project


def timed(fn: Callable[[], object], repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def reads(project: Project) -> dict[str, Callable[[], object]]:
    def status() -> object:
        project._status_cache = None  # the dashboard's cache would answer otherwise
        return project.status()

    def included() -> object:
        project.browser._snapshot = None  # fold the decisions again, as after a change
        query = RecordQuery(states={Phase.TITLE_ABSTRACT: RecordState.INCLUDED})
        return project.browser.page(query)

    return {
        "status": status,
        "records list, page 1": lambda: project.browser.page(RecordQuery()),
        "records list, page 400": lambda: project.browser.page(RecordQuery(page=400)),
        "records list, included at T/A": included,
        "record page": lambda: project.browser.detail(2),
        "report flow and PRISMA": lambda: project.report.content(),
        "export every record (CSV)": lambda: project.exports.selection(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="*", type=Path, help="folders of CSV files")
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        project = build(Path(tmp) / "review", args.records, args.data or [DEFAULT_DATA])
        print(f"built {args.records:,} records in {time.perf_counter() - started:.0f} s\n")
        before = {name: timed(fn, args.repeat) for name, fn in reads(project).items()}
        project.imports.undo(2, reason="benchmark")
        after = {name: timed(fn, args.repeat) for name, fn in reads(project).items()}
        left = project.status().total.records
        project.close()
    print(f"| read (median ms) | nothing undone | import 2 undone ({left:,} records left) |")
    print("|---|---:|---:|")
    for name in before:
        print(f"| {name} | {before[name]:.1f} | {after[name]:.1f} |")


if __name__ == "__main__":
    main()
