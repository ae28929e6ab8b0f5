"""``metasummary report`` (every format) on a review of real records screened by two reviewers.

The review is built once into ``--keep DIR`` (default ``build/bench-report``) from a labelled
screening set (default ``../shared/data/screening/kitchenham_2010``, or any folder of the same
format): ``--records`` records (default 350) drawn with a fixed seed, the set's inclusions
first so the review has papers to report on, spread over seven libraries with a few copies
found in two of them (deduplicated), screened at title/abstract and full text by two reviewers
who disagree on a few records (conflicts resolved), extraction values for every included
paper, and findings cut from the included papers' abstracts, card-sorted into themes over
five stages (some statements shared by several papers, as real findings are).

It prints the wall and CPU time of ``metasummary report`` in a fresh process (the fastest and
median of ``--repeat`` runs), then each step of one in-process run (the steps its progress
display shows), and with ``--profile`` a profile of that run.

    .venv/bin/python benchmarks/report.py [--records 350] [--repeat 3] [--profile] [FOLDER]
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import pstats
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from io import StringIO
from itertools import pairwise
from pathlib import Path

from ruamel.yaml import YAML

from metasummary import Project, RecordData
from metasummary.models import Phase, SourceKind
from metasummary.screening.standing import Standing

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT.parent / "shared" / "data" / "screening" / "kitchenham_2010"
LIBRARIES = ["IEEE", "ACM", "Scopus", "Web of Science", "ScienceDirect", "Springer", "arXiv"]
STAGES = [
    ("REQ", "Requirements"),
    ("DESIGN", "Architecture, design and implementation"),
    ("DATA", "Data"),
    ("QA", "Quality assurance"),
    ("ORG", "Organisation and collaboration"),
]
THEMES_PER_STAGE = 4
SHARED = [
    "Practitioners lack guidance on which method to apply.",
    "Evidence from industry is scarce.",
    "Tool support is immature.",
    "Results are hard to generalise beyond one organisation.",
]
DISAGREE = 0.06
"""Share of records the second reviewer votes the other way on at title/abstract."""


def protocol(records: int) -> str:
    data = {
        "title": f"Evidence-based software engineering: a review of {records} records",
        "research_questions": [
            {"id": "RQ1", "text": "How is evidence-based software engineering practised?"}
        ],
        "criteria": {
            "inclusion": [
                {"code": "I1", "text": "A systematic literature review in software engineering."},
                {"code": "I2", "text": "Published in a refereed venue."},
            ],
            "exclusion": [
                {"code": "E1", "text": "Not about software engineering."},
                {"code": "E2", "text": "Not a secondary study."},
                {"code": "E3", "text": "A duplicate report of a study already included."},
            ],
        },
        "query": {
            "groups": [
                {"name": "A", "label": "Review terms", "terms": ["systematic review", "mapping"]},
                {"name": "B", "label": "SE terms", "terms": ["software engineering", "software"]},
            ]
        },
        "sources": [
            *({"name": n, "kind": "library", "library": n.split()[0].lower()} for n in LIBRARIES),
            {"name": "Snowballing", "kind": "snowball"},
        ],
        "reviewers": [{"id": "R1"}, {"id": "R2"}],
        "screening": {"title_abstract": {"mode": "dual"}, "full_text": {"mode": "dual"}},
        "extraction": {
            "fields": [
                {
                    "name": "study_type",
                    "type": "choice",
                    "label": "Study type",
                    "choices": ["SLR", "mapping", "tertiary", "other"],
                },
                {
                    "name": "studies",
                    "type": "integer",
                    "label": "Primary studies",
                    "allow_unspecified": True,
                },
                {
                    "name": "venue_category",
                    "type": "choice",
                    "label": "Venue category",
                    "choices": ["journal", "conference", "workshop"],
                },
            ]
        },
        "stages": [
            {"code": code, "label": label, "order": n} for n, (code, label) in enumerate(STAGES, 1)
        ],
    }
    out = StringIO()
    YAML().dump(data, out)
    return out.getvalue()


def read_set(folder: Path) -> list[dict[str, str]]:
    files = sorted(folder.glob("*.csv"))
    main = next((f for f in files if f.name == "records.csv"), None) or max(
        files, key=lambda f: f.stat().st_size
    )
    with main.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def record_data(row: dict[str, str]) -> RecordData:
    authors = [a.strip() for a in re.split(r";| and ", row.get("authors") or "") if a.strip()]
    year = (row.get("year") or "").strip()[:4]
    return RecordData(
        title=(row.get("title") or "").strip() or "(untitled)",
        abstract=(row.get("abstract") or "").strip(),
        authors=authors,
        year=int(year) if year.isdigit() else None,
        venue=(row.get("venue") or "").strip(),
    )


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text)
    return [p.strip() for p in parts if 40 <= len(p.strip()) <= 300]


def build(folder: Path, data: Path, records: int) -> Project:
    rows = [r for r in read_set(data) if (r.get("title") or "").strip()]
    rng = random.Random(42)
    rng.shuffle(rows)
    included = [r for r in rows if r.get("label_included") == "1"][: max(1, records // 9)]
    chosen = included + [r for r in rows if r.get("label_included") != "1"]
    chosen = chosen[:records]
    rng.shuffle(chosen)
    project = Project.init(folder, protocol_text=protocol(records))
    copies = len(chosen) // 20
    by_source: dict[str, list[dict[str, str]]] = {name: [] for name in LIBRARIES}
    for n, row in enumerate(chosen):
        by_source[LIBRARIES[n % len(LIBRARIES)]].append(row)
    for n, row in enumerate(chosen[:copies]):
        by_source[LIBRARIES[(n + 1) % len(LIBRARIES)]].append(row)
    for name, part in by_source.items():
        project.add_records(name, [record_data(r) for r in part], kind=SourceKind.LIBRARY)
    project.dedup.run()
    labels = {
        (record_data(r).title, record_data(r).year): r.get("label_included") == "1" for r in chosen
    }
    screen(project, labels, rng)
    synthesise(project, rng)
    return project


Labels = dict[tuple[str, int | None], bool]


def screen(project: Project, labels: Labels, rng: random.Random) -> None:
    screening = project.screening
    with project.store.read() as conn:
        fold = Standing(project.required_votes()).everything(conn)
        roots = sorted(fold.groups.roots())
    for phase in Phase:
        with project.store.read() as conn:
            passed = Standing(project.required_votes()).included(conn, Phase.TITLE_ABSTRACT)
        for root in roots:
            record = project.record(root)
            include = labels.get((record.data.title, record.data.year), False)
            if phase is Phase.FULL_TEXT:
                if root not in passed:
                    continue
                include = include and rng.random() > 0.1
            second = include if rng.random() > DISAGREE else not include
            for reviewer, verdict in (("R1", include), ("R2", second)):
                screening.decide(
                    root,
                    phase=phase,
                    reviewer=reviewer,
                    verdict="include" if verdict else "exclude",
                    criteria=() if verdict else [rng.choice(["E1", "E2", "E3"])],
                )
            if include != second:
                screening.resolve(
                    root,
                    phase=phase,
                    reviewer="R1",
                    verdict="include" if include else "exclude",
                    criteria=() if include else ["E2"],
                )


def synthesise(project: Project, rng: random.Random) -> None:
    synthesis = project.synthesis
    themes = [
        synthesis.sorting.create_theme(code, f"{label}: theme {n + 1}").id
        for code, label in STAGES
        for n in range(THEMES_PER_STAGE)
    ]
    with project.store.read() as conn:
        papers = sorted(Standing(project.required_votes()).included(conn, Phase.FULL_TEXT))
    sheet = project.root / "extraction.csv" if project.root else Path("extraction.csv")
    with sheet.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record", "study_type", "studies", "venue_category"])
        for paper in papers:
            writer.writerow(
                [
                    paper,
                    rng.choice(["SLR", "mapping", "tertiary", "other"]),
                    rng.choice(["", "unspecified", str(rng.randint(5, 200))]),
                    rng.choice(["journal", "conference", "workshop"]),
                ]
            )
    synthesis.extraction.import_file(sheet)
    for paper in papers:
        texts = sentences(project.record(paper).data.abstract)[:6] or ["No abstract."]
        texts += rng.sample(SHARED, 2)
        found = [synthesis.findings.add(paper, text).id for text in texts]
        for finding in found:
            if rng.random() < 0.85:
                synthesis.sorting.move_findings([finding], rng.choice(themes))


def run_cli(folder: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``metasummary report`` in a process of its own."""
    command = Path(sys.executable).parent / "metasummary"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [str(command), "report", "-p", str(folder), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def steps(review: Path, out: Path) -> list[tuple[str, float, float]]:
    """Each step of one in-process ``report.write``: its name, wall and CPU seconds."""
    marks: list[tuple[str, float, float]] = []

    def progress(what: str, _done: int, _total: int) -> None:
        marks.append((what, time.perf_counter(), time.process_time()))

    with Project.open(review) as project:
        project.report.write(out, progress=progress)
    return [(what, later[1] - wall, later[2] - cpu) for (what, wall, cpu), later in pairwise(marks)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--records", type=int, default=350)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=ROOT / "build" / "bench-report")
    parser.add_argument("--profile", action="store_true", help="profile one in-process run")
    args = parser.parse_args()
    review = args.keep / f"review-{args.records}"
    if not (review / "review.db").is_file():
        shutil.rmtree(review, ignore_errors=True)
        review.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        build(review, args.folder, args.records).close()
        print(f"built {review} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    with Project.open(review) as project:
        summary = project.synthesis.summary()
    print(
        f"Review: {args.records} records from {args.folder.name}, two reviewers; "
        f"{summary.included_papers} included papers, {summary.findings} findings "
        f"({summary.sorted_findings} sorted).\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        runs = [run_cli(review, Path(tmp) / f"r{n}") for n in range(args.repeat)]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print("| action | wall, fastest | wall, median | CPU, median | target |")
        print("|---|---:|---:|---:|---:|")
        print(
            f"| `report` (all formats), process start to exit | {min(walls):.2f} s "
            f"| {statistics.median(walls):.2f} s | {statistics.median(cpus):.2f} s | < 4 s |"
        )
        print(
            "\nWhere one in-process run spends its time (the steps the progress display shows):\n"
        )
        print("| step | wall | CPU |")
        print("|---|---:|---:|")
        for what, wall, cpu in steps(review, Path(tmp) / "steps"):
            print(f"| {what} | {wall:.2f} s | {cpu:.2f} s |")
        if args.profile:
            profiler = cProfile.Profile()
            with Project.open(review) as project:
                profiler.enable()
                project.report.write(Path(tmp) / "profiled")
                profiler.disable()
            print()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
