"""Load: a team of signed-in reviewers screening and sorting at once against ``metasummary
serve``, with 4 workers on PostgreSQL and with 1 worker on SQLite, on loopback.

Builds a review from a real labelled screening set (default ``../shared/data/screening/
kitchenham_2010/records.csv``; any CSV with ``title``, ``abstract`` and ``label_included``
columns), dual screening, one account per simulated reviewer (``r01`` … as R1 …) and a board
of 400 findings in 20 themes. Each simulated reviewer signs in with its own account and, for
``--seconds``, screens as the page does (a vote answered with the next record; the verdict is
the set's label, flipped one time in ten so conflicts arise) and every fifth action drags a
note to another theme, pausing ``--think`` seconds (±50 %) between actions. A warm-up of
``--warmup`` seconds first lets each worker rank each reviewer's queue (a reviewer's first
visit says "preparing"); it is not measured.

Afterwards a consistency check reads the database: every acknowledged decision stored exactly
once and as answered, nothing stored that was not acknowledged (or lost with a failed
request), no group with more votes than the phase needs, every card shown blind (no other
reviewer's pending vote on a record still open to the viewer), and every theme's "Nx" equal
to the distinct papers of its notes.

    .venv/bin/python benchmarks/load.py                       # both set-ups, 20 reviewers, 60 s
    .venv/bin/python benchmarks/load.py --only sqlite --seconds 20
    .venv/bin/python benchmarks/load.py --pg-url postgresql+psycopg://me@host/empty_db

PostgreSQL is a throwaway cluster the benchmark starts on a free loopback port (``initdb`` and
``pg_ctl`` from Debian's packages, as the tests do) unless ``--pg-url`` names an empty database.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))
from tests.pgserver import PgServer, find_bindir  # noqa: E402

from metasummary import Project, RecordData  # noqa: E402
from metasummary.models import PHASES  # noqa: E402
from metasummary.store import catalog, events  # noqa: E402
from metasummary.store import findings as store_findings  # noqa: E402
from metasummary.store.clock import now  # noqa: E402
from metasummary.store.schema import (  # noqa: E402
    assignments,
    decisions,
    findings,
    records,
    reviewers,
    sources,
)
from tables import markdown_table  # noqa: E402

DEFAULT_SET = ROOT.parent / "shared" / "data" / "screening" / "kitchenham_2010" / "records.csv"
PASSWORD = "load-test passphrase"
STAGES = ["Requirements", "Data", "Model", "Deployment", "Organisation"]
FINDINGS, THEMES, PAPERS = 400, 20, 40


def protocol(reviewers: int) -> str:
    codes = ", ".join(f"{{id: R{i}}}" for i in range(1, reviewers + 1))
    stages = "".join(
        f"  - {{code: S{n}, label: {s}, order: {n}}}\n" for n, s in enumerate(STAGES, 1)
    )
    return (
        "title: Load benchmark review\n"
        "research_questions: [{id: RQ1, text: What are the challenges?}]\n"
        "criteria:\n"
        "  inclusion: [{code: I1, text: On topic.}]\n"
        "  exclusion: [{code: E1, text: Off topic.}]\n"
        "query:\n  groups: [{name: A, terms: [software]}]\n"
        "sources:\n  - {name: Set, kind: library}\n  - {name: Papers, kind: library}\n"
        f"stages:\n{stages}reviewers: [{codes}]\n"
        "screening:\n  title_abstract: {mode: dual}\n  full_text: {mode: dual}\n"
    )


def labelled(path: Path) -> list[tuple[str, str, int]]:
    """(title, abstract, label) of every row, shuffled with a fixed seed."""
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        rows = [
            (
                (r.get("title") or "").strip(),
                (r.get("abstract") or "").strip(),
                int(r.get("label_included") or 0),
            )
            for r in csv.DictReader(handle)
        ]
    rows = [r for r in rows if r[0]]
    if not rows:
        raise SystemExit(f"{path}: no rows with a title")
    random.Random(42).shuffle(rows)
    return rows


def build(folder: Path, db: str | None, rows: list[tuple[str, str, int]], team: int) -> Project:
    """The review, the accounts and the board; labels by record id."""
    project = Project.init(folder, protocol_text=protocol(team), db=db)
    project.add_records("Set", (RecordData(title=t, abstract=a) for t, a, _ in rows))
    papers = project.add_records(
        "Papers", [RecordData(title=f"Included paper {i}") for i in range(PAPERS)]
    )
    with project.store.write() as conn:
        codes = {r.code: r.id for r in catalog.list_reviewers(conn)}
        conn.execute(
            decisions.insert(),
            [
                {
                    "record_id": paper,
                    "phase": phase.value,
                    "reviewer_id": codes[code],
                    "kind": "vote",
                    "verdict": "include",
                    "criteria": [],
                    "created_at": now(),
                }
                for paper in papers
                for phase in PHASES
                for code in ("R1", "R2")
            ],
        )
        notes = [
            store_findings.insert(
                conn, record_id=papers[i % PAPERS], text=rows[i % len(rows)][1][:300] or "x"
            )
            for i in range(FINDINGS)
        ]
        events.log(conn, "benchmark.board", actor="benchmark", payload={"findings": FINDINGS})
    sorting = project.synthesis.sorting
    per_theme = FINDINGS // THEMES
    for k in range(THEMES):
        theme = sorting.create_theme(f"S{1 + k % len(STAGES)}", f"Challenge {k + 1}")
        sorting.move_findings(notes[k * per_theme : (k + 1) * per_theme], theme.id)
    for i in range(1, team + 1):
        project.accounts.add(
            f"r{i:02d}", role="reviewer", reviewer=f"R{i}", password=PASSWORD, actor="benchmark"
        )
    return project


# -- the server -----------------------------------------------------------------------------


def descendants(roots: list[int]) -> set[int]:
    """``roots`` and every process below them (read from /proc)."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(roots), list(roots)
    while frontier:
        pid = frontier.pop()
        children = [child for child, up in parent.items() if up == pid and child not in found]
        found.update(children)
        frontier.extend(children)
    return found


def cpu_seconds(roots: list[int]) -> float:
    """User and system CPU time of the processes under ``roots`` (those alive now)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in descendants(roots):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


@contextmanager
def served(folder: Path, db: str | None, workers: int) -> Iterator[tuple[str, int]]:
    command = [sys.executable, "-m", "metasummary", "serve", "-p", str(folder), "--port", "0"]
    command += ["--workers", str(workers)] + (["--db", db] if db else [])
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if " at http" not in line:
                raise SystemExit(f"metasummary serve did not start: {line}")
            threading.Thread(target=process.stdout.read, daemon=True).start()
            yield line.split(" at ", 1)[1].split()[0].rstrip("/"), process.pid
        finally:
            process.terminate()
            process.wait(timeout=60)


# -- one simulated reviewer ------------------------------------------------------------------


@dataclass
class Tally:
    """What every simulated reviewer saw, merged."""

    times: dict[str, list[float]] = field(default_factory=dict)
    acknowledged: dict[int, tuple[int, str, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    refused: int = 0
    blind_breaks: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def time(self, kind: str, ms: float) -> None:
        with self.lock:
            self.times.setdefault(kind, []).append(ms)


class Reviewer:
    def __init__(self, url: str, number: int, labels: dict[int, int], tally: Tally) -> None:
        self.code = f"R{number}"
        self.client = httpx.Client(base_url=url, timeout=120)
        self.account = f"r{number:02d}"
        self.labels = labels
        self.tally = tally
        self.rng = random.Random(number)
        self.card: dict[str, Any] | None = None
        self.actions = 0

    def sign_in(self) -> None:
        anonymous = self.client.get("/api/session").json()["csrf_token"]
        done = self.client.post(
            "/api/session",
            json={"name": self.account, "password": PASSWORD},
            headers={"X-CSRF-Token": anonymous},
        )
        done.raise_for_status()
        self.client.headers["X-CSRF-Token"] = done.json()["csrf_token"]

    def call(
        self, kind: str, method: str, path: str, measured: bool, **kw: Any
    ) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response = self.client.request(method, path, **kw)
        except httpx.HTTPError as exc:
            if measured:
                self.tally.errors.append(f"{kind}: {exc!r}")
            return None
        if measured:
            self.tally.time(kind, (time.perf_counter() - start) * 1000)
            if response.status_code >= 500 or response.status_code in (401, 403, 422, 429):
                self.tally.errors.append(f"{kind}: {response.status_code} {response.text[:120]}")
            if "locked" in response.text.lower():
                self.tally.errors.append(f"{kind}: {response.text[:120]}")
        return response

    def next_card(self, measured: bool) -> None:
        response = self.call(
            "next record", "GET", "/api/screening", measured, params={"reviewer": self.code}
        )
        self.card = (
            self.check(response.json()) if response is not None and response.is_success else None
        )

    def check(self, card: dict[str, Any]) -> dict[str, Any]:
        """Blind screening: a record still open to this reviewer shows no other's vote."""
        record = card.get("record")
        if record:
            others = [
                d for d in record["decisions"] if d["kind"] == "vote" and d["reviewer"] != self.code
            ]
            if others:
                with self.tally.lock:
                    self.tally.blind_breaks.append(f"{self.code} saw {others} on {record['id']}")
        return card

    def vote(self, measured: bool) -> None:
        record = (self.card or {}).get("record")
        if not record:
            self.next_card(measured)
            return
        label = self.labels.get(record["record_id"], 0)
        if self.rng.random() < 0.1:
            label = 1 - label
        verdict = "include" if label else "exclude"
        body = {
            "record_id": record["record_id"],
            "reviewer": self.code,
            "verdict": verdict,
            "criteria": [] if label else ["E1"],
        }
        response = self.call(
            "vote + next record", "POST", "/api/screening/decisions", measured, json=body
        )
        if response is None:
            self.card = None
            return
        if response.status_code == 400:  # filled or resolved meanwhile by the others
            with self.tally.lock:
                self.tally.refused += measured
            self.next_card(measured)
            return
        if response.is_success:
            data = response.json()
            with self.tally.lock:  # warm-up votes too: the check reads every vote stored
                self.tally.acknowledged[int(data["decision"]["decision_id"])] = (
                    record["record_id"],
                    self.code,
                    verdict,
                )
            self.card = self.check(data["next"])

    def move(self, measured: bool, notes: list[int], themes: list[int]) -> None:
        form = {
            "finding": str(self.rng.choice(notes)),
            "theme": str(self.rng.choice(themes)),
            "position": "0",
        }
        self.call(
            "note dragged",
            "POST",
            "/board/moves",
            measured,
            data=form,
            headers={"HX-Request": "true"},
        )

    def run(
        self, until: float, measured: bool, think: float, board: tuple[list[int], list[int]]
    ) -> None:
        while time.monotonic() < until:
            self.actions += 1
            if self.actions % 5 == 0:
                self.move(measured, *board)
            elif self.card is None or not self.card.get("ready", True):
                self.next_card(measured)
            else:
                self.vote(measured)
            time.sleep(think * (0.5 + self.rng.random()))


# -- a run -----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    seconds: float
    tally: Tally
    server_cpu: float = 0.0
    """CPU seconds the web server (all workers) and the database server spent measured."""
    load_average: float = 0.0
    """The machine's 1-minute load average at the end (2 cores: above 2, CPU is short)."""
    stored_extra: int = 0
    stored_missing: int = 0
    mismatched: int = 0
    over_full: int = 0
    count_errors: int = 0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.tally.times.values()) + len(self.tally.errors)


def load(
    url: str,
    team: int,
    seconds: float,
    warmup: float,
    think: float,
    labels: dict[int, int],
    board: tuple[list[int], list[int]],
    servers: list[int],
) -> tuple[Tally, float, float]:
    """The tally, the seconds measured, and the CPU seconds the servers spent meanwhile."""
    tally = Tally()
    people = [Reviewer(url, n, labels, tally) for n in range(1, team + 1)]
    for person in people:
        person.sign_in()

    def phase(duration: float, measured: bool) -> float:
        until = time.monotonic() + duration
        threads = [
            threading.Thread(target=p.run, args=(until, measured, think, board)) for p in people
        ]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start

    phase(warmup, measured=False)
    before = cpu_seconds(servers)
    elapsed = phase(seconds, measured=True)
    spent = cpu_seconds(servers) - before
    for person in people:
        person.client.close()
    return tally, elapsed, spent


def consistency(project: Project, result: Result, since: int) -> None:
    """Reads the database after the run."""
    with project.store.read() as conn:
        codes = dict(conn.execute(sa.select(reviewers.c.id, reviewers.c.code)).all())
        stored = {
            row.id: (row.record_id, codes[row.reviewer_id], row.verdict)
            for row in conn.execute(sa.select(decisions).where(decisions.c.id > since))
        }
        placed = conn.execute(
            sa.select(assignments.c.theme_id, findings.c.record_id)
            .join(findings, findings.c.id == assignments.c.finding_id)
            .where(assignments.c.coder == "")
        ).all()
    acknowledged = result.tally.acknowledged
    result.stored_missing = len(set(acknowledged) - set(stored))
    result.mismatched = sum(1 for d, v in acknowledged.items() if d in stored and stored[d] != v)
    # a vote whose answer was lost with a failed request may be stored; nothing else may
    result.stored_extra = max(0, len(set(stored) - set(acknowledged)) - len(result.tally.errors))
    votes: dict[int, set[str]] = {}
    for record, code, _ in stored.values():
        votes.setdefault(record, set()).add(code)
    result.over_full = sum(1 for v in votes.values() if len(v) > 2)
    shown = {t.theme.id: t.papers for lane in project.synthesis.board().stages for t in lane.themes}
    expected = {theme: len({p for t, p in placed if t == theme}) for theme in shown}
    result.count_errors = sum(1 for k in shown if shown[k] != expected[k])


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run_setup(
    name: str,
    db: str | None,
    workers: int,
    args: argparse.Namespace,
    rows: list[tuple[str, str, int]],
    database_pids: list[int],
) -> Result:
    folder = Path(tempfile.mkdtemp(prefix="metasummary-load-")) / "review"
    print(f"{name}: building {len(rows):,} records, {args.reviewers} accounts ...", file=sys.stderr)
    project = build(folder, db, rows, args.reviewers)
    with project:
        with project.store.read() as conn:
            since = int(conn.execute(sa.select(sa.func.max(decisions.c.id))).scalar() or 0)
            in_set = sa.select(sources.c.id).where(sources.c.name == "Set").scalar_subquery()
            query = sa.select(records.c.id).where(records.c.source_id == in_set)
            set_ids = [int(i) for i in conn.execute(query.order_by(records.c.id)).scalars()]
            notes = [int(i) for i in conn.execute(sa.select(findings.c.id)).scalars()]
        labels = {rid: rows[i][2] for i, rid in enumerate(set_ids)}
        themes = [t.theme.id for lane in project.synthesis.board().stages for t in lane.themes]
        print(
            f"{name}: serving with {workers} worker(s); warm-up {args.warmup:.0f} s, "
            f"then {args.seconds:.0f} s measured",
            file=sys.stderr,
        )
        with served(folder, db, workers) as (url, pid):
            tally, elapsed, spent = load(
                url,
                args.reviewers,
                args.seconds,
                args.warmup,
                args.think,
                labels,
                (notes, themes),
                [pid, *database_pids],
            )
        result = Result(name, elapsed, tally, server_cpu=spent, load_average=os.getloadavg()[0])
        consistency(project, result, since)
    return result


def report(results: list[Result]) -> None:
    rows = []
    for r in results:
        every = [ms for values in r.tally.times.values() for ms in values]
        rows.append(
            [
                r.name,
                r.requests,
                round(r.requests / r.seconds, 1),
                round(percentile(every, 50), 1),
                round(percentile(every, 95), 1),
                round(percentile(every, 99), 1),
                round(1000 * r.server_cpu / max(1, r.requests), 1),
                round(r.load_average, 1),
                len(r.tally.errors),
                r.tally.refused,
                len(r.tally.acknowledged),
                r.stored_missing + r.stored_extra + r.mismatched,
                r.over_full,
                len(r.tally.blind_breaks),
                r.count_errors,
            ]
        )
    print(
        markdown_table(
            [
                "set-up",
                "requests",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "server CPU ms/request",
                "load average",
                "errors",
                "refused (taken meanwhile)",
                "decisions acknowledged",
                "lost/duplicated/changed",
                "groups over-voted",
                "blind breaks",
                "theme counts off",
            ],
            rows,
        )
    )
    print()
    kinds = []
    for r in results:
        for kind, values in sorted(r.tally.times.items()):
            kinds.append(
                [
                    r.name,
                    kind,
                    len(values),
                    round(statistics.median(values), 1),
                    round(percentile(values, 95), 1),
                    round(percentile(values, 99), 1),
                ]
            )
    print(markdown_table(["set-up", "request", "count", "p50 ms", "p95 ms", "p99 ms"], kinds))
    for r in results:
        for line in (r.tally.errors + r.tally.blind_breaks)[:10]:
            print(f"{r.name}: {line}", file=sys.stderr)


def postmaster(server: PgServer) -> int:
    """The throwaway cluster's server process (its backends are its children)."""
    return int((server.data / "postmaster.pid").read_text().split()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "set",
        nargs="?",
        type=Path,
        default=DEFAULT_SET,
        help="a labelled CSV (title, abstract, label_included)",
    )
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=20)
    parser.add_argument("--think", type=float, default=0.5, help="pause between actions (s)")
    parser.add_argument("--pg-workers", type=int, default=4)
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: a throwaway one)")
    args = parser.parse_args(argv)
    rows = labelled(args.set)
    print(f"{args.set}: {len(rows):,} records, {sum(r[2] for r in rows)} included", file=sys.stderr)
    results = []
    if args.only != "sqlite":
        server = None
        url = args.pg_url
        if url is None:
            bindir = find_bindir()
            if bindir is None:
                raise SystemExit("PostgreSQL server binaries not found; give --pg-url")
            server = PgServer(bindir)
            server.start()
            url = server.new_database()
        try:
            results.append(
                run_setup(
                    f"PostgreSQL, {args.pg_workers} workers",
                    url,
                    args.pg_workers,
                    args,
                    rows,
                    [postmaster(server)] if server is not None else [],
                )
            )
        finally:
            if server is not None:
                server.stop()
    if args.only != "postgresql":
        results.append(run_setup("SQLite, 1 worker", None, 1, args, rows, []))
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
