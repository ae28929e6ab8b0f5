"""Synthetic search results for the import benchmark: the same records as RIS, BibTeX and CSV.

Records look like real exports: 8-14 word titles, 1-6 authors (accented family names, which
BibTeX writes as LaTeX), a venue, pages, a DOI, four keywords and a 120-220 word abstract.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

WORDS = [
    "machine",
    "learning",
    "software",
    "engineering",
    "model",
    "data",
    "pipeline",
    "deployment",
    "requirement",
    "testing",
    "quality",
    "production",
    "monitoring",
    "team",
    "challenge",
    "system",
    "component",
    "feature",
    "training",
    "evaluation",
    "fairness",
    "privacy",
    "security",
    "infrastructure",
    "process",
    "practice",
    "study",
    "interview",
    "survey",
    "developer",
    "scientist",
    "product",
    "user",
    "accuracy",
    "drift",
    "label",
    "annotation",
]
FAMILIES = ["Nahar", "Kästner", "Zhou", "Müller", "García", "O'Brien", "van der Berg", "Smith"]
GIVEN = ["Nadia", "Christian", "Shurui", "Grace", "José", "Anna", "Li", "Pieter"]


def _record(rng: random.Random, i: int) -> dict[str, Any]:
    words = rng.choices(WORDS, k=rng.randint(8, 14))
    return {
        "title": " ".join(words).capitalize(),
        "authors": [
            f"{rng.choice(FAMILIES)}, {rng.choice(GIVEN)}" for _ in range(rng.randint(1, 6))
        ],
        "year": rng.randint(1995, 2024),
        "venue": f"Journal of {rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()}",
        "volume": str(rng.randint(1, 60)),
        "pages": f"{(p := rng.randint(1, 900))}-{p + rng.randint(5, 20)}",
        "doi": f"10.{rng.randint(1000, 9999)}/bench.{i}",
        "keywords": rng.sample(WORDS, 4),
        "abstract": " ".join(rng.choices(WORDS, k=rng.randint(120, 220))).capitalize() + ".",
    }


def write_ris(records: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for r in records:
            out.write("TY  - JOUR\n")
            out.write(f"TI  - {r['title']}\n")
            for a in r["authors"]:
                out.write(f"AU  - {a}\n")
            first, last = r["pages"].split("-")
            out.write(f"PY  - {r['year']}\nT2  - {r['venue']}\nVL  - {r['volume']}\n")
            out.write(f"SP  - {first}\nEP  - {last}\nDO  - {r['doi']}\n")
            for k in r["keywords"]:
                out.write(f"KW  - {k}\n")
            out.write(f"AB  - {r['abstract']}\nER  - \n\n")


def _latex(name: str) -> str:
    return (
        name.replace("ä", '{\\"a}')
        .replace("ü", '{\\"u}')
        .replace("í", "{\\'i}")
        .replace("é", "{\\'e}")
    )


def write_bibtex(records: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i, r in enumerate(records):
            authors = " and ".join(_latex(a) for a in r["authors"])
            out.write(
                f"@article{{bench{i},\n  author = {{{authors}}},\n  title = {{{r['title']}}},\n"
                f"  journal = {{{r['venue']}}},\n  year = {{{r['year']}}},\n"
                f"  volume = {{{r['volume']}}},\n  pages = {{{r['pages'].replace('-', '--')}}},\n"
                f"  doi = {{{r['doi']}}},\n  keywords = {{{', '.join(r['keywords'])}}},\n"
                f"  abstract = {{{r['abstract']}}}\n}}\n\n"
            )


def write_csv(records: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "Title",
                "Authors",
                "Year",
                "Journal",
                "Volume",
                "Pages",
                "DOI",
                "Keywords",
                "Abstract",
            ]
        )
        for r in records:
            writer.writerow(
                [
                    r["title"],
                    "; ".join(r["authors"]),
                    r["year"],
                    r["venue"],
                    r["volume"],
                    r["pages"],
                    r["doi"],
                    "; ".join(r["keywords"]),
                    r["abstract"],
                ]
            )


WRITERS = {"ris": write_ris, "bibtex": write_bibtex, "csv": write_csv}


def write_all(n: int, folder: Path) -> dict[str, Path]:
    """``n`` records (seed 42) written once per format; format name -> file."""
    rng = random.Random(42)
    records = [_record(rng, i) for i in range(n)]
    paths = {}
    for fmt, writer in WRITERS.items():
        path = folder / f"bench.{'bib' if fmt == 'bibtex' else fmt}"
        writer(records, path)
        paths[fmt] = path
    return paths
