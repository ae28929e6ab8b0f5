"""Candidate terms folded into concepts, counted in the records and scored.

A :class:`Concept` is one candidate phrase in all the spellings a sample of documents uses
(``variants.py``); :func:`score` counts it in the project's records with the full-text index
(in every spelling) and scores how well it separates the sample from the other records
(``separation.py``). The sample is the seed papers, or the seeds and the records most like
them (``feedback.py``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from metasummary.query.matcher import Document
from metasummary.query.phrases import Candidate, keyword_phrases, phrases
from metasummary.query.separation import log_odds
from metasummary.query.variants import concept_key, variant_phrases
from metasummary.store import fulltext
from metasummary.store.fulltext import Clause, Filter

MAX_CANDIDATES = 300
"""Concepts counted in the records (one indexed count each), the most widely used first."""


@dataclass(frozen=True, slots=True)
class SeedText:
    """A paper's text as a check reads it, and its record in the project if any."""

    title: str
    abstract: str = ""
    keywords: tuple[str, ...] = ()
    record_id: int | None = None

    def document(self) -> Document:
        return Document.of(self.title, self.abstract, self.keywords)

    def candidates(self) -> list[Candidate]:
        return [*phrases(self.title), *phrases(self.abstract), *keyword_phrases(self.keywords)]


@dataclass(slots=True)
class Concept:
    """Every spelling of one candidate across a sample of documents."""

    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    spellings: dict[tuple[str, ...], None] = field(default_factory=dict)
    docs: set[int] = field(default_factory=set)
    """Indexes of the sample's documents using it."""

    @property
    def text(self) -> str:
        """The spelling used most (the shortest, then the first alphabetically, on a tie)."""
        return min(self.surfaces, key=lambda s: (-self.surfaces[s], len(s), s))

    @property
    def tokens(self) -> tuple[str, ...]:
        return next(iter(self.spellings))

    @property
    def variants(self) -> tuple[str, ...]:
        """The other spellings, the most used first."""
        return tuple(s for s, _ in self.surfaces.most_common() if s != self.text)

    def clause(self) -> Clause:
        return Clause(phrases=variant_phrases(self.spellings))


def concepts_of(docs: Sequence[SeedText]) -> dict[str, Concept]:
    """The candidates of ``docs`` folded into concepts."""
    found: dict[str, Concept] = {}
    for index, doc in enumerate(docs):
        for cand in doc.candidates():
            key = concept_key(cand.tokens)
            concept = found.get(key)
            if concept is None:
                concept = found[key] = Concept(key)
            concept.surfaces[cand.surface] += 1
            concept.spellings.setdefault(cand.tokens, None)
            concept.docs.add(index)
    return found


def floor(sample: int) -> int:
    """Documents of a sample that must use a concept: two, and a fifth of a large sample (a
    phrase one paper uses is that paper's own)."""
    return max(2, math.ceil(sample / 5)) if sample >= 3 else 1


def widely_used(concepts: dict[str, Concept], sample: int) -> list[Concept]:
    """The concepts at least :func:`floor` documents use, the most used first."""
    shared = [c for c in concepts.values() if len(c.docs) >= floor(sample)]
    shared.sort(key=lambda c: (-len(c.docs), -sum(c.surfaces.values()), c.key))
    return shared


@dataclass(frozen=True, slots=True)
class Scored:
    concept: Concept
    seeds: int
    """Seed papers using it."""
    neighbours: int
    """Records like the seeds (``feedback.py``) using it."""
    records: int | None
    """Records of the project using it, besides the seeds (None when it holds none)."""
    score: float
    """How well it separates the sample from the other records (a log-odds z-score)."""
    weight: float = 0.0
    """Its weight for ranking records (the log-odds ratio)."""
    times: float = float("inf")
    """How many times as often the sample uses it as the other records do."""


def score(
    conn: sa.Connection, concepts: Sequence[Concept], docs: Sequence[SeedText], seeds: int
) -> list[Scored]:
    """``concepts`` (of ``docs``, whose first ``seeds`` are the seed papers) counted in the
    project's records and scored against the records outside ``docs``, best first."""
    total = fulltext.unique_records(conn)
    seed_ids = [d.record_id for d in docs[:seeds] if d.record_id is not None]
    sample_ids = sorted({d.record_id for d in docs if d.record_id is not None})
    others = max(total - len(sample_ids), 0)
    out: list[Scored] = []
    for concept in concepts:
        using = len(concept.docs)
        in_seeds = sum(1 for i in concept.docs if i < seeds)
        if total == 0:
            out.append(Scored(concept, in_seeds, 0, None, float(using)))
            continue
        flt = Filter(clauses=(concept.clause(),))
        found = fulltext.count_unique(conn, flt)
        here = set(fulltext.record_ids(conn, flt, among=sample_ids)) if sample_ids else set()
        besides = found - len(here & set(seed_ids))
        elsewhere = found - len(here)
        odds = log_odds(using, len(docs), elsewhere, others)
        times = (using / len(docs)) / (elsewhere / others) if elsewhere else float("inf")
        out.append(Scored(concept, in_seeds, using - in_seeds, besides, odds.z, odds.ratio, times))
    out.sort(key=lambda s: (-s.score, -s.seeds, s.concept.text))
    return out
