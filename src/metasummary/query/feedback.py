"""The records most like the seed papers, to learn the review's vocabulary from more than five.

A handful of seeds share few phrases. Pseudo-relevance feedback (Rocchio 1971; the relevance
models of Lavrenko and Croft 2001) widens the sample: the :data:`FEEDBACK_RECORDS` records
most like the seeds join them as the sample whose phrases are scored against the rest. Ten is
the customary feedback depth of relevance-model query expansion (RM3).

"Most like" is found in two stages, as retrieval systems re-rank (first a cheap pass over the
index, then a closer look at its best records): the full-text index ranks the project's records
by the seeds' best-separating terms (each record scores the sum of the scores of the terms it
uses), and the :data:`RERANKED` best are re-ranked by the cosine similarity of their whole
title, abstract and keywords to the seeds' centroid (Rocchio's relevant-document centroid), on
the TF-IDF features screening ranks records with. Twenty phrases see only part of what a
paper is about; its whole text sees the rest, so the ten records it picks are more often
ones the review includes. The second stage reads at most :data:`RERANKED` records, whatever
the size of the project. Ties are broken by a hash of the record id, so the order of an
import never decides.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa

from metasummary.query.concepts import Scored, SeedText
from metasummary.store import fulltext
from metasummary.store import records as store_records
from metasummary.store.fulltext import Filter

FEEDBACK_RECORDS = 10
"""Records like the seeds that join them."""
PROFILE_TERMS = 20
"""The seeds' best terms that rank the records."""
RERANKED = 1000
"""Records the terms rank highest that are compared with the seeds as whole texts (a bound on
the work, not a setting: hashing a thousand abstracts takes about a second)."""


def _tiebreak(record_id: int) -> str:
    return hashlib.sha256(str(record_id).encode()).hexdigest()


def by_terms(
    conn: sa.Connection, profile: Sequence[Scored], seeds: Sequence[SeedText]
) -> list[int]:
    """The records (not seeds, not duplicates) using any term of ``profile``, those whose terms
    score highest first."""
    seed_ids = {s.record_id for s in seeds if s.record_id is not None}
    weight: dict[int, float] = defaultdict(float)
    for item in profile:
        if item.score <= 0:
            continue
        flt = Filter(clauses=(item.concept.clause(),))
        for record_id in fulltext.record_ids(conn, flt, unique=True):
            if record_id not in seed_ids:
                weight[record_id] += item.score
    return sorted(weight, key=lambda r: (-weight[r], _tiebreak(r)))


def _text(doc: SeedText) -> str:
    from metasummary.screening.features import record_text

    return record_text(doc.title, doc.abstract, doc.keywords)


def similarity(seeds: Sequence[SeedText], others: Sequence[SeedText]) -> list[float]:
    """Cosine similarity of each of ``others`` to the centroid of ``seeds``, on TF-IDF
    features computed over both (the inverse document frequencies of this sample)."""
    if not seeds or not others:
        return [0.0] * len(others)
    # scikit-learn loads here, not with the query package: `report` and `query test` read the
    # seeds' checks without it (a second of imports).
    from metasummary.screening.features import tfidf_from_texts

    matrix = tfidf_from_texts([_text(d) for d in [*seeds, *others]])
    centroid = np.asarray(matrix[: len(seeds)].mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid))
    if norm == 0.0:
        return [0.0] * len(others)
    scores = matrix[len(seeds) :] @ (centroid / norm)
    return [float(s) for s in np.asarray(scores).ravel()]


def neighbours(
    conn: sa.Connection,
    profile: Sequence[Scored],
    seeds: Sequence[SeedText],
    *,
    limit: int = FEEDBACK_RECORDS,
) -> list[SeedText]:
    """The ``limit`` records (not seeds, not duplicates) most like the seeds: the
    :data:`RERANKED` that ``profile`` ranks highest, re-ranked by :func:`similarity`."""
    candidates = [
        SeedText(r.data.title, r.data.abstract, tuple(r.data.keywords), r.id)
        for r in store_records.get_many(conn, by_terms(conn, profile, seeds)[:RERANKED])
    ]
    scores = similarity(seeds, candidates)
    order = sorted(
        range(len(candidates)),
        key=lambda i: (-scores[i], _tiebreak(candidates[i].record_id or 0)),
    )
    return [candidates[i] for i in order[:limit]]
