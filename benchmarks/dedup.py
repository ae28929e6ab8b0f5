"""Deduplication benchmark: metasummary against bib-dedupe on real duplicate sets.

Usage:
    python benchmarks/dedup.py [DIR ...] [--out DIR] [--scale N [--scale-from DIR]]

Each DIR holds ``records_pre_merged.csv`` and ``merged_record_ids.csv`` (the format of
``../shared/data/dedup/``, the default, to which ``cs_exports`` is added: the same
computer-science papers as exported by several libraries, built by ``dedup_exports.py`` from
``../shared/data/exports``; ``--exports`` adds it to folders given too). Both tools run on
every set, each in its own process: metasummary with this interpreter, bib-dedupe from
``benchmarks/.venvs/bib-dedupe`` (created and filled from PyPI on first use). Printed per set
and tool: records, pairwise precision, recall and F1 against the ground truth, wall time
(reading the CSV through the groups, inside the process) and peak memory (the proportional
set size of the process and its children, sampled every 50 ms; ru_maxrss where /proc is
missing).

``--scale N`` builds N records from copies of a set (see ``dedup_scale.py``) and runs on that;
bib-dedupe joins only up to ``--peer-limit`` records. ``--out DIR`` writes each tool's groups
as ``DIR/<tool>/<set>/merged_record_ids.csv``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import dedup_exports
from dedup_scale import scaled
from dedup_sets import (
    Scores,
    is_dataset,
    judged_precision,
    pairwise_scores,
    read_groups,
    read_labelled,
    read_records,
    write_groups,
    write_records,
)
from tables import markdown_table

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parent.parent / "shared" / "data" / "dedup"
PEER_VENV = HERE / ".venvs" / "bib-dedupe"
PEER_PACKAGE = "bib-dedupe==0.11.0"


@dataclass(slots=True)
class Run:
    tool: str
    dataset: str
    records: int
    scores: Scores | None
    seconds: float
    cpu: float
    peak_mib: float
    groups: list[list[str]]
    judged: float | None = None


class PeakMemory:
    """Samples the proportional set size of a process tree until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self, pid: int) -> list[int]:
        pids = [pid]
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in children:
                pids += self._tree(int(child))
        return pids

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            total = 0
            for pid in self._tree(self.pid):
                try:
                    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
                except OSError:
                    continue
                for line in text.splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            self.peak_kib = max(self.peak_kib, total)


def ensure_peer() -> Path:
    """bib-dedupe's interpreter, installing it into its own virtual environment if needed."""
    python = PEER_VENV / "bin" / "python"
    check = [str(python), "-c", "import bib_dedupe"]
    if python.exists() and subprocess.run(check, capture_output=True).returncode == 0:
        return python
    print(f"installing {PEER_PACKAGE} into {PEER_VENV} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", PEER_PACKAGE], check=True)
    return python


def run_tool(tool: str, command: list[str], folder: Path, work: Path) -> Run:
    groups_file = work / f"{tool}-{folder.name}.json"
    with (
        subprocess.Popen(
            [*command, str(folder), str(groups_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        ) as process,
        PeakMemory(process.pid) as memory,
    ):
        out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{tool} failed on {folder}:\n{err[-2000:]}")
    stats = json.loads(out.strip().splitlines()[-1])
    peak_kib = memory.peak_kib or stats["maxrss_kib"]
    groups = json.loads(groups_file.read_text(encoding="utf-8"))
    return Run(
        tool,
        folder.name,
        stats["records"],
        None,
        stats["seconds"],
        stats["cpu"],
        peak_kib / 1024,
        groups,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="duplicate sets to run on")
    parser.add_argument("--out", type=Path, help="write each tool's predicted groups here")
    parser.add_argument("--scale", type=int, help="build this many records and run on them")
    parser.add_argument("--scale-from", type=Path, help="the set to copy (default: largest)")
    parser.add_argument("--peer-limit", type=int, default=20000, help="largest set for the peer")
    parser.add_argument("--no-peer", action="store_true", help="run metasummary only")
    parser.add_argument("--workers", type=int, help="metasummary's processes (default: cores)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the --scale generator")
    parser.add_argument(
        "--exports",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also run on cs_exports (default: when no folder is given)",
    )
    args = parser.parse_args()

    folders = args.folders or sorted(p for p in DEFAULT_DATA.iterdir() if is_dataset(p))
    missing = [str(f) for f in folders if not is_dataset(f)]
    if missing:
        raise SystemExit(
            f"not a duplicate set (records_pre_merged.csv + merged_record_ids.csv): "
            f"{', '.join(missing)}"
        )
    with tempfile.TemporaryDirectory(prefix="dedup-bench-") as temp:
        work = Path(temp)
        with_exports = not args.folders if args.exports is None else args.exports
        if with_exports and not args.scale and dedup_exports.EXPORTS.is_dir():
            folders = [*folders, dedup_exports.build(work)]
        if args.scale:
            source = args.scale_from or max(
                folders, key=lambda f: (f / "records_pre_merged.csv").stat().st_size
            )
            target = work / f"scale-{args.scale}-from-{source.name}"
            started = time.perf_counter()
            records, truth = scaled(
                list(read_records(source)), read_groups(source), args.scale, args.seed
            )
            write_records(target, records)
            write_groups(target, truth)
            print(
                f"built {args.scale:,} records from {source.name} in "
                f"{time.perf_counter() - started:.0f} s (seed {args.seed})",
                file=sys.stderr,
            )
            folders = [target]
        ours = [sys.executable, str(HERE / "dedup_worker.py")]
        if args.workers:
            ours += ["--workers", str(args.workers)]
        runs: list[Run] = []
        for folder in folders:
            truth_groups = read_groups(folder)
            tools = [("metasummary", ours)]
            if not args.no_peer:
                size = sum(1 for _ in read_records(folder))
                if size <= args.peer_limit or not args.scale:
                    tools.append(
                        ("bib-dedupe", [str(ensure_peer()), str(HERE / "dedup_bibdedupe.py")])
                    )
            for tool, command in tools:
                print(f"{tool} on {folder.name} ...", file=sys.stderr)
                run = run_tool(tool, command, folder, work)
                run.scores = pairwise_scores(truth_groups, run.groups)
                labelled = read_labelled(folder)
                if labelled is not None:
                    run.judged = judged_precision(labelled, run.groups)
                runs.append(run)
                if args.out:
                    write_groups(args.out / tool / folder.name, run.groups)
    print(render(runs))


def render(runs: list[Run]) -> str:
    partial = any(run.judged is not None for run in runs)
    rows = []
    for run in runs:
        s = run.scores
        assert s is not None
        row: list[object] = [run.dataset, run.records, run.tool, s.precision]
        if partial:
            row.append("" if run.judged is None else run.judged)
        row += [s.recall, s.f1, round(run.seconds, 2), round(run.cpu, 1), round(run.peak_mib, 1)]
        rows.append(row)
    headers = ["data set", "records", "tool", "precision"]
    if partial:
        headers.append("precision (judged pairs)")
    headers += ["recall", "F1", "time (s)", "CPU (s)", "peak MiB"]
    lines = [markdown_table(headers, rows), ""]
    if partial:
        lines.append(
            "- precision (judged pairs): over the predicted pairs that the set's "
            "labelled_pairs.csv judged (its ground truth is partial)"
        )
    by_set: dict[str, dict[str, Run]] = {}
    for run in runs:
        by_set.setdefault(run.dataset, {})[run.tool] = run
    for name, tools in by_set.items():
        if {"metasummary", "bib-dedupe"} <= tools.keys():
            ratio = tools["bib-dedupe"].seconds / max(tools["metasummary"].seconds, 1e-9)
            lines.append(f"- {name}: metasummary {ratio:.1f}x faster than bib-dedupe")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
