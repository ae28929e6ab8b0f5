"""``query check``'s term suggestions against held-out inclusions of labelled screening sets.

For every labelled set in ``../shared/data/screening`` (and every folder given), five random
draws (``random.Random(draw)``) of five included records serve as the seed papers; every
other record is the pool (its held-out inclusions among it). The starting query is
deliberately thin and is derived from the seeds alone, never from the labels: the three
words that most seeds use in their titles (ties: most seeds using them anywhere, then most
occurrences, then alphabetical; words on the stop lists, shorter than three letters or
numbers left out), one word per group, A AND B AND C over title, abstract and keywords.

Three suggesters each give up to 20 terms for the same seeds, query and records:
metasummary's previous suggester, a litsearchr-style baseline (``query_suggest_peers.py``)
and the keyword-phrase suggester (``metasummary.query.suggest``). The keyword-phrase suggester
marks the significant terms (``metasummary.query.evidence``: more than twice the odds among
the seeds and the records like them, significant after the Benjamini–Hochberg correction, used
by two seeds), so its list is measured twice: all its terms (the significant ones first, then
the weaker ones, up to 20) and the significant ones alone, a list as long as the evidence
allows. Per suggester:

- **terms** and **useful terms**: how many terms it gave, and how many of them held-out
  inclusions vouch for (used by at least 5 % of the non-seed inclusions and at least 3× as
  often among them as in the pool), per draw;
- **useful share**: useful terms over terms, pooled over the draws (so a draw with a short
  list weighs less than one with a long list; "—" when it gave no term in any draw);
- **recall@10 % / @25 %**: the pool ranked by the sum of the scores of the terms each record
  contains (ties in expectation), the share of the non-seed inclusions in its top 10 % / 25 %
  (a short list leaves most records tied at zero, which costs recall: the price of a short
  list is in this column). The previous suggester's score is its share × idf, the
  baseline's its node strength; ours ranks its terms by the z-score of the log-odds ratio and
  gives the ratio itself (the Robertson–Spärck Jones relevance weight) as the weight for
  ranking records.

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
import math
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
from metasummary.query.feedback import FEEDBACK_RECORDS, PROFILE_TERMS, by_terms, neighbours
from metasummary.query.matcher import Document
from metasummary.query.model import BooleanQuery, TermGroup, parse_term
from metasummary.query.stopwords import stands_alone
from metasummary.query.suggest import SeedText, score_concepts, select, suggest_terms
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
SUGGESTERS = ("previous", "litsearchr-style", "keyword phrases (new)", "new: significant only")
NEW, SIGNIFICANT = SUGGESTERS[2], SUGGESTERS[3]


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
    feedback: dict[str, list[float]] = field(default_factory=dict)
    """Share of inclusions among the ten records like the seeds, per way of finding them."""
    terms: list[int] = field(default_factory=list)
    useful: list[int] = field(default_factory=list)
    """Useful terms per draw."""
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
) -> tuple[int, float, float]:
    """Useful terms, recall@10 % and recall@25 % of one list."""
    held = [i for i in pool if rows[i].label]
    useful = sum(is_useful(term_key(t.text), keys, held, pool) for t in terms)
    weights = {term_key(t.text): t.score for t in terms}
    scores = [sum(w for k, w in weights.items() if k in keys[i]) for i in pool]
    labels = [rows[i].label for i in pool]
    return useful, recall_at(scores, labels, 0.10), recall_at(scores, labels, 0.25)


def pooled_share(scores: Scores) -> float:
    """Useful terms over terms, pooled over the draws; NaN when no draw gave a term."""
    return sum(scores.useful) / sum(scores.terms) if sum(scores.terms) else float("nan")


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
        elif suggester == NEW:
            found = suggest_terms(conn, query, texts, limit=TOP)
            out[suggester] = [Term(s.text, s.weight) for s in found]
            out[SIGNIFICANT] = [Term(s.text, s.weight) for s in found if s.significant]
        else:
            continue  # the significant ones come with the list above
        seconds[suggester] = time.perf_counter() - start
    seconds[SIGNIFICANT] = seconds[NEW]
    return out, seconds


def feedback_records(
    conn: sa.Connection, query: BooleanQuery, texts: Sequence[SeedText]
) -> dict[str, list[int]]:
    """The ten records like the seeds as the suggester takes them (the index's ranking by the
    seeds' best terms, re-ranked by whole-text similarity), and the index's ten alone (the
    feedback before the re-ranking)."""
    profile = select(score_concepts(conn, query, texts), PROFILE_TERMS)
    return {
        "index": by_terms(conn, profile, texts)[:FEEDBACK_RECORDS],
        "re-ranked": [t.record_id for t in neighbours(conn, profile, texts) if t.record_id],
    }


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
                found = feedback_records(conn, query, texts)
            label = {record_id: rows[i].label for i, record_id in enumerate(ids)}
            for how, records in found.items():
                share = mean([label[r] for r in records])
                results[NEW].feedback.setdefault(how, []).append(share)
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
        results[NEW].ceiling.append(sum(is_useful(k, keys, held, pool) for k in offered))
        for suggester, terms in out.items():
            useful, r10, r25 = evaluate(terms, keys, rows, pool)
            results[suggester].terms.append(len(terms))
            results[suggester].useful.append(useful)
            results[suggester].r10.append(r10)
            results[suggester].r25.append(r25)
    if shown:
        seeds, out, query = runs[0]
        groups = " AND ".join(f"{g.name}: {g.terms[0].text}" for g in query.groups)
        print(f"\n### {name}, draw 1: top {SHOWN} (thin query {groups})\n")
        print(side_by_side({s: [t.text for t in out[s]] for s in SUGGESTERS[:3]}))
        print(f"\nsignificant: {', '.join(t.text for t in out[SIGNIFICANT]) or 'none'}")
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
                NEW: [s.text for s in check.suggestions],
            }
        )
    )
    print(
        f"\nsignificant: {', '.join(s.text for s in check.suggestions if s.significant) or 'none'}"
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
    means: dict[str, dict[str, list[float]]] = {s: {} for s in SUGGESTERS}
    verdicts: list[list[object]] = []
    for name, rows in sets:
        results = run_set(name, rows, args.draws, name in shown)
        for suggester, r in results.items():
            figures = {
                "terms": mean(r.terms),
                "useful": mean(r.useful),
                "share": pooled_share(r),
                "r10": mean(r.r10),
                "r25": mean(r.r25),
                "seconds": mean(r.seconds),
            }
            table.append([name, len(rows), sum(r_.label for r_ in rows), suggester, *row(figures)])
            for key, value in figures.items():
                means[suggester].setdefault(key, []).append(value)
        old = results[SUGGESTERS[0]]
        for suggester in (NEW, SIGNIFICANT):
            ours = results[suggester]
            verdicts.append(
                [
                    name,
                    suggester,
                    "yes" if pooled_share(ours) >= 0.8 else "no",
                    "yes" if mean(ours.r25) >= mean(old.r25) else "no",
                    spread([a - b for a, b in zip(ours.r25, old.r25, strict=True)]),
                    mean(results[NEW].ceiling),
                    mean(results[NEW].feedback["index"]),
                    mean(results[NEW].feedback["re-ranked"]),
                ]
            )
    overall = {s: {k: nan_mean(v) for k, v in m.items()} for s, m in means.items()}
    for suggester, figures in overall.items():
        table.append(["mean over sets", "", "", suggester, *row(figures)])
    print(
        f"\n{args.draws} draws of {SEEDS} seeds per set; up to {TOP} terms per suggester; "
        "terms, useful terms and recall are means over the draws, the useful share is pooled\n"
    )
    print(
        markdown_table(
            [
                "set",
                "records",
                "included",
                "suggester",
                "terms",
                "useful terms",
                "useful share",
                "recall@10%",
                "recall@25%",
                "s per draw",
            ],
            table,
        )
    )
    print("\nTargets per set (the keyword-phrase suggester)\n")
    print(
        markdown_table(
            [
                "set",
                "list",
                "useful share ≥ 0.8",
                "recall@25% ≥ previous",
                "recall@25% − previous per draw: mean (min, max)",
                "useful phrases ≥ 2 seeds share (of 20 needed: 16)",
                "included of 10 like seeds: by terms",
                "re-ranked by text",
            ],
            verdicts,
        )
    )
    lit = overall[SUGGESTERS[1]]
    for suggester in (NEW, SIGNIFICANT):
        mine = overall[suggester]
        ahead = mine["share"] > lit["share"] and mine["r25"] > lit["r25"]
        print(
            f"\n{suggester}: ahead of the litsearchr-style baseline on the means (useful share "
            f"{mine['share']:.3f} vs {lit['share']:.3f}, recall@25% {mine['r25']:.3f} vs "
            f"{lit['r25']:.3f}): {'yes' if ahead else 'no'}"
        )


def row(figures: dict[str, float]) -> list[object]:
    """A table row's figures; an undefined share as a dash."""
    share = figures["share"]
    return [
        figures["terms"],
        figures["useful"],
        "—" if math.isnan(share) else share,
        figures["r10"],
        figures["r25"],
        figures["seconds"],
    ]


def spread(values: Sequence[float]) -> str:
    """A mean with the least and the greatest value: how much a draw moves it."""
    return f"{mean(values):+.3f} ({min(values):+.3f}, {max(values):+.3f})"


def nan_mean(values: Sequence[float]) -> float:
    """The mean of the defined values (a set where a list was always empty has no share)."""
    defined = [v for v in values if not math.isnan(v)]
    return statistics.fmean(defined) if defined else float("nan")


if __name__ == "__main__":
    main()
