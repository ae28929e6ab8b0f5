"""``query check``'s term suggestions against held-out inclusions of labelled screening sets.

For every labelled set in ``../shared/data/screening`` (and every folder given), five random
draws (``random.Random(draw)``) of five included records serve as the seed papers; every
other record is the pool (its held-out inclusions among it). The starting query is
deliberately thin and is derived from the seeds alone, never from the labels: the three
words that most seeds use in their titles (ties: most seeds using them anywhere, then most
occurrences, then alphabetical; words on the stop lists, shorter than three letters or
numbers left out), one word per group, A AND B AND C over title, abstract and keywords.

Three suggesters each give their top 20 terms for the same seeds, query and records:
metasummary's previous suggester, a litsearchr-style baseline (``query_suggest_peers.py``)
and the keyword-phrase suggester (``metasummary.query.suggest``). Per suggester:

- **useful share**: the share of its terms that held-out inclusions vouch for: used by at
  least 5 % of the non-seed inclusions and at least 3× as often among them as in the pool;
- **recall@10 % / @25 %**: the pool ranked by the sum of the scores of the terms each record
  contains (ties in expectation), the share of the non-seed inclusions in its top 10 % / 25 %.
  The previous suggester's score is its share × idf, the baseline's its node strength; ours
  ranks its terms by the z-score of the log-odds ratio and gives the ratio itself (the
  Robertson–Spärck Jones relevance weight) as the weight for ranking records.

A term "is used" by a record when the record's title, abstract or keywords hold it in any
spelling the suggester itself folds (hyphen/space/joined, number, British/American), the same
rule for all three. Targets (issue 22): useful share ≥ 0.8 on every set, recall@25 % no lower
than the previous suggester's, and ahead of the litsearchr-style baseline on the means. The
targets table also counts, per set, the phrases at least two seeds share (and the query does
not find) that pass the useful test: where fewer than 16 exist, no suggester that takes its
terms from what the seeds share can reach 0.8 with 20 terms.

    .venv/bin/python benchmarks/query_suggest.py                  # the shared sets and the demo
    .venv/bin/python benchmarks/query_suggest.py DIR [DIR ...]     # also any folder of sets
    .venv/bin/python benchmarks/query_suggest.py --no-shared DIR   # only those
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from metasummary import Project, RecordData
from metasummary.example.data import example_file
from metasummary.example.demo import run_demo
from metasummary.protocol import FieldScope
from metasummary.query.concepts import concepts_of, widely_used
from metasummary.query.coverage import covered
from metasummary.query.matcher import Document
from metasummary.query.model import BooleanQuery, TermGroup, parse_term
from metasummary.query.stopwords import stands_alone
from metasummary.query.suggest import SeedText, suggest_terms
from metasummary.query.text import tokens
from metasummary.query.variants import concept_key, token_key
from metasummary.store import records as store_records
from query_suggest_peers import Network, Term, litsearchr, network, previous
from screening import DATA, dataset_folders, main_file  # benchmarks/ is on sys.path
from tables import markdown_table

DRAWS = 5
SEEDS = 5
TOP = 20
SHOWN = 15
MIN_SHARE = 0.05
MIN_RATIO = 3.0
SUGGESTERS = ("previous", "litsearchr-style", "keyword phrases (new)")


@dataclass(frozen=True, slots=True)
class Row:
    title: str
    abstract: str
    keywords: tuple[str, ...]
    label: int


def read_set(path: Path) -> list[Row]:
    csv.field_size_limit(2**31 - 1)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = []
        for row in reader:
            keywords = tuple(k.strip() for k in (row.get("keywords") or "").split(";") if k.strip())
            rows.append(
                Row(
                    row.get("title") or "",
                    row.get("abstract") or "",
                    keywords,
                    int((row.get("label_included") or "0").strip() or 0),
                )
            )
    return rows


def thin_query(seeds: Sequence[Row]) -> BooleanQuery:
    """Three one-word groups from the seeds' most shared title words (see the docstring)."""
    in_title: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    occurrences: Counter[str] = Counter()
    for seed in seeds:
        title = tokens(seed.title)
        text = title + tokens(seed.abstract) + tokens(" ".join(seed.keywords))
        in_title.update(set(title))
        anywhere.update(set(text))
        occurrences.update(text)
    words = [
        w
        for w in anywhere
        if len(w) >= 3 and not w.isdigit() and stands_alone(w) and any(c.isalpha() for c in w)
    ]
    words.sort(key=lambda w: (-in_title[w], -anywhere[w], -occurrences[w], w))
    chosen: list[str] = []
    for word in words:
        if token_key(word) not in {token_key(c) for c in chosen}:
            chosen.append(word)
        if len(chosen) == 3:
            break
    groups = tuple(
        TermGroup(name, "", (parse_term(word),), FieldScope.TITLE_ABSTRACT_KEYWORDS)
        for name, word in zip("ABC", chosen, strict=False)
    )
    return BooleanQuery(groups=groups)


@dataclass
class Scores:
    ceiling: list[float] = field(default_factory=list)
    """Phrases two seeds share (and the query does not find) that are useful: how many."""
    useful: list[float] = field(default_factory=list)
    r10: list[float] = field(default_factory=list)
    r25: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def term_key(text: str) -> str:
    return concept_key(tokens(text))


def record_keys(rows: Sequence[Row], wanted: set[str]) -> list[set[str]]:
    """For each record, which of the ``wanted`` term keys its fields hold."""
    longest = 8
    out: list[set[str]] = []
    for row in rows:
        keys: set[str] = set()
        for text in (row.title, row.abstract, *row.keywords):
            toks = tokens(text)
            for n in range(1, longest + 1):
                for i in range(len(toks) - n + 1):
                    key = concept_key(toks[i : i + n])
                    if key in wanted:
                        keys.add(key)
        out.append(keys)
    return out


def recall_at(scores: Sequence[float], labels: Sequence[int], share: float) -> float:
    """Expected share of inclusions in the top ``share`` of records ranked by ``scores``
    (records with equal scores in random order)."""
    total = sum(labels)
    if total == 0:
        return float("nan")
    cut = round(share * len(scores))
    blocks: dict[float, list[int]] = {}
    for s, label in zip(scores, labels, strict=True):
        blocks.setdefault(s, []).append(label)
    taken, found = 0, 0.0
    for s in sorted(blocks, reverse=True):
        block = blocks[s]
        room = cut - taken
        if room <= 0:
            break
        if len(block) <= room:
            found += sum(block)
            taken += len(block)
        else:
            found += sum(block) * room / len(block)
            taken = cut
    return found / total


def is_useful(key: str, keys: list[set[str]], held: Sequence[int], pool: Sequence[int]) -> bool:
    """Whether held-out inclusions vouch for the term: used by at least 5 % of them, and at
    least 3× as often among them as in the pool."""
    in_held = sum(key in keys[i] for i in held) / len(held)
    in_pool = sum(key in keys[i] for i in pool) / len(pool)
    return in_held >= MIN_SHARE and in_held >= MIN_RATIO * in_pool


def evaluate(
    terms: Sequence[Term], keys: list[set[str]], rows: Sequence[Row], pool: Sequence[int]
) -> tuple[float, float, float]:
    held = [i for i in pool if rows[i].label]
    useful = sum(is_useful(term_key(t.text), keys, held, pool) for t in terms)
    weights = {term_key(t.text): t.score for t in terms}
    scores = [sum(w for k, w in weights.items() if k in keys[i]) for i in pool]
    labels = [rows[i].label for i in pool]
    share = useful / len(terms) if terms else 0.0
    return share, recall_at(scores, labels, 0.10), recall_at(scores, labels, 0.25)


def new_project(folder: Path, rows: Sequence[Row]) -> tuple[Project, list[int]]:
    project = Project.init(folder, protocol_text=example_file("protocol.yaml"))
    ids = project.add_records(
        "Set",
        (RecordData(title=r.title, abstract=r.abstract, keywords=list(r.keywords)) for r in rows),
    )
    project.query.ensure_index()
    return project, ids


def suggest_all(
    conn: sa.Connection, net: Network, query: BooleanQuery, texts: Sequence[SeedText]
) -> tuple[dict[str, list[Term]], dict[str, float]]:
    """Every suggester's top terms for one draw, and the seconds each took."""
    docs = [(t.document(), t.record_id) for t in texts]
    out: dict[str, list[Term]] = {}
    seconds: dict[str, float] = {}
    for suggester in SUGGESTERS:
        start = time.perf_counter()
        if suggester == SUGGESTERS[0]:
            out[suggester] = previous(conn, query, docs, TOP)
        elif suggester == SUGGESTERS[1]:
            out[suggester] = litsearchr(net, query, TOP)
        else:
            found = suggest_terms(conn, query, texts, limit=TOP)
            out[suggester] = [Term(s.text, s.weight) for s in found]
        seconds[suggester] = time.perf_counter() - start
    return out, seconds


def run_set(name: str, rows: list[Row], draws: int, shown: bool) -> dict[str, Scores]:
    included = [i for i, r in enumerate(rows) if r.label]
    results = {s: Scores() for s in SUGGESTERS}
    runs: list[tuple[list[int], dict[str, list[Term]], BooleanQuery]] = []
    shared: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="metasummary-suggest-") as tmp:
        project, ids = new_project(Path(tmp) / "review", rows)
        start = time.perf_counter()
        net = network([(r.title, r.abstract, r.keywords) for r in rows])
        network_s = time.perf_counter() - start
        for draw in range(1, draws + 1):
            seeds = sorted(random.Random(draw).sample(included, SEEDS))
            query = thin_query([rows[i] for i in seeds])
            texts = [
                SeedText(rows[i].title, rows[i].abstract, rows[i].keywords, ids[i]) for i in seeds
            ]
            with project.store.read() as conn:
                out, seconds = suggest_all(conn, net, query, texts)
            seconds[SUGGESTERS[1]] += network_s  # litsearchr builds its network every time
            for suggester, took in seconds.items():
                results[suggester].seconds.append(took)
            runs.append((seeds, out, query))
            wide = widely_used(concepts_of(texts), len(texts))
            shared.append([c.key for c in wide if not covered(c.tokens, query)])
        project.close()
    wanted = {term_key(t.text) for _, out, _ in runs for terms in out.values() for t in terms}
    keys = record_keys(rows, wanted | {k for draw in shared for k in draw})
    for (seeds, out, _), offered in zip(runs, shared, strict=True):
        pool = [i for i in range(len(rows)) if i not in set(seeds)]
        held = [i for i in pool if rows[i].label]
        results[SUGGESTERS[2]].ceiling.append(sum(is_useful(k, keys, held, pool) for k in offered))
        for suggester, terms in out.items():
            useful, r10, r25 = evaluate(terms, keys, rows, pool)
            results[suggester].useful.append(useful)
            results[suggester].r10.append(r10)
            results[suggester].r25.append(r25)
    if shown:
        seeds, out, query = runs[0]
        groups = " AND ".join(f"{g.name}: {g.terms[0].text}" for g in query.groups)
        print(f"\n### {name}, draw 1: top {SHOWN} (thin query {groups})\n")
        print(side_by_side({s: [t.text for t in out[s]] for s in SUGGESTERS}))
    return results


def side_by_side(lists: dict[str, list[str]]) -> str:
    rows = [
        [str(i + 1), *(terms[i] if i < len(terms) else "" for terms in lists.values())]
        for i in range(SHOWN)
    ]
    return markdown_table(["#", *lists], rows)


def demo_listing() -> None:
    """The built-in example review: its six seed papers, its query, its records."""
    with tempfile.TemporaryDirectory(prefix="metasummary-suggest-demo-") as tmp:
        run_demo(Path(tmp) / "demo")
        project = Project.open(Path(tmp) / "demo")
        check = project.query.check(suggestions=SHOWN)
        query = project.query.query
        with project.store.read() as conn:
            every = list(store_records.iter_all(conn))
            by_id = {r.id: r.data for r in every}
            seeds = [
                (Document.of(by_id[i].title, by_id[i].abstract, by_id[i].keywords), i)
                for i in (s.record_id for s in check.seeds)
                if i is not None
            ]
            old = previous(conn, query, seeds, SHOWN)
        net = network([(r.data.title, r.data.abstract, r.data.keywords) for r in every])
        project.close()
    print(f"\n### The demo review (six seed papers, {len(every)} records, titles only)\n")
    print(
        side_by_side(
            {
                SUGGESTERS[0]: [t.text for t in old],
                SUGGESTERS[1]: [t.text for t in litsearchr(net, query, SHOWN)],
                SUGGESTERS[2]: [s.text for s in check.suggestions],
            }
        )
    )


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--no-shared", action="store_true", help="only the folders given")
    parser.add_argument("--draws", type=int, default=DRAWS)
    parser.add_argument(
        "--show",
        nargs="*",
        default=None,
        help="sets whose top 15 to print (default: the two largest shared sets)",
    )
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()

    sets: list[tuple[str, list[Row]]] = []
    shared_sets: list[str] = []
    for folder in dataset_folders(args.folders, shared=not args.no_shared):
        path = main_file(folder)
        if path is None:
            print(f"{folder}: no CSV with title, abstract and label_included", file=sys.stderr)
            continue
        rows = read_set(path)
        if sum(r.label for r in rows) <= SEEDS:
            print(f"{folder.name}: too few inclusions for {SEEDS} seeds", file=sys.stderr)
            continue
        sets.append((folder.name, rows))
        if folder.is_relative_to(DATA):
            shared_sets.append(folder.name)
    largest = sorted((s for s in sets if s[0] in shared_sets), key=lambda s: -len(s[1]))
    shown = set(args.show) if args.show is not None else {name for name, _ in largest[:2]}
    if not args.no_demo:
        demo_listing()
    table: list[list[object]] = []
    means: dict[str, Scores] = {s: Scores() for s in SUGGESTERS}
    verdicts: list[list[object]] = []
    for name, rows in sets:
        results = run_set(name, rows, args.draws, name in shown)
        for suggester, r in results.items():
            table.append(
                [
                    name,
                    len(rows),
                    sum(r_.label for r_ in rows),
                    suggester,
                    mean(r.useful),
                    mean(r.r10),
                    mean(r.r25),
                    mean(r.seconds),
                ]
            )
            m = means[suggester]
            m.useful.append(mean(r.useful))
            m.r10.append(mean(r.r10))
            m.r25.append(mean(r.r25))
            m.seconds.append(mean(r.seconds))
        new, old = results[SUGGESTERS[2]], results[SUGGESTERS[0]]
        verdicts.append(
            [
                name,
                "yes" if mean(new.useful) >= 0.8 else "no",
                "yes" if mean(new.r25) >= mean(old.r25) else "no",
                mean(new.ceiling),
            ]
        )
    for suggester, m in means.items():
        table.append(
            [
                "mean over sets",
                "",
                "",
                suggester,
                *(mean(v) for v in (m.useful, m.r10, m.r25)),
                mean(m.seconds),
            ]
        )
    print(
        f"\n{args.draws} draws of {SEEDS} seeds per set; top {TOP} terms per suggester; "
        "means over the draws\n"
    )
    print(
        markdown_table(
            [
                "set",
                "records",
                "included",
                "suggester",
                "useful share",
                "recall@10%",
                "recall@25%",
                "s per draw",
            ],
            table,
        )
    )
    new, lit = means[SUGGESTERS[2]], means[SUGGESTERS[1]]
    print("\nTargets per set (new suggester)\n")
    print(
        markdown_table(
            [
                "set",
                "useful share ≥ 0.8",
                "recall@25% ≥ previous",
                "useful phrases ≥ 2 seeds share (of 20 needed: 16)",
            ],
            verdicts,
        )
    )
    ahead = mean(new.useful) > mean(lit.useful) and mean(new.r25) > mean(lit.r25)
    print(
        f"\nahead of the litsearchr-style baseline on the means (useful share "
        f"{mean(new.useful):.3f} vs {mean(lit.useful):.3f}, recall@25% {mean(new.r25):.3f} vs "
        f"{mean(lit.r25):.3f}): {'yes' if ahead else 'no'}"
    )


if __name__ == "__main__":
    main()
