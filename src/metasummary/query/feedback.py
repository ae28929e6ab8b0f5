"""The records most like the seed papers, to learn the review's vocabulary from more than five.

A handful of seeds share few phrases. Pseudo-relevance feedback (Rocchio 1971; the relevance
models of Lavrenko and Croft 2001) widens the sample: the project's records are ranked by the
seeds' best-separating terms (each record scores the sum of the scores of the terms it uses)
and the top :data:`FEEDBACK_RECORDS` join the seeds as the sample whose phrases are scored
against the rest. Ten is the customary feedback depth of relevance-model query expansion
(RM3). Ties are broken by a hash of the record id, so the order of an import never decides.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa

from metasummary.query.concepts import Scored, SeedText
from metasummary.store import fulltext
from metasummary.store import records as store_records
from metasummary.store.fulltext import Filter

FEEDBACK_RECORDS = 10
"""Records like the seeds that join them."""
PROFILE_TERMS = 20
"""The seeds' best terms that rank the records."""


def _tiebreak(record_id: int) -> str:
    return hashlib.sha256(str(record_id).encode()).hexdigest()


def neighbours(
    conn: sa.Connection,
    profile: Sequence[Scored],
    seeds: Sequence[SeedText],
    *,
    limit: int = FEEDBACK_RECORDS,
) -> list[SeedText]:
    """The ``limit`` records (not seeds, not duplicates) that ``profile`` ranks highest."""
    seed_ids = {s.record_id for s in seeds if s.record_id is not None}
    weight: dict[int, float] = defaultdict(float)
    for item in profile:
        if item.score <= 0:
            continue
        flt = Filter(clauses=(item.concept.clause(),))
        for record_id in fulltext.record_ids(conn, flt, unique=True):
            if record_id not in seed_ids:
                weight[record_id] += item.score
    ranked = sorted(weight, key=lambda r: (-weight[r], _tiebreak(r)))[:limit]
    return [
        SeedText(r.data.title, r.data.abstract, tuple(r.data.keywords), r.id)
        for r in store_records.get_many(conn, ranked)
    ]
