"""Server-side time of the web app's pages on a review of 100,000 records.

Builds a review (SQLite by default, or ``--db URL``) whose titles and abstracts are real text
from the CSV files under the data folders given (default ``../shared/data/screening``), cycled
to ``--records``; 10 % of the records are duplicates of an earlier one and a fifth of the
groups carry title/abstract votes (some in conflict, some retracted), with full-text votes on
part of the included ones. It then runs ``metasummary serve`` on a free 127.0.0.1 port (its
own process) and requests each page ``--repeat`` times, reading the server's own time from
the ``Server-Timing`` header, with the round trip beside it.

    .venv/bin/python benchmarks/web.py                      # 100,000 records, 30 requests each
    .venv/bin/python benchmarks/web.py --keep build/bench-web   # reuse the built review next time

The review also carries a card-sort board of 2,000 findings in 40 themes (on its included
papers), and the full-text index behind the records search: the app builds it in the
background on the first search, the benchmark builds it before serving (its time is printed)
so every search measured uses it. Beside the pages, it times a vote on the screening page
(answered with the next record), a note dragged to another theme, and, in Debian's chromium
driven by Playwright, the time from a key press to the next record shown (``--presses``;
``--no-browser`` skips it).
Votes and key presses are paced half a second apart, a very fast reviewer.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metasummary import Phase, Project, RecordData
from metasummary.browse import DuplicateFilter, RecordQuery
from metasummary.store import events
from metasummary.store.clock import now
from metasummary.store.schema import decisions, records, reviewers
from tables import markdown_table
from web_review import (
    Timing,
    browser_times,
    ensure_board,
    move_times,
    server_ms,
    summary,
    vote_times,
    warm_queue,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "screening"
SOURCES = ["IEEE Xplore", "ACM DL", "Scopus", "Web of Science", "SpringerLink"]
_SOURCE_LINES = "".join(f"  - {{name: {name}, kind: library}}\n" for name in SOURCES)
STAGES = ["Requirements", "Data", "Model", "Deployment", "Organisation"]
_STAGE_LINES = "".join(
    f"  - {{code: S{n}, label: {label}, order: {n}}}\n" for n, label in enumerate(STAGES, start=1)
)
PROTOCOL = (
    "title: Web benchmark review\n"
    "research_questions: [{id: RQ1, text: What are the challenges?}]\n"
    "criteria:\n"
    "  inclusion: [{code: I1, text: About SE for ML.}]\n"
    "  exclusion: [{code: E1, text: Model-centric.}, {code: E2, text: Not a study.}]\n"
    "query:\n"
    "  groups: [{name: A, terms: [machine learning]}, {name: B, terms: [software engineering]}]\n"
    "sources:\n" + _SOURCE_LINES + "stages:\n" + _STAGE_LINES + "reviewers: [{id: R1}, {id: R2}]\n"
)


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    path: str
    fragment: bool = False  # sent as htmx would, for the results only


def text_pool(folders: list[Path]) -> list[tuple[str, str]]:
    """(title, abstract) pairs from every CSV with those columns under ``folders``."""
    pool: list[tuple[str, str]] = []
    csv.field_size_limit(10_000_000)
    for folder in folders:
        for path in sorted(folder.rglob("*.csv")):
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
                reader = csv.DictReader(handle)
                columns = {c.lower(): c for c in reader.fieldnames or []}
                if "title" not in columns or "abstract" not in columns:
                    continue
                for row in reader:
                    title = (row[columns["title"]] or "").strip()
                    if title:
                        pool.append((title, (row[columns["abstract"]] or "").strip()))
    if not pool:
        raise SystemExit(f"no CSV with title and abstract columns under {folders}")
    return pool


def generate(pool: list[tuple[str, str]], count: int, rng: random.Random) -> Iterator[RecordData]:
    for i in range(count):
        title, abstract = pool[i % len(pool)]
        authors = [
            f"Author{rng.randrange(5000)}, {chr(65 + rng.randrange(26))}."
            for _ in range(rng.randint(1, 6))
        ]
        year = None if rng.random() < 0.02 else rng.randint(1995, 2024)
        yield RecordData(
            title=title,
            abstract=abstract,
            authors=authors,
            year=year,
            venue=f"Venue {rng.randrange(300)}",
            doi=f"10.{1000 + rng.randrange(9000)}/bench.{i}",
            raw=f"TY  - JOUR\nTI  - {title}\nAB  - {abstract}\n"
            + "".join(f"AU  - {a}\n" for a in authors)
            + f"PY  - {year}\nER  -\n",
            entry_index=i,
            entry_line=1 + 12 * i,
        )


def build(folder: Path, db: str | None, pool: list[tuple[str, str]], count: int) -> Project:
    rng = random.Random(42)
    project = Project.init(folder, protocol_text=PROTOCOL, db=db)
    per_source = count // len(SOURCES)
    for n, source in enumerate(SOURCES):
        size = per_source if n < len(SOURCES) - 1 else count - per_source * (len(SOURCES) - 1)
        project.add_records(source, generate(pool, size, rng))
    with project.store.write() as conn:
        ids = list(conn.execute(sa.select(records.c.id).order_by(records.c.id)).scalars())
        positions = rng.sample(range(len(ids) // 10, len(ids)), len(ids) // 10)
        canonical_of = {ids[p]: ids[rng.randrange(p)] for p in positions}
        # Links are flat: a duplicate points at a record that is not itself a duplicate.
        canonical_of = {rid: c for rid, c in canonical_of.items() if c not in canonical_of}
        conn.execute(
            records.update()
            .where(records.c.id == sa.bindparam("rid"))
            .values(duplicate_of=sa.bindparam("dup")),
            [{"rid": rid, "dup": c} for rid, c in canonical_of.items()],
        )
        query = sa.select(reviewers.c.code, reviewers.c.id)
        reviewer = {row.code: row.id for row in conn.execute(query)}
        roots = [rid for rid in ids if rid not in canonical_of]
        voted = rng.sample(roots, len(roots) // 5)
        stamp = now()
        rows = []

        def vote(rid: int, phase: Phase, who: str, verdict: str | None, kind: str = "vote") -> None:
            rows.append(
                {
                    "record_id": rid,
                    "phase": phase.value,
                    "reviewer_id": reviewer[who],
                    "kind": kind,
                    "verdict": verdict,
                    "criteria": ["E1"] if verdict == "exclude" else [],
                    "note": "",
                    "pdf": "",
                    "pilot": False,
                    "created_at": stamp,
                }
            )

        for rid in voted:
            verdict = "include" if rng.random() < 0.15 else "exclude"
            vote(rid, Phase.TITLE_ABSTRACT, "R1", verdict)
            roll = rng.random()
            if roll < 0.05:
                vote(rid, Phase.TITLE_ABSTRACT, "R2", "maybe")  # a conflict
            elif roll < 0.08:
                vote(rid, Phase.TITLE_ABSTRACT, "R1", None, kind="retraction")
            elif verdict == "include" and roll < 0.6:
                vote(rid, Phase.FULL_TEXT, "R1", rng.choice(["include", "exclude"]))
        conn.execute(decisions.insert(), rows)
        events.log(conn, "benchmark.decisions", actor="benchmark", payload={"count": len(rows)})
    return project


def open_or_build(keep: Path | None, db: str | None, data: list[Path], count: int) -> Project:
    if keep is not None and (keep / "protocol.yaml").exists():
        project = Project.open(keep, db=db)
        if project.browser.page(RecordQuery(per_page=1)).total == count:
            return project
        raise SystemExit(
            f"{keep}: holds a review of another size; remove it or give another --keep"
        )
    folder = keep or Path(tempfile.mkdtemp(prefix="metasummary-bench-web-")) / "review"
    print(f"building {count:,} records in {folder} ...", file=sys.stderr)
    start = time.perf_counter()
    project = build(folder, db, text_pool(data), count)
    print(f"built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return project


def scenarios(project: Project) -> list[Scenario]:
    sample = project.browser.page(RecordQuery(duplicates=DuplicateFilter.DUPLICATE, per_page=1))
    record = sample.rows[0].id if sample.rows else 1
    doi = sample.rows[0].doi if sample.rows else "10.1000/bench.1"
    last = project.browser.page(RecordQuery()).pages
    return [
        Scenario("dashboard", "/"),
        Scenario("dashboard JSON", "/api/dashboard"),
        Scenario("records, first page", "/records"),
        Scenario("records JSON, first page", "/api/records"),
        Scenario(f"records, page {last // 2:,}", f"/records?page={last // 2}"),
        Scenario(f"records, last page ({last:,})", f"/records?page={last}"),
        Scenario("records by source", "/records?source=Scopus", fragment=True),
        Scenario(
            "records 2010-2015 by year",
            "/records?year_from=2010&year_to=2015&sort=year",
            fragment=True,
        ),
        Scenario("records T/A included", "/records?title-abstract=included", fragment=True),
        Scenario("records T/A undecided", "/records?title-abstract=undecided", fragment=True),
        Scenario("records full text undecided", "/records?full-text=undecided", fragment=True),
        Scenario("records in a duplicate group", "/records?duplicates=grouped", fragment=True),
        Scenario("records sorted by title", "/records?sort=title", fragment=True),
        Scenario("records search 'requirements'", "/records?q=requirements", fragment=True),
        Scenario(
            "records search 'requirements' by title",
            "/records?q=requirements&sort=title",
            fragment=True,
        ),
        Scenario("records search 're' (as typed)", "/records?q=re", fragment=True),
        Scenario("records search an author", "/records?q=Author1234", fragment=True),
        Scenario("records search a DOI", f"/records?q={doi}", fragment=True),
        Scenario("record page (duplicate)", f"/records/{record}"),
        *part2_scenarios(project),
    ]


def part2_scenarios(project: Project) -> list[Scenario]:
    """The screening page (next record in prioritised order) and the card-sort board."""
    return [
        Scenario("screening page, next record", f"/screening?reviewer={REVIEWER}"),
        Scenario("screening JSON", f"/api/screening?reviewer={REVIEWER}"),
        Scenario("board (2,000 findings, 40 themes)", "/board"),
        Scenario("board JSON", "/api/board"),
        Scenario("board suggestions (400 unsorted)", "/board/suggestions"),
        Scenario("conflicts page", f"/conflicts?reviewer={REVIEWER}"),
        Scenario("dedup review page", "/dedup"),
        Scenario("dashboard panel: progress", "/panels/screening-progress"),
        Scenario("dashboard panel: agreement", "/panels/agreement"),
    ]


REVIEWER = "R2"


@contextmanager
def served(folder: Path, db: str | None) -> Iterator[str]:
    """``metasummary serve`` on a free port, in its own process; its base URL."""
    command = [sys.executable, "-m", "metasummary", "serve", "-p", str(folder), "--port", "0"]
    if db:
        command += ["--db", db]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # printed once the socket listens
            if " at http" not in line:
                raise SystemExit(f"metasummary serve did not start: {line}")
            # Keep reading its output (the access log), or a full pipe would stall it.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            yield line.split(" at ", 1)[1].split()[0].rstrip("/")
        finally:
            process.terminate()
            process.wait(timeout=60)


def measure(
    client: httpx.Client, scenario: Scenario, repeat: int
) -> tuple[float, float, float, str]:
    headers = {"HX-Request": "true", "HX-Target": "results"} if scenario.fragment else {}
    for _ in range(2):  # warm caches and connections
        client.get(scenario.path, headers=headers).raise_for_status()
    server: list[float] = []
    trip: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(scenario.path, headers=headers)
        trip.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
        server.append(server_ms(response))
    total = (
        response.text.split('data-total="', 1)[1].split('"', 1)[0]
        if 'data-total="' in response.text
        else ""
    )
    median, p95 = summary(server)
    return median, p95, statistics.median(trip), total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "data", nargs="*", type=Path, help="folders of CSV files with title and abstract columns"
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--keep", type=Path, help="build the review here, or reuse the one built there"
    )
    parser.add_argument("--db", help="database URL (default: SQLite in the review folder)")
    parser.add_argument("--presses", type=int, default=40, help="key presses in the browser")
    parser.add_argument("--no-browser", action="store_true", help="skip the browser timing")
    args = parser.parse_args(argv)

    data = args.data or [DEFAULT_DATA]
    project = open_or_build(args.keep, args.db, data, args.records)
    with project:
        ensure_board(project, [abstract for _, abstract in text_pool(data)[:5000]])
        start = time.perf_counter()
        indexed = project.query.ensure_index()
        index_time = time.perf_counter() - start
        status = project.status()
        pages = scenarios(project)
        folder = project.root
        assert folder is not None
        rows = []
        posts: list[Timing] = []
        with served(folder, args.db) as url, httpx.Client(base_url=url, timeout=900) as client:
            warmed = warm_queue(client, REVIEWER)
            for scenario in pages:
                median, p95, trip, total = measure(client, scenario, args.repeat)
                rows.append([scenario.name, scenario.path, median, p95, trip, total])
            posts.append(vote_times(client, REVIEWER, args.repeat))
            posts.append(move_times(client, project, args.repeat))
            presses = None if args.no_browser else browser_times(url, REVIEWER, args.presses)
    for timing in posts:
        (median, p95), (trip, _) = summary(timing.server), summary(timing.trip)
        rows.append([timing.name, timing.request, median, p95, trip, ""])
    print(
        f"{status.total.records:,} records ({status.total.duplicates:,} duplicates) in "
        f"{len(status.sources)} sources; {status.findings:,} findings in {status.themes} "
        f"themes; {status.database}; {args.repeat} requests per page, times in ms\n"
    )
    print(
        markdown_table(
            ["page", "request", "server median", "server p95", "round trip median", "matching"],
            rows,
        )
    )
    built = f"built in {index_time:.1f} s" if indexed else "kept from an earlier run"
    print(f"\nFull-text index behind the records search: {built}")
    first, full = warmed
    print(
        f"\nFirst ranking of {REVIEWER}'s queue (first visit of the screening page until it "
        f"shows a record): {first:.1f} s; the full ranking replaced the provisional one "
        f"(ranked on titles) after {full:.1f} s\n"
    )
    if presses is None:
        print("Browser timing skipped (no Playwright, no /usr/bin/chromium, or --no-browser).")
    else:
        median, p95 = summary(presses)
        print(
            markdown_table(
                ["in the browser", "presses", "median ms", "p95 ms", "max ms"],
                [["key press to next record shown", len(presses), median, p95, max(presses)]],
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
