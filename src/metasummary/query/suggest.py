"""Terms the seed papers use often and the rest of the corpus rarely: candidates for the query.

Candidates are the words and two-word phrases (without stop words) of the seed papers' titles,
abstracts and keywords. Each is scored by the share of seed papers using it times how rare it
is in the project's other records (an inverse document frequency counted by the full-text
index). Words the query already finds are left out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from metasummary.query.matcher import Document, group_matches
from metasummary.query.model import BooleanQuery, parse_term
from metasummary.query.plan import term_phrases
from metasummary.query.text import STOP_WORDS
from metasummary.store import fulltext
from metasummary.store.fulltext import Clause, Filter

MAX_CANDIDATES = 60
"""Candidates counted in the corpus (one indexed count each)."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    seeds: int
    """Seed papers using it."""
    corpus: int | None
    """Other records in the project using it (None when the project holds none)."""
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "seeds": self.seeds, "corpus": self.corpus, "score": self.score}


def _grams(doc: Document) -> set[str]:
    out: set[str] = set()
    for words in doc.fields.values():
        for i, word in enumerate(words):
            if _content(word):
                out.add(word)
                if i + 1 < len(words) and _content(words[i + 1]):
                    out.add(f"{word} {words[i + 1]}")
    return out


def _content(word: str) -> bool:
    return len(word) >= 3 and word not in STOP_WORDS and not word.isdigit()


def _covered(text: str, query: BooleanQuery) -> bool:
    """Whether the query finds ``text`` already, or ``text`` is a word of one of its terms."""
    doc = Document.of(title=text)
    if any(group_matches(doc, g) for g in query.groups):
        return True
    words = set(text.split())
    return any(words <= {tok for tok, _ in t.tokens} for g in query.all_groups() for t in g.terms)


def suggest_terms(
    conn: sa.Connection,
    query: BooleanQuery,
    seeds: Sequence[tuple[Document, int | None]],
    *,
    limit: int = 10,
) -> list[Suggestion]:
    """Up to ``limit`` suggestions for ``seeds`` (each a document and its record id, if any)."""
    if not seeds:
        return []
    counts = Counter(gram for doc, _ in seeds for gram in _grams(doc))
    floor = 2 if len(seeds) >= 3 else 1
    candidates = [g for g, n in counts.most_common() if n >= floor and not _covered(g, query)][
        :MAX_CANDIDATES
    ]
    total = fulltext.unique_records(conn)
    in_project = [rid for _, rid in seeds if rid is not None]
    out: list[Suggestion] = []
    for gram in candidates:
        share = counts[gram] / len(seeds)
        if total == 0:
            out.append(Suggestion(gram, counts[gram], None, share))
            continue
        clause = Clause(phrases=term_phrases(parse_term(gram)))
        flt = Filter(clauses=(clause,))
        seeds_here = len(fulltext.record_ids(conn, flt, among=in_project)) if in_project else 0
        others = fulltext.count_unique(conn, flt) - seeds_here
        rest = max(total - len(in_project), 0)
        idf = math.log((rest + 1) / (others + 1))
        out.append(Suggestion(gram, counts[gram], others, round(share * idf, 4)))
    out.sort(key=lambda s: (-s.score, -s.seeds, s.text))
    return out[:limit]
