"""Import throughput and peak memory on synthetic RIS, BibTeX and CSV files, beside the parser.

    .venv/bin/python benchmarks/import.py                 # 100,000 records per format
    .venv/bin/python benchmarks/import.py --records 20000 ../shared/data/exports

For each format it writes one synthetic file and measures, each in a fresh process (so peak
memory is that step's own): the bare parser alone (rispy, bibtexparser 2, csv.DictReader),
metasummary's reader (decode, sniff, split, parse, normalise), and the whole import into a new
review on SQLite (one transaction, records, batch, event). Then it imports every real export
file found in the folders given (default ``../shared/data/exports``) and times each.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tables import markdown_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "exports"
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


# -- one measurement, run in its own process ------------------------------------------------


def _bare(fmt: str, path: Path) -> tuple[float, int]:
    import rispy
    from bibtexparser.entrypoint import parse_string

    start = time.perf_counter()
    text = path.read_text(encoding="utf-8")
    if fmt == "ris":
        count = len(rispy.loads(text))
    elif fmt == "bibtex":
        count = len(parse_string(text).entries)
    else:
        count = len(list(csv.DictReader(io.StringIO(text))))
    return time.perf_counter() - start, count


def _reader(path: Path) -> tuple[float, int]:
    from metasummary.models import RecordData
    from metasummary.sources import decode, read, sniff
    from metasummary.sources.normalise import decode_latex

    decode_latex("\\'e")  # build the lazy LaTeX tables outside the clock
    start = time.perf_counter()
    doc = decode(path.read_bytes(), str(path))
    count = sum(1 for item in read(doc, sniff(doc)) if isinstance(item, RecordData))
    return time.perf_counter() - start, count


def _import(path: Path) -> tuple[float, int]:
    from metasummary import Project
    from metasummary.sources.normalise import decode_latex

    decode_latex("\\'e")
    with tempfile.TemporaryDirectory() as folder, Project.init(Path(folder) / "r") as project:
        start = time.perf_counter()
        count = project.imports.import_file(path, source="bench").imported
        return time.perf_counter() - start, count


def measure(mode: str, fmt: str, path: Path) -> dict[str, float]:
    """Time one step (modules imported and the review created before the clock starts)."""
    if mode == "bare":
        seconds, count = _bare(fmt, path)
    elif mode == "reader":
        seconds, count = _reader(path)
    else:
        seconds, count = _import(path)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "records": count, "peak_mb": peak_mb}


def run_measure(mode: str, fmt: str, path: Path) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, __file__, "--measure", mode, fmt, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"{mode} on {path.name} ({fmt}) failed: {last}")
    data: dict[str, float] = json.loads(result.stdout)
    return data


# -- the report -----------------------------------------------------------------------------


def synthetic(n: int, folder: Path) -> None:
    rng = random.Random(42)
    records = [_record(rng, i) for i in range(n)]
    rows = []
    for fmt, writer in WRITERS.items():
        path = folder / f"bench.{'bib' if fmt == 'bibtex' else fmt}"
        writer(records, path)
        bare = run_measure("bare", fmt, path)
        reader = run_measure("reader", fmt, path)
        full = run_measure("import", fmt, path)
        assert full["records"] == reader["records"] == n, (fmt, full, reader)
        rows.append(
            [
                fmt,
                n,
                round(path.stat().st_size / 2**20, 1),
                bare["seconds"],
                reader["seconds"],
                full["seconds"],
                round(n / full["seconds"]),
                full["seconds"] / bare["seconds"],
                reader["seconds"] / bare["seconds"],
                round(bare["peak_mb"]),
                round(full["peak_mb"]),
            ]
        )
    print(f"## Import of {n:,} synthetic records (SQLite, one process per measurement)\n")
    print(
        markdown_table(
            [
                "format",
                "records",
                "MB",
                "bare parser s",
                "reader s",
                "import s",
                "import rec/s",
                "import / bare",
                "reader / bare",
                "bare peak MB",
                "import peak MB",
            ],
            rows,
        )
    )


def real_files(folders: list[Path]) -> None:
    from metasummary import Project

    rows = []
    with tempfile.TemporaryDirectory() as tmp, Project.init(Path(tmp) / "r") as project:
        for folder in folders:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                if path.name == "provenance.json":
                    continue
                start = time.perf_counter()
                try:
                    result = project.imports.import_file(path, source=str(path.parent.name))
                except Exception as exc:  # a file the tool refuses is a row too
                    rows.append(
                        [path.name, "refused", 0, time.perf_counter() - start, str(exc)[:60]]
                    )
                    continue
                rows.append(
                    [path.name, result.format, result.imported, time.perf_counter() - start, ""]
                )
    print("\n## Real export files\n")
    print(markdown_table(["file", "format", "records", "seconds", "note"], rows))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], Path(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of export files")
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        synthetic(args.records, Path(tmp))
    folders = args.folders or ([DEFAULT_DATA] if DEFAULT_DATA.is_dir() else [])
    if folders:
        real_files(folders)


if __name__ == "__main__":
    main()
