"""Theme suggestions against human coding: leave-one-out top-1 and top-3 accuracy.

For every human-coded answer in turn, the answer is held out, the suggester learns from the
other answers of the same question (and from the names of that question's themes, as it does
in a review, where the themes on the board have labels), and ranks the question's themes for
the held-out answer. A suggestion is right when it is one of the themes the human coders gave
the answer (answers may carry several). Answers whose text is only a URL carry no words to
learn from and are left out (counted above the table), as are questions with a single
answer (nothing to learn from).

Methods: TF-IDF nearest centroid (the default), sentence embeddings (the ``semantic`` extra),
and for scale the majority baseline (the question's most frequent themes, ignoring the text).

Usage::

    .venv/bin/python benchmarks/suggest.py                  # ../shared/data/coding/...
    .venv/bin/python benchmarks/suggest.py DIR [DIR ...]    # other folders, same format

A folder holds ``coded_items_long.csv`` with columns ``item_id``, ``question``, ``text`` and
``themes`` (theme names joined by ``;``).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from metasummary import embeddings
from metasummary.synthesis.centroids import Method, rank_vectors, vectorise
from tables import markdown_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "coding" / "flaky_tests_survey_parry2022"
FILE = "coded_items_long.csv"
URL_ONLY = re.compile(r"^\s*https?://\S+\s*$")


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    question: str
    text: str
    themes: tuple[str, ...]


@dataclass(slots=True)
class Score:
    items: int = 0
    top1: int = 0
    top3: int = 0
    seconds: float = 0.0
    per_question: dict[str, tuple[int, int, int]] = field(default_factory=dict)


def load(folder: Path) -> tuple[list[Item], Counter[str]]:
    """The coded items with text, and how many were left out and why."""
    items: list[Item] = []
    left_out: Counter[str] = Counter()
    with (folder / FILE).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            themes = tuple(t.strip() for t in row["themes"].split(";") if t.strip())
            if not themes:
                left_out["not coded"] += 1
            elif URL_ONLY.match(row["text"]) or not row["text"].strip():
                left_out["URL only"] += 1
            else:
                items.append(Item(row["item_id"], row["question"], row["text"], themes))
    return items, left_out


Ranker = Callable[[list[Item], list[str], int], list[str]]


def vector_ranker(method: Method, *, use_labels: bool) -> Callable[[list[Item]], Ranker]:
    """Vectors made once per question (texts and theme names); centroids per held-out item."""

    def prepare(items: list[Item]) -> Ranker:
        themes = sorted({t for item in items for t in item.themes})
        vectors = vectorise([i.text for i in items] + themes, method)
        texts, names = vectors[: len(items)], vectors[len(items) :]
        rows = list(range(len(items)))

        def rank(_: list[Item], theme_list: list[str], held_out: int) -> list[str]:
            train = [r for r in rows if r != held_out]
            ranked = rank_vectors(
                themes,
                texts[train],
                [items[r].themes for r in train],
                names,
                [use_labels] * len(themes),
                texts[[held_out]],
                top=3,
            )
            return [theme for theme, _ in ranked[0]]

        return rank

    return prepare


def majority(items: list[Item]) -> Ranker:
    def rank(_: list[Item], __: list[str], held_out: int) -> list[str]:
        counts = Counter(t for i, item in enumerate(items) if i != held_out for t in item.themes)
        return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]

    return rank


def evaluate(items: list[Item], prepare: Callable[[list[Item]], Ranker]) -> Score:
    score = Score()
    by_question: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_question[item.question].append(item)
    start = time.perf_counter()
    for question, group in sorted(by_question.items()):
        if len(group) < 2:
            continue
        rank = prepare(group)
        themes = sorted({t for item in group for t in item.themes})
        hits1 = hits3 = 0
        for held_out, item in enumerate(group):
            suggested = rank(group, themes, held_out)
            hits1 += bool(suggested[:1] and suggested[0] in item.themes)
            hits3 += any(t in item.themes for t in suggested[:3])
        score.per_question[question] = (len(group), hits1, hits3)
        score.items += len(group)
        score.top1 += hits1
        score.top3 += hits3
    score.seconds = time.perf_counter() - start
    return score


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument(
        "--no-embeddings", action="store_true", help="Skip the sentence-embedding method."
    )
    args = parser.parse_args(argv)

    methods: list[tuple[str, Callable[[list[Item]], Ranker]]] = [
        ("majority baseline (no text)", majority),
        ("TF-IDF centroid, findings only", vector_ranker(Method.TFIDF, use_labels=False)),
        ("TF-IDF centroid + theme names (default)", vector_ranker(Method.TFIDF, use_labels=True)),
    ]
    if not args.no_embeddings:
        if embeddings.available():
            methods += [
                (
                    "embedding centroid, findings only",
                    vector_ranker(Method.EMBEDDING, use_labels=False),
                ),
                (
                    "embedding centroid + theme names",
                    vector_ranker(Method.EMBEDDING, use_labels=True),
                ),
            ]
        else:
            print("(the 'semantic' extra is not installed: embedding rows left out)\n")

    for folder in args.folders:
        items, left_out = load(folder)
        questions = sorted({i.question for i in items})
        themes_per_q = {
            q: len({t for i in items if i.question == q for t in i.themes}) for q in questions
        }
        print(f"## {folder.name}\n")
        print(
            f"{len(items)} coded answers with text in {len(questions)} questions (left out: "
            + (", ".join(f"{n} {why}" for why, n in sorted(left_out.items())) or "none")
            + "); themes per question: "
            + ", ".join(f"{q} {n}" for q, n in themes_per_q.items())
            + "\n"
        )
        rows: list[list[Any]] = []
        detail: list[list[Any]] = []
        for name, prepare in methods:
            score = evaluate(items, prepare)
            rows.append(
                [
                    name,
                    score.items,
                    score.top1 / score.items,
                    score.top3 / score.items,
                    round(score.seconds, 1),
                ]
            )
            for question, (n, h1, h3) in score.per_question.items():
                detail.append([name, question, n, h1 / n, h3 / n])
        print(markdown_table(["method", "answers", "top-1", "top-3", "seconds"], rows))
        print()
        print(markdown_table(["method", "question", "answers", "top-1", "top-3"], detail))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
