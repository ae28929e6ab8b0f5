"""Terms to add to the query: keyword phrases the seed papers and the records like them share
and the other records rarely use.

Candidates are the keyword phrases of titles, abstracts and keywords (``phrases.py``), folded
into one line per concept (``concepts.py``, ``variants.py``: ``fault-prone`` = ``fault prone``
= ``faultprone``). First the phrases enough seeds use are scored by how well they separate the
seeds from the other records (``separation.py``); the best of them rank the records, and the
ten records most like the seeds join them (``feedback.py``); then the phrases of that larger
sample are scored the same way. A phrase the query already finds (``coverage.py``) is left
out, and so is a phrase that contains a better-scoring suggestion (it would find nothing
more). Each suggestion is placed in a group (``placement.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from metasummary.query.concepts import (
    MAX_CANDIDATES,
    Concept,
    Scored,
    SeedText,
    concepts_of,
    score,
    widely_used,
)
from metasummary.query.coverage import covered
from metasummary.query.feedback import PROFILE_TERMS, neighbours
from metasummary.query.model import BooleanQuery
from metasummary.query.placement import Placement, place
from metasummary.query.variants import token_key
from metasummary.store import fulltext

MIN_TIMES = 2.0
"""A suggestion is used at least twice as often by the sample as by the other records (a Log
Ratio of at least 1, Hardie 2014): the z-score alone also rewards a term nearly every record
uses ("humans", "placebo" in a review of drug trials), where the evidence is large and the
difference small."""

__all__ = ["Scored", "SeedText", "Suggestion", "score_concepts", "select", "suggest_terms"]


@dataclass(frozen=True, slots=True)
class Suggestion:
    text: str
    variants: tuple[str, ...]
    """Other spellings of the same concept."""
    seeds: int
    """Seed papers using it."""
    neighbours: int
    """Records like the seeds using it."""
    records: int | None
    """Records of the project using it in any spelling, besides the seeds (None when the
    project holds none)."""
    score: float
    """How well it separates the seeds (and the records like them) from the other records:
    a log-odds z-score."""
    weight: float
    """Its weight for ranking records by the terms they use: the log-odds ratio."""
    placement: Placement

    @property
    def group(self) -> str | None:
        return self.placement.group

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "variants": list(self.variants),
            "seeds": self.seeds,
            "neighbours": self.neighbours,
            "records": self.records,
            "score": round(self.score, 3),
            "weight": round(self.weight, 3),
            "group": self.placement.group,
            "placement": self.placement.reason,
        }


def _candidates(query: BooleanQuery, docs: Sequence[SeedText]) -> list[Concept]:
    wide = widely_used(concepts_of(docs), len(docs))
    return [c for c in wide if not covered(c.tokens, query)][:MAX_CANDIDATES]


def score_concepts(
    conn: sa.Connection, query: BooleanQuery, seeds: Sequence[SeedText]
) -> list[Scored]:
    """The phrases enough seeds use, scored against the other records, best first."""
    return score(conn, _candidates(query, seeds), seeds, len(seeds))


def _contains(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    n = len(shorter)
    return n < len(longer) and any(
        tuple(longer[i : i + n]) == tuple(shorter) for i in range(len(longer) - n + 1)
    )


def select(scored: Sequence[Scored], limit: int) -> list[Scored]:
    """The best ``limit`` that separate the sample: a positive score and used at least
    :data:`MIN_TIMES` as often in the sample as elsewhere; without a phrase that contains a
    better one (it would find nothing more)."""
    chosen: list[Scored] = []
    keys: list[tuple[str, ...]] = []
    for item in scored:
        if len(chosen) >= limit:
            break
        if item.records is not None and item.score <= 0:
            break
        if item.records is not None and item.times < MIN_TIMES:
            continue
        mine = tuple(token_key(t) for t in item.concept.tokens)
        if any(_contains(mine, other) for other in keys):
            continue
        chosen.append(item)
        keys.append(mine)
    return chosen


def rank_terms(
    conn: sa.Connection,
    query: BooleanQuery,
    seeds: Sequence[SeedText],
    scored: Sequence[Scored] | None = None,
) -> list[Scored]:
    """Every candidate, best first: from the seeds and the records most like them when the
    project holds records, else from the seeds alone."""
    if scored is None:
        scored = score_concepts(conn, query, seeds)
    if not fulltext.unique_records(conn):
        return list(scored)
    near = neighbours(conn, select(scored, PROFILE_TERMS), seeds)
    if not near:
        return list(scored)
    docs = [*seeds, *near]
    return score(conn, _candidates(query, docs), docs, len(seeds))


def suggest_terms(
    conn: sa.Connection,
    query: BooleanQuery,
    seeds: Sequence[SeedText],
    *,
    limit: int = 10,
    scored: Sequence[Scored] | None = None,
) -> list[Suggestion]:
    """Up to ``limit`` terms for the query, each placed in a group (or a new one).

    ``scored`` are the seeds' phrases as :func:`score_concepts` scored them, when the caller
    holds them.
    """
    if not seeds:
        return []
    chosen = select(rank_terms(conn, query, seeds, scored), limit)
    docs = [s.document() for s in seeds]
    out: list[Suggestion] = []
    for item in chosen:
        concept = item.concept
        placement = place(conn, query, concept.tokens, concept.clause(), docs)
        out.append(
            Suggestion(
                concept.text,
                concept.variants,
                item.seeds,
                item.neighbours,
                item.records,
                item.score,
                item.weight,
                placement,
            )
        )
    return out
