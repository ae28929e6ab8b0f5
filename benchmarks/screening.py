"""Prioritisation benchmark: ``metasummary simulate`` beside ASReview LAB, same data and priors.

Usage::

    .venv/bin/python benchmarks/screening.py [DIR ...] [--seeds 5] [--skip-asreview]

Data sets: every folder under ``../shared/data/screening/`` plus the folders given (a folder
holding CSV files is one data set; otherwise each of its sub-folders is). In each, the main
file is a CSV with ``title``, ``abstract`` and ``label_included`` columns (``records*.csv``
preferred, else the largest). Rows are shuffled with ``numpy.random.default_rng(42)`` first,
because some files list their inclusions first; ids are the shuffled row numbers.

For every seed, our simulation picks one included and one excluded prior with that seed; the
same rows are given to ASReview (``--prior-idx``, ``--seed``), which runs with its default
model (ELAS u4) in its own virtual environment ``benchmarks/.venvs/asreview``, installed here
on first use. Both stop when every inclusion is found. Both metrics come from the same code
(:mod:`metasummary.screening.metrics`). Times: ``sim`` is the simulation itself (ours: features,
training and ranking as reported by ``--json``; ASReview: first to last labelling time in its
results, which spans its features, training and ranking); ``process`` is the whole
subprocess including interpreter start-up and imports. metasummary ranks with its default
features (the TF-IDF + sentence-embedding ensemble when the ``semantic`` extra is installed,
as in the development environment; the JSON names them). Its sentence embeddings are
encoded once per data set, in the first seed's run (whose time includes it), and read from
a cache file by the other seeds, as a review keeps them; the cache is emptied at the start.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from metasummary.screening.metrics import OrderMetrics, records_to_recall
from metasummary.screening.stopping import MIN_SCREENED, inclusions_left, knee_advice
from tables import markdown_table

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "screening"
OUT = ROOT / "benchmarks" / "out" / "screening"
ASREVIEW_VENV = ROOT / "benchmarks" / ".venvs" / "asreview"
ASREVIEW_VERSION = "3.0.8"
SHUFFLE_SEED = 42
NEEDED = ("title", "abstract", "label_included")


@dataclass
class Run:
    tool: str
    seed: int
    metrics: OrderMetrics
    sim_time: float
    process_time: float
    labels: list[int]
    features: str = ""


def stopping_aids(labels: list[int]) -> tuple[int, float, float, int]:
    """Where the knee rule stops and its recall; the estimate of inclusions left (and the
    truth) once 95 % were found."""
    total = sum(labels)
    stop = next(
        (k for k in range(MIN_SCREENED, len(labels) + 1) if knee_advice(labels[:k]).stop),
        len(labels),
    )
    at95 = records_to_recall(labels, 0.95)
    left = inclusions_left(labels[:at95], len(labels) - at95)
    return (
        stop,
        sum(labels[:stop]) / total,
        float("nan") if left is None else left,
        total - sum(labels[:at95]),
    )


def dataset_folders(extra: list[Path], *, shared: bool = True) -> list[Path]:
    roots = [DATA, *extra] if shared else extra
    folders: list[Path] = []
    seen: set[Path] = set()
    for root in roots:
        if root.resolve() in seen:  # ``../shared/data/screening`` beside the default: once
            continue
        seen.add(root.resolve())
        if not root.is_dir():
            sys.exit(f"{root}: not a folder")
        if any(root.glob("*.csv")):
            folders.append(root)
        else:
            folders += sorted(p for p in root.iterdir() if p.is_dir() and any(p.glob("*.csv")))
    return folders


def main_file(folder: Path) -> Path | None:
    csv.field_size_limit(2**31 - 1)
    usable = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        if all(column in header for column in NEEDED):
            usable.append(path)
    preferred = [p for p in usable if p.name.startswith("records")]
    if preferred:
        return preferred[0]
    return max(usable, key=lambda p: p.stat().st_size) if usable else None


def shuffled_copy(source: Path, target: Path) -> np.ndarray:
    """Write ``source`` shuffled (record_id = new row number); return the labels."""
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    order = np.random.default_rng(SHUFFLE_SEED).permutation(len(rows))
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "label_included"])
        for new, old in enumerate(order):
            row = rows[int(old)]
            writer.writerow([new, row["title"], row["abstract"], row["label_included"].strip()])
    return np.array([int(rows[int(old)]["label_included"]) for old in order])


def ensure_asreview() -> Path:
    binary = ASREVIEW_VENV / "bin" / "asreview"
    if not binary.exists():
        print(f"installing asreview=={ASREVIEW_VERSION} into {ASREVIEW_VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(ASREVIEW_VENV)], check=True)
        subprocess.run(
            [str(ASREVIEW_VENV / "bin" / "pip"), "install", "-q", f"asreview=={ASREVIEW_VERSION}"],
            check=True,
        )
    return binary


def single_threaded() -> dict[str, str]:
    """The same BLAS thread setting for both tools (the machine is shared)."""
    return {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}


def run_ours(data: Path, seed: int, work: Path) -> tuple[Run, list[int]]:
    out = work / f"ours-{seed}.csv"
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "metasummary",
            "simulate",
            str(data),
            "--seed",
            str(seed),
            "--prior-included",
            "1",
            "--prior-excluded",
            "1",
            "--out",
            str(out),
            "--cache",
            str(work / "embeddings.npz"),
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
        env=single_threaded(),
    )
    elapsed = time.perf_counter() - started
    report = json.loads(done.stdout)
    with out.open(encoding="utf-8", newline="") as handle:
        labels = [int(row["label"]) for row in csv.DictReader(handle)]
    run = Run(
        "metasummary",
        seed,
        OrderMetrics.of(labels),
        report["wall_time_s"],
        elapsed,
        labels,
        report["features"],
    )
    return run, [int(p) for p in report["priors"]]


def run_asreview(
    binary: Path, data: Path, seed: int, priors: list[int], labels: np.ndarray, work: Path
) -> Run:
    project = work / f"asreview-{seed}.asreview"
    project.unlink(missing_ok=True)
    env = single_threaded()
    started = time.perf_counter()
    subprocess.run(
        [
            str(binary),
            "simulate",
            str(data),
            "--prior-idx",
            *map(str, priors),
            "--seed",
            str(seed),
            "-o",
            str(project),
        ],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    with zipfile.ZipFile(project) as archive, tempfile.TemporaryDirectory() as tmp:
        archive.extract("results.db", tmp)
        con = sqlite3.connect(Path(tmp) / "results.db")
        rows = con.execute("SELECT record_id, time FROM results ORDER BY rowid").fetchall()
        con.close()
    order = [int(r[0]) for r in rows]
    seen = set(order)
    order += [i for i in range(len(labels)) if i not in seen]  # after the last inclusion
    sim_time = float(rows[-1][1] - rows[0][1])
    ordered = [int(labels[i]) for i in order]
    return Run("ASReview", seed, OrderMetrics.of(ordered), sim_time, elapsed, ordered)


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="more data set folders")
    parser.add_argument("--seeds", type=int, default=5, help="seeds 1..N per data set")
    parser.add_argument("--skip-asreview", action="store_true", help="run only metasummary")
    parser.add_argument("--no-shared", action="store_true", help="only the folders given")
    args = parser.parse_args()
    binary = None if args.skip_asreview else ensure_asreview()
    rows: list[list[object]] = []
    detail: list[list[object]] = []
    stopping: list[list[object]] = []
    everything: dict[str, list[Run]] = {"metasummary": [], "ASReview": []}
    wins = 0
    folders = dataset_folders(args.folders, shared=not args.no_shared)
    for folder in folders:
        source = main_file(folder)
        if source is None:
            print(f"{folder}: no CSV with {', '.join(NEEDED)}; skipped", file=sys.stderr)
            continue
        work = OUT / folder.name
        data = work / "shuffled.csv"
        labels = shuffled_copy(source, data)
        (work / "embeddings.npz").unlink(missing_ok=True)  # this run encodes them once
        runs: dict[str, list[Run]] = {"metasummary": [], "ASReview": []}
        for seed in range(1, args.seeds + 1):
            ours, priors = run_ours(data, seed, work)
            runs["metasummary"].append(ours)
            if binary is not None:
                runs["ASReview"].append(run_asreview(binary, data, seed, priors, labels, work))
            for run in (r[-1] for r in runs.values() if r):
                detail.append(
                    [
                        folder.name,
                        run.seed,
                        run.tool,
                        run.metrics.wss95,
                        run.metrics.rrf10,
                        run.metrics.to_recall100,
                        run.sim_time,
                    ]
                )
            print(f"{folder.name} seed {seed} done", file=sys.stderr)
        aids = [stopping_aids(r.labels) for r in runs["metasummary"]]
        stopping.append(
            [
                folder.name,
                len(labels),
                mean([float(a[0]) for a in aids]),
                mean([a[1] for a in aids]),
                mean([a[2] for a in aids]),
                mean([float(a[3]) for a in aids]),
            ]
        )
        for tool, found in runs.items():
            if not found:
                continue
            everything[tool] += found
            rows.append(
                [
                    folder.name,
                    len(labels),
                    int(labels.sum()),
                    tool,
                    mean([r.metrics.wss95 for r in found]),
                    mean([r.metrics.wss100 for r in found]),
                    mean([r.metrics.rrf10 for r in found]),
                    mean([float(r.metrics.to_recall100) for r in found]),
                    mean([r.sim_time for r in found]),
                    mean([r.process_time for r in found]),
                ]
            )
        if runs["ASReview"]:
            ours_wss = mean([r.metrics.wss95 for r in runs["metasummary"]])
            wins += ours_wss >= mean([r.metrics.wss95 for r in runs["ASReview"]])
    headers = [
        "data set",
        "records",
        "incl.",
        "tool",
        "WSS@95",
        "WSS@100",
        "RRF@10",
        "to 100 %",
        "sim s",
        "process s",
    ]
    print(
        f"Seeds 1..{args.seeds} per data set, rows shuffled with default_rng({SHUFFLE_SEED}), "
        "1 included + 1 excluded prior; means over seeds; metasummary's features: "
        f"{', '.join(sorted({r.features for r in everything['metasummary']}))}.\n"
    )
    print(markdown_table(headers, rows))
    ours_all, theirs_all = everything["metasummary"], everything["ASReview"]
    summaries: list[tuple[str, Callable[[list[Run]], float]]] = [
        ("mean WSS@95", lambda runs: mean([r.metrics.wss95 for r in runs])),
        ("mean RRF@10", lambda runs: mean([r.metrics.rrf10 for r in runs])),
        ("total sim s", lambda runs: sum(r.sim_time for r in runs)),
        ("total process s", lambda runs: sum(r.process_time for r in runs)),
    ]
    print()
    print(
        markdown_table(
            ["over all data sets and seeds", "metasummary", "ASReview"],
            [
                [name, figure(ours_all), figure(theirs_all) if theirs_all else "not run"]
                for name, figure in summaries
            ],
        )
    )
    if theirs_all:
        sim_ratio = sum(r.sim_time for r in ours_all) / sum(r.sim_time for r in theirs_all)
        proc_ratio = sum(r.process_time for r in ours_all) / sum(r.process_time for r in theirs_all)
        print(
            f"\nWSS@95 at least ASReview's on {wins} of {len(folders)} data sets; "
            f"time ratio ours/ASReview: simulation {sim_ratio:.2f}, process {proc_ratio:.2f}"
        )
    print("\nStopping aids on metasummary's orders (means over seeds):\n")
    print(
        markdown_table(
            [
                "data set",
                "records",
                "knee rule stops at",
                "recall there",
                "est. left at 95 % recall",
                "truly left",
            ],
            stopping,
        )
    )
    print("\nPer seed:\n")
    print(
        markdown_table(
            ["data set", "seed", "tool", "WSS@95", "RRF@10", "to 100 %", "sim s"], detail
        )
    )


if __name__ == "__main__":
    main()
