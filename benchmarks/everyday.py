"""Everyday speed: how long a researcher waits for the commands and pages of a normal review.

Builds a 350-record, two-reviewer review from a real labelled screening set (default
``../shared/data/screening/synergy_nelson_2002``; any CSV with ``title``, ``abstract`` and
``label_included`` columns): both reviewers vote on every record at title and abstract with
the error model of ``screening_agreement.py``, most conflicts are resolved, the included
papers are voted on at full text, and the survey answers of
``../shared/data/coding/flaky_tests_survey_parry2022`` become findings on the included papers,
two thirds of them sorted into themes. Then it times whole processes as a user waits for them
(process start to exit, the median of ``--repeat`` runs):

* ``metasummary --help``, ``status``, ``decide --help``;
* ``metasummary agreement``;
* the dashboard of ``metasummary serve`` (its own process): the first load after the server
  starts (the page and the panels it loads after showing), and again after
  ``metasummary findings add`` added one finding;
* ``metasummary report`` (all formats);
* ``metasummary search openalex`` and ``metasummary snowball`` while offline, until their
  error. Offline is simulated with a proxy whose host name cannot resolve
  (``offline.invalid``, a name reserved never to exist), so no request ever leaves the
  machine.

Beside the wall-clock time it gives the CPU time the process used (user + system; for the
dashboard, the server's CPU time while it answered): on a machine shared with other work the
wall clock includes the wait for a core, the CPU time does not.

``--vs SRC`` runs every command a second time with another checkout's ``src`` folder first on
``PYTHONPATH`` (e.g. an export of the previous release), and prints its figures beside ours;
that checkout must read the review's schema (an older one refuses a newer database: then run
this script itself with that ``src`` on ``PYTHONPATH`` and its own ``--keep`` folder).

    .venv/bin/python benchmarks/everyday.py
    .venv/bin/python benchmarks/everyday.py --keep build/bench-everyday --vs ../old/src
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import shutil
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

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from metasummary import Phase, Project, RecordData
from metasummary.screening.standing import Standing
from screening_agreement import REASONS, vote
from tables import markdown_table

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_CSV = SHARED / "screening" / "synergy_nelson_2002" / "records_with_text.csv"
CODED = SHARED / "coding" / "flaky_tests_survey_parry2022" / "coded_items_long.csv"
OFFLINE_PROXY = "http://offline.invalid:3128"
STAGES = ("S1", "S2", "S3", "S4")
PROTOCOL = """\
title: Everyday speed benchmark
research_questions: [{id: RQ1, text: What is known?}]
criteria:
  inclusion:
    - {code: I1, text: "Randomised trial of the intervention."}
  exclusion:
    - {code: E1, text: "Wrong population."}
    - {code: E2, text: "Wrong intervention or comparison."}
    - {code: E3, text: "Not a randomised trial."}
query:
  groups:
    - {name: A, terms: [estrogen, oestrogen, hormone replacement, hormone therapy]}
    - {name: B, terms: [trial, randomized, randomised]}
sources:
  - {name: OpenAlex, kind: library}
stages:
  - {code: S1, label: Causes, order: 1}
  - {code: S2, label: Diagnosis, order: 2}
  - {code: S3, label: Repair, order: 3}
  - {code: S4, label: Prevention, order: 4}
reviewers: [{id: R1}, {id: R2}]
screening:
  title_abstract: {mode: dual}
  full_text: {mode: dual}
"""
TARGETS = {
    "--help": 0.4,
    "status": 0.4,
    "decide --help": 0.4,
    "agreement": 0.5,
    "dashboard, first load": 0.3,
    "dashboard, after adding one finding": 0.3,
    "report (all formats)": 4.0,
    "search while offline, to its error": 3.0,
    "snowball while offline, to its error": 3.0,
}
ISSUE_TODAY = {
    "--help": "1.7–2.3",
    "status": "1.7–2.3",
    "decide --help": "1.7–2.3",
    "agreement": "6.3–9",
    "dashboard, first load": "6.8",
    "dashboard, after adding one finding": "7.6",
    "report (all formats)": "12",
    "search while offline, to its error": "64",
    "snowball while offline, to its error": "64",
}


# -- the review ------------------------------------------------------------------------------


def read_rows(path: Path, count: int, seed: int) -> list[dict[str, str]]:
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("title") or "").strip()]
    random.Random(seed).shuffle(rows)
    return rows[:count]


def coded_findings() -> list[tuple[str, str]]:
    """(text, first theme) of each coded survey answer."""
    with CODED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (r["text"].strip(), r["themes"].split(";")[0].strip())
        for r in rows
        if r["text"].strip() and r["themes"].strip()
    ]


def build(folder: Path, data: Path, count: int, seed: int) -> None:
    rows = read_rows(data, count, seed)
    rng = random.Random(seed)
    truth = [
        (r["label_included"].strip() == "1", rng.choices(REASONS, (40, 35, 25))[0]) for r in rows
    ]
    voters = {"R1": random.Random(seed + 1), "R2": random.Random(seed + 2)}
    with Project.init(folder, protocol_text=PROTOCOL) as project:
        ids = project.add_records(
            "OpenAlex",
            (
                RecordData(
                    title=r["title"],
                    abstract=r.get("abstract", ""),
                    year=int(r["year"]) if (r.get("year") or "").isdigit() else None,
                    doi=(r.get("doi") or "").removeprefix("https://doi.org/"),
                    venue=r.get("venue", ""),
                )
                for r in rows
            ),
        )
        screening = project.screening
        for phase in (Phase.TITLE_ABSTRACT, Phase.FULL_TEXT):
            with project.store.read() as conn:
                eligible = set(Standing(project.required_votes()).phase(conn, phase).eligible())
            for record, (included, reason) in zip(ids, truth, strict=True):
                if record not in eligible:
                    continue
                votes = {}
                for code, voter in voters.items():
                    verdict, codes = vote(voter, included, reason)
                    votes[code] = verdict
                    screening.decide(
                        record, phase=phase, reviewer=code, verdict=verdict, criteria=codes
                    )
                # Most disagreements are settled; a few wait on the conflicts page.
                disputed = len(set(votes.values())) > 1 or "maybe" in votes.values()
                if disputed and rng.random() < 0.8:
                    verdict = "include" if included else "exclude"
                    screening.resolve(
                        record,
                        phase=phase,
                        reviewer="R1",
                        verdict=verdict,
                        criteria=[] if included else [reason],
                    )
        with project.store.read() as conn:
            papers = sorted(Standing(project.required_votes()).included(conn, Phase.FULL_TEXT))
        synthesis = project.synthesis
        themes: dict[str, int] = {}
        for n, (text, theme) in enumerate(coded_findings()):
            finding = synthesis.findings.add(papers[n % len(papers)], text, actor="R1")
            if n % 3 == 2:
                continue  # a third stays unsorted
            if theme not in themes:
                stage = STAGES[len(themes) % len(STAGES)]
                themes[theme] = synthesis.sorting.create_theme(stage, theme, actor="R1").id
            synthesis.sorting.move_findings([finding.id], themes[theme], actor="R1")


# -- timing whole processes ------------------------------------------------------------------


@dataclass(slots=True)
class Runner:
    """Runs ``metasummary`` as a user would, with one checkout's code."""

    folder: Path
    src: Path | None = None
    env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
        env |= {"COLUMNS": "100", "METASUMMARY_PROJECT": str(self.folder)}
        if self.src is not None:
            env["PYTHONPATH"] = str(self.src)
        self.env = env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "metasummary", *args]

    def timed(
        self, *args: str, env: dict[str, str] | None = None, expect: int = 0
    ) -> tuple[Sample, str]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            self.command(*args),
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if (done.returncode == 0) != (expect == 0):
            raise SystemExit(
                f"metasummary {' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}"
            )
        used = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        return Sample(elapsed, used), done.stdout + done.stderr

    @contextmanager
    def served(self) -> Iterator[tuple[str, float, int]]:
        """``metasummary serve`` on a free port: its base URL, the time it took to listen
        and its process id."""
        start = time.perf_counter()
        command = self.command("serve", "--port", "0")
        env = {**self.env, "PYTHONUNBUFFERED": "1"}
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        ) as process:
            try:
                assert process.stdout is not None
                line = process.stdout.readline()
                listening = time.perf_counter() - start
                if " at http" not in line:
                    raise SystemExit(f"metasummary serve did not start: {line}")
                threading.Thread(target=process.stdout.read, daemon=True).start()
                yield line.split(" at ", 1)[1].split()[0].rstrip("/"), listening, process.pid
            finally:
                process.terminate()
                process.wait(timeout=60)


@dataclass(frozen=True, slots=True)
class Sample:
    wall: float
    cpu: float | None


def cpu_seconds(pid: int) -> float | None:
    """User + system time of a running process (Linux), None where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def dashboard_load(client: httpx.Client, pid: int) -> Sample:
    """The dashboard as a browser shows it: the page, then each panel it loads after."""
    used = cpu_seconds(pid)
    start = time.perf_counter()
    page = client.get("/")
    page.raise_for_status()
    for path in dict.fromkeys(re.findall(r'hx-get="(/panels/[^"]+)"', page.text)):
        client.get(path).raise_for_status()
    wall = time.perf_counter() - start
    now = cpu_seconds(pid)
    return Sample(wall, None if used is None or now is None else now - used)


@dataclass(slots=True)
class Figures:
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, action: str, sample: Sample) -> None:
        self.samples.setdefault(action, []).append(sample)

    def median(self, action: str) -> tuple[float | None, float | None]:
        """Median wall-clock and CPU seconds."""
        found = self.samples.get(action, [])
        cpu = [s.cpu for s in found if s.cpu is not None]
        return (
            statistics.median(s.wall for s in found) if found else None,
            statistics.median(cpu) if cpu else None,
        )


def measure(runner: Runner, repeat: int, paper: int) -> Figures:
    figures = Figures()
    offline = {"HTTPS_PROXY": OFFLINE_PROXY, "HTTP_PROXY": OFFLINE_PROXY, "ALL_PROXY": ""}
    with tempfile.TemporaryDirectory() as out:
        for n in range(repeat):
            figures.add("--help", runner.timed("--help")[0])
            figures.add("status", runner.timed("status")[0])
            figures.add("decide --help", runner.timed("decide", "--help")[0])
            figures.add("agreement", runner.timed("agreement")[0])
            with (
                runner.served() as (url, listening, pid),
                httpx.Client(base_url=url, timeout=600) as client,
            ):
                figures.add("serve, until it listens", Sample(listening, cpu_seconds(pid)))
                figures.add("dashboard, first load", dashboard_load(client, pid))
                runner.timed("findings", "add", str(paper), f"Everyday benchmark finding {n}")
                figures.add("dashboard, after adding one finding", dashboard_load(client, pid))
            figures.add("report (all formats)", runner.timed("report", "--out", out)[0])
            seconds, said = runner.timed(
                "search", "openalex", "--query", "estrogen", "--max", "25", env=offline, expect=1
            )
            figures.add("search while offline, to its error", seconds)
            figures.notes["search while offline, to its error"] = _last_line(said)
            seconds, said = runner.timed("snowball", "--force", env=offline, expect=1)
            figures.add("snowball while offline, to its error", seconds)
            figures.notes["snowball while offline, to its error"] = _last_line(said)
    return figures


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:160] if lines else ""


def _cell(value: float | None) -> object:
    return "" if value is None else round(value, 2)


def load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--records", type=int, default=350)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="build the review here, or reuse it")
    parser.add_argument(
        "--vs", type=Path, help="another checkout's src folder, timed beside this one"
    )
    args = parser.parse_args(argv)

    temporary = None
    folder = args.keep
    if folder is None:
        temporary = tempfile.mkdtemp(prefix="metasummary-everyday-")
        folder = Path(temporary) / "review"
    try:
        if not (folder / "protocol.yaml").exists():
            print(f"building the review in {folder} ...", file=sys.stderr)
            start = time.perf_counter()
            build(folder, args.csv, args.records, args.seed)
            print(f"built in {time.perf_counter() - start:.0f} s", file=sys.stderr)
        with Project.open(folder) as project:
            status = project.status()
            with project.store.read() as conn:
                papers = sorted(Standing(project.required_votes()).included(conn, Phase.FULL_TEXT))
            summary = project.synthesis.summary()
        loads = [load_average()]
        runs = {"now": measure(Runner(folder), args.repeat, papers[0])}
        if args.vs is not None:
            runs = {
                "vs": measure(Runner(folder, args.vs.resolve()), args.repeat, papers[0]),
                **runs,
            }
        loads.append(load_average())
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)

    print(
        f"{status.total.records} records of {args.csv.parent.name}, two reviewers "
        f"(dual screening in both phases), {len(papers)} papers included, {summary.findings} "
        f"findings ({summary.sorted_findings} sorted); {os.cpu_count()} cores, load average "
        f"{loads[0]} before and {loads[-1]} after; median of {args.repeat} runs, seconds from "
        "process start to exit (wall clock) and the CPU time used\n"
    )
    headers = ["action", "issue's 'today'"]
    if "vs" in runs:
        headers += [f"{args.vs} wall", f"{args.vs} cpu"]
    headers += ["now wall", "now cpu", "target"]
    rows = []
    for action in runs["now"].samples:
        row: list[object] = [action, ISSUE_TODAY.get(action, "")]
        for figures in runs.values():
            wall, cpu = figures.median(action)
            row += [_cell(wall), _cell(cpu)]
        target = TARGETS.get(action)
        row.append(f"< {target:g}" if target is not None else "")
        rows.append(row)
    print(markdown_table(headers, rows))
    for name, figures in runs.items():
        print(f"\nWhat the offline commands said ({name}):")
        for action, note in figures.notes.items():
            print(f"- {action}: {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
