"""Agreement of two simulated reviewers on a real screening set, reported by the real command.

Usage::

    .venv/bin/python benchmarks/screening_agreement.py [CSV] [--seed 7]

Default CSV: ``../shared/data/screening/synergy_nelson_2002/records_with_text.csv``. A dual
screening review is built in a temporary folder; two reviewers vote independently on every
record with a realistic error model (below), through ``project.screening.decide``; then
``metasummary agreement`` prints its report.

Error model, per reviewer and record (seeded): a true inclusion is voted include 88 %, maybe
7 %, exclude 5 %; a true exclusion is voted exclude 92 %, maybe 4 %, include 4 %. Every true
exclusion has one reason (E1 40 %, E2 35 %, E3 25 %); a reviewer excluding it cites that
reason 85 % of the time, another one otherwise.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from metasummary import Project, RecordData

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared/data/screening/synergy_nelson_2002/records_with_text.csv"
REASONS = ("E1", "E2", "E3")
PROTOCOL = """\
title: Simulated dual screening
criteria:
  inclusion:
    - {code: I1, text: "Randomised trial of hormone therapy for menopausal symptoms."}
  exclusion:
    - {code: E1, text: "Wrong population."}
    - {code: E2, text: "Wrong intervention or comparison."}
    - {code: E3, text: "Not a randomised trial."}
reviewers:
  - {id: R1}
  - {id: R2}
screening:
  title_abstract: {mode: dual}
  full_text: {mode: dual}
"""


def vote(rng: random.Random, included: bool, reason: str) -> tuple[str, list[str]]:
    draw = rng.random()
    if included:
        verdict = "include" if draw < 0.88 else "maybe" if draw < 0.95 else "exclude"
    else:
        verdict = "exclude" if draw < 0.92 else "maybe" if draw < 0.96 else "include"
    if verdict != "exclude":
        return verdict, []
    if included:
        reason = rng.choice(REASONS)
    elif rng.random() >= 0.85:
        reason = rng.choice([r for r in REASONS if r != reason])
    return verdict, [reason]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    csv.field_size_limit(2**31 - 1)
    with args.csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rng = random.Random(args.seed)
    truth = [
        (row["label_included"].strip() == "1", rng.choices(REASONS, (40, 35, 25))[0])
        for row in rows
    ]
    reviewers = {"R1": random.Random(args.seed + 1), "R2": random.Random(args.seed + 2)}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "review"
        with Project.init(folder, protocol_text=PROTOCOL) as project:
            ids = project.add_records(
                args.csv.name,
                (RecordData(title=r["title"], abstract=r["abstract"]) for r in rows),
            )
            for record, (included, reason) in zip(ids, truth, strict=True):
                for code, reviewer_rng in reviewers.items():
                    verdict, codes = vote(reviewer_rng, included, reason)
                    project.screening.decide(
                        record,
                        phase="title-abstract",
                        reviewer=code,
                        verdict=verdict,
                        criteria=codes,
                    )
        print(
            f"{len(rows)} records of {args.csv.parent.name}/{args.csv.name}, "
            f"{sum(t[0] for t in truth)} true inclusions; two reviewers, seed {args.seed}\n",
            flush=True,
        )
        command = [
            sys.executable,
            "-m",
            "metasummary",
            "agreement",
            "-p",
            str(folder),
            "--phase",
            "title-abstract",
        ]
        print("$ metasummary agreement --phase title-abstract\n", flush=True)
        subprocess.run(command, check=True, env={"COLUMNS": "100", "PATH": ""})


if __name__ == "__main__":
    main()
