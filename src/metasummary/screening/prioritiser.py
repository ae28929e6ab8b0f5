"""The prioritisation core shared by live screening and simulation.

Given the feature matrix of the records in a phase and the labels seen so far, it orders the
records not yet screened, most likely inclusion first ("certainty" sampling). It retrains
after every decision while the labelled set is small, and beyond that after every new
inclusion (what it learns most from) and after every ``k`` new exclusions, with ``k`` a small
share of the labelled set, so a long tail of exclusions does not retrain it at every step.
Ties are broken by a seeded random key, never by the order of the input, and a cold start (no
labels, or no inclusion yet) is random but seeded.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from metasummary.screening.models import Labels, Model, Rows, Scores, SquaredHingeSvm

RETRAIN_EVERY_UNTIL = 500
"""Up to this many labels the model is retrained after every decision (each fit is cheap)."""
RETRAIN_SHARE = 0.02
"""Beyond, and without a new inclusion, retrain once the labelled set grew by this share."""


def default_model() -> Model:
    return SquaredHingeSvm()


class Prioritiser:
    """Orders records for screening from the labels given so far.

    Args:
        features: One row per record (sparse or dense), the same rows the labels refer to.
        model: The scoring model (default: :func:`default_model`).
        seed: Seeds the tie-break and the cold-start order.
    """

    def __init__(self, features: Any, *, model: Model | None = None, seed: int = 0) -> None:
        self.features = features
        self.size = int(features.shape[0])
        self.model = model or default_model()
        self.seed = seed
        self._tiebreak = np.random.default_rng(seed).random(self.size) * 1e-9
        self._scores: Scores | None = None
        self._fitted: tuple[int, int] = (-1, -1)  # labelled, included at the last fit
        self.fits = 0

    def _stale(self, labelled: int, included: int) -> bool:
        if self._scores is None:
            return True
        seen, found = self._fitted
        if included != found or labelled < seen:
            return True
        if labelled <= RETRAIN_EVERY_UNTIL:
            return labelled != seen
        return labelled - seen >= max(1, int(RETRAIN_SHARE * labelled))

    def scores(self, rows: Rows, labels: Labels) -> Scores:
        """A score per record (higher: screen sooner), retrained when the schedule says so."""
        rows = np.asarray(rows, dtype=np.int64)
        labels = np.asarray(labels, dtype=np.int64)
        included = int(labels.sum())
        if not self._stale(len(rows), included):
            assert self._scores is not None
            return self._scores
        if included == 0 or included == len(rows):
            scores = self._cold(rows, labels)
        else:
            scores = self.model.scores(self.features, rows, labels)
            self.fits += 1
        self._scores = scores + self._tiebreak
        self._fitted = (len(rows), included)
        return self._scores

    def _cold(self, rows: Rows, labels: Labels) -> Scores:
        """No classifier yet: near the known inclusions if any, else a seeded random order."""
        if len(rows) and labels.sum() > 0:
            words = getattr(self.features, "tfidf", self.features)  # of an ensemble's views
            centroid = np.asarray(words[rows[labels == 1]].mean(axis=0)).ravel()
            result: Scores = np.asarray(words @ centroid, dtype=np.float64).ravel()
            return result
        return np.random.default_rng(self.seed + 1).random(self.size)

    def order(self, rows: Rows, labels: Labels, candidates: Rows) -> Rows:
        """``candidates`` (row numbers), best first."""
        candidates = np.asarray(candidates, dtype=np.int64)
        scores = self.scores(rows, labels)[candidates]
        ranked: Rows = candidates[np.argsort(-scores, kind="stable")]
        return ranked

    def best(self, rows: Rows, labels: Labels, open_mask: npt.NDArray[np.bool_]) -> int:
        """The single best row among those ``open_mask`` marks (cheaper than a full order)."""
        scores = np.where(open_mask, self.scores(rows, labels), -np.inf)
        return int(np.argmax(scores))
