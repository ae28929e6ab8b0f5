"""``query test`` on synthetic records: the full-text index against a plain Python regex scan.

Records are drawn from the word frequencies of the real abstracts in ``../shared/data/screening``
(or any folders of CSV files with ``title``/``abstract`` columns given as arguments), with
realistic lengths (titles ~10 words, abstracts ~180 words) and the study's query phrases planted
at realistic rates. The same texts are scanned with one compiled regular expression per group.

    .venv/bin/python benchmarks/query.py                 # 1,000,000 records on SQLite
    .venv/bin/python benchmarks/query.py --records 100000 --db postgresql://...
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from metasummary import Project, RecordData
from metasummary.example.demo import example_file
from metasummary.query.plan import query_filter
from metasummary.query.text import number_forms
from metasummary.store import fulltext
from tables import markdown_table  # benchmarks/ is on sys.path when run as a script

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "screening"
PLANTS = {  # phrase → share of abstracts that carry it
    "machine learning": 0.12,
    "deep learning": 0.05,
    "data science": 0.02,
    "software engineering": 0.04,
    "software systems": 0.03,
    "ML systems": 0.01,
    "production-ready systems": 0.002,
    "interviews": 0.03,
    "survey": 0.05,
    "questionnaire": 0.02,
}


def vocabulary(folders: list[Path]) -> tuple[list[str], list[int]]:
    counts: Counter[str] = Counter()
    csv.field_size_limit(sys.maxsize)
    for folder in folders:
        for path in sorted(folder.rglob("*.csv")):
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                for row in csv.DictReader(handle):
                    text = f"{row.get('title') or ''} {row.get('abstract') or ''}"
                    counts.update(re.findall(r"[A-Za-z][A-Za-z-]+", text.lower()))
    if len(counts) < 1000:
        raise SystemExit(f"too few words in {folders}; give folders of CSV files with abstracts")
    words = [w for w, _ in counts.most_common(50_000)]
    return words, [counts[w] for w in words]


def synthetic(n: int, words: list[str], weights: list[int], seed: int) -> Iterator[RecordData]:
    rng = random.Random(seed)
    cum = list(itertools.accumulate(weights))
    plants = list(PLANTS.items())
    for i in range(n):
        title = rng.choices(words, cum_weights=cum, k=rng.randint(6, 14))
        abstract = rng.choices(words, cum_weights=cum, k=rng.randint(120, 240))
        for phrase, share in plants:
            if rng.random() < share:
                abstract.insert(rng.randrange(len(abstract)), phrase)
        yield RecordData(
            title=" ".join(title).capitalize(),
            abstract=" ".join(abstract).capitalize() + ".",
            year=2005 + i % 20,
        )


def regex_for(terms: list[str]) -> re.Pattern[str]:
    """The group as one regex with the same semantics (whole words, number forms)."""
    parts = []
    for term in terms:
        words = re.findall(r"[a-z0-9]+", term.lower())
        alts = ["(?:" + "|".join(re.escape(f) for f in number_forms(w)) + ")" for w in words]
        parts.append(r"\b" + r"[^a-z0-9]+".join(alts) + r"\b")
    return re.compile("|".join(parts), re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT_DATA])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--db", help="database URL (default: a SQLite file in a temp folder)")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    words, weights = vocabulary(args.folders)
    with tempfile.TemporaryDirectory(prefix="metasummary-bench-") as tmp:
        project = Project.init(
            Path(tmp) / "review", protocol_text=example_file("protocol.yaml"), db=args.db
        )
        # Title and abstract apart, as the index holds them: a phrase never runs from the
        # title's last word into the abstract's first (joined, the scan found one such at 1M).
        texts: list[tuple[str, str, int | None]] = []

        def keep(items: Iterator[RecordData]) -> Iterator[RecordData]:
            for item in items:
                texts.append((item.title, item.abstract, item.year))
                yield item

        start = time.perf_counter()
        project.add_records("Synthetic", keep(synthetic(args.records, words, weights, args.seed)))
        load_s = time.perf_counter() - start
        chars = sum(len(t) + len(a) + 1 for t, a, _ in texts) / max(len(texts), 1)

        start = time.perf_counter()
        project.query.ensure_index()
        index_s = time.perf_counter() - start

        query = project.query.query
        flt = query_filter(query)
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            with project.store.read() as conn:
                hits = fulltext.count_unique(conn, flt)
            timings.append(time.perf_counter() - start)
        query_s = min(timings)

        start = time.perf_counter()
        report = project.query.hits()
        report_s = time.perf_counter() - start
        assert report.final.total == hits

        patterns = [regex_for([t.text for t in g.terms]) for g in query.groups]
        low, high = query.year_from or 0, query.year_to or 9999
        start = time.perf_counter()
        scanned = sum(
            1
            for title, abstract, year in texts
            if (year is None or low <= year <= high)
            and all(p.search(title) or p.search(abstract) for p in patterns)
        )
        scan_s = time.perf_counter() - start
        engine = project.store.dialect
        project.close()

    agree = "the same" if scanned == hits else f"{scanned:,} by the scan"
    print(
        f"\n{args.records:,} synthetic records on {engine}, {chars:,.0f} characters each on "
        f"average; the study's query (A AND B AND C, 2010–2022) finds {hits:,} ({agree})\n"
    )
    rows = [
        ["insert records (add_records)", load_s, ""],
        ["build the full-text index", index_s, ""],
        ["query: count of A AND B AND C, years", query_s, f"{scan_s / query_s:,.0f}x faster"],
        ["query test: every group, term and source", report_s, f"{scan_s / report_s:,.1f}x faster"],
        ["Python regex scan of the same texts", scan_s, "baseline"],
    ]
    print(markdown_table(["step", "seconds", "vs. regex scan"], rows))


if __name__ == "__main__":
    main()
