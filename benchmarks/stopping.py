"""Stopping rules benchmark: where each rule says stop, and whether the recall target holds.

Usage::

    .venv/bin/python benchmarks/stopping.py [DIR ...] [--seeds 10] [--no-shared]

Data sets as in ``screening.py`` (every folder under ``../shared/data/screening/`` plus the
folders given; rows shuffled with ``default_rng(42)``). For every seed, ``metasummary
simulate --stopping all --json`` screens the set once with every rule watching, so all
rules read the same order (the random records the ``confirmed`` rule asks for are part of
it, and the other rules see them as screened records too). Each rule's first "stop" gives
its recall and the work saved (records not screened). The recall target is 95 % at 95 %
confidence. The estimate of inclusions left is not a rule; its row shows what stopping when
it puts recall at the target would do.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from metasummary.screening.stopping import DEFAULT_RULE, RULES, inclusions_left
from screening import OUT, dataset_folders, main_file, mean, shuffled_copy, single_threaded
from tables import markdown_table

TARGET = 0.95
ESTIMATE = "estimate of inclusions left (not a rule)"


@dataclass
class Stop:
    dataset: str
    seed: int
    rule: str
    stopped_at: int | None
    recall: float
    saved: float


def estimate_stop(labels: list[int]) -> int | None:
    """Where "stop once the estimate puts recall at the target" would stop."""
    found = 0
    for screened in range(1, len(labels) + 1):
        found += labels[screened - 1]
        if screened < 10 or found == 0:
            continue
        left = inclusions_left(labels[:screened], len(labels) - screened)
        if left is not None and found / (found + left) >= TARGET:
            return screened
    return None


def run(data: Path, seed: int, work: Path) -> tuple[dict[str, object], list[int]]:
    out = work / f"stopping-{seed}.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "metasummary",
            "simulate",
            str(data),
            "--seed",
            str(seed),
            "--stopping",
            "all",
            "--recall-target",
            str(TARGET),
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
    with out.open(encoding="utf-8", newline="") as handle:
        labels = [int(row["label"]) for row in csv.DictReader(handle)]
    report: dict[str, object] = json.loads(done.stdout)
    return report, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="more data set folders")
    parser.add_argument("--seeds", type=int, default=10, help="seeds 1..N per data set")
    parser.add_argument("--no-shared", action="store_true", help="only the folders given")
    args = parser.parse_args()
    stops: list[Stop] = []
    names: list[str] = []
    for folder in dataset_folders(args.folders, shared=not args.no_shared):
        source = main_file(folder)
        if source is None:
            print(f"{folder}: no usable CSV; skipped", file=sys.stderr)
            continue
        names.append(folder.name)
        work = OUT.parent / "stopping" / folder.name  # apart from screening.py's files
        data = work / "shuffled.csv"
        shuffled_copy(source, data)
        (work / "embeddings.npz").unlink(missing_ok=True)  # encoded once per set, this run
        for seed in range(1, args.seeds + 1):
            report, labels = run(data, seed, work)
            for entry in report["stopping"]:  # type: ignore[attr-defined]
                stops.append(
                    Stop(
                        folder.name,
                        seed,
                        entry["rule"],
                        entry["stopped_at"],
                        entry["recall_at_stop"],
                        entry["work_saved_at_stop"],
                    )
                )
            at = estimate_stop(labels)
            found = np.cumsum(labels)
            stops.append(
                Stop(
                    folder.name,
                    seed,
                    ESTIMATE,
                    at,
                    1.0 if at is None else float(found[at - 1]) / sum(labels),
                    0.0 if at is None else 1.0 - at / len(labels),
                )
            )
            print(f"{folder.name} seed {seed} done", file=sys.stderr)
    rules = [*RULES, ESTIMATE]
    print(
        f"Seeds 1..{args.seeds} per data set ({len(names)} sets), rows shuffled with "
        f"default_rng(42), 1 included + 1 excluded prior; recall target {TARGET:.0%} at 95 % "
        f"confidence; default rule: {DEFAULT_RULE}.\n"
    )
    summary = []
    for rule in rules:
        mine = [s for s in stops if s.rule == rule]
        summary.append(
            [
                rule,
                len(mine),
                mean([float(s.recall >= TARGET - 1e-9) for s in mine]),
                mean([s.recall for s in mine]),
                min(s.recall for s in mine),
                mean([s.saved for s in mine]),
                sum(s.stopped_at is None for s in mine),
            ]
        )
    print(
        markdown_table(
            [
                "rule",
                "runs",
                "share meeting 95 %",
                "mean recall at stop",
                "worst recall",
                "mean work saved",
                "never stopped",
            ],
            summary,
        )
    )
    saved = {str(row[0]): float(row[5]) for row in summary}  # type: ignore[arg-type]
    if saved.get("buscar"):
        print(
            f"\nWork saved, {DEFAULT_RULE} / buscar (Callaghan and Müller-Hansen): "
            f"{saved[DEFAULT_RULE] / saved['buscar']:.2f}x"
        )
    print("\nMean work saved per data set (runs meeting the target):\n")
    print(
        markdown_table(
            ["data set", *rules], [[n, *(cell(stops, n, r) for r in rules)] for n in names]
        )
    )


def cell(stops: list[Stop], dataset: str, rule: str) -> str:
    mine = [s for s in stops if s.dataset == dataset and s.rule == rule]
    met = sum(s.recall >= TARGET - 1e-9 for s in mine)
    return f"{mean([s.saved for s in mine]):.3f} ({met}/{len(mine)})"


if __name__ == "__main__":
    main()
