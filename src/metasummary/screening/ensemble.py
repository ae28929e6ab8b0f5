"""Two views of a record's text, one scorer each, combined by what has worked in this review.

The TF-IDF SVM (:class:`~metasummary.screening.models.SquaredHingeSvm`) sees which words a
record uses; the same SVM over sentence embeddings (all-MiniLM-L6-v2, the ``semantic``
extra) sees what it is about, so it finds inclusions worded unlike those found so far. Which
view matters more differs from review to review, so neither gets a fixed weight. Each
record's scores from both scorers are kept from the fit *before* its label was known
(prequential scores: honest out-of-sample evidence), standardised over the records not yet
screened; a logistic regression of the labels on those two scores (stacking) gives each
view its weight, clipped at zero. Until there are ``MIN_STACKED`` such records with two
inclusions among them, both views weigh the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from metasummary.screening.models import Labels, Rows, Scores, SquaredHingeSvm

MIN_STACKED = 10
STACK_RIDGE = 1.0
"""L2 penalty on the stacking weights (the labels are few and the scores correlated)."""


@dataclass(frozen=True, slots=True)
class TextViews:
    """The same records as sparse TF-IDF rows and as unit-length sentence embeddings."""

    tfidf: Any
    embeddings: npt.NDArray[np.float64]

    @property
    def shape(self) -> tuple[int, int]:
        return (int(self.tfidf.shape[0]), int(self.tfidf.shape[1]))


def centred(embeddings: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.float64]:
    """Embeddings minus their mean, back to unit length.

    Sentence embeddings of one review share a large common direction (every record is on
    the review's broad topic); without it, similarities tell records apart.
    """
    vectors = np.asarray(embeddings, dtype=np.float64)
    if len(vectors) > 1:
        vectors = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: npt.NDArray[np.float64] = vectors / norms
    return result


def _standardised(scores: Scores, among: npt.NDArray[np.bool_]) -> Scores:
    pool = scores[among] if among.any() else scores
    spread = float(pool.std()) or 1.0
    result: Scores = (scores - float(pool.mean())) / spread
    return result


def stacking_weights(
    scores: npt.NDArray[np.float64], labels: Labels, ridge: float = STACK_RIDGE
) -> npt.NDArray[np.float64]:
    """Weights of a balanced, ridge-penalised logistic regression of ``labels`` on the
    columns of ``scores`` (with an unpenalised intercept), by Newton's method."""
    y = labels.astype(np.float64)
    design = np.column_stack([np.ones(len(y)), scores])
    positives = max(float(y.sum()), 1.0)
    weight = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * max(len(y) - positives, 1)))
    penalty = np.diag([0.0] + [ridge] * scores.shape[1])
    theta = np.zeros(design.shape[1])
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -30, 30)))
        gradient = design.T @ (weight * (y - p)) - penalty @ theta
        hessian = design.T @ (design * (weight * p * (1 - p))[:, None]) + penalty + 1e-9
        step = np.linalg.solve(hessian, gradient)
        theta += step
        if float(np.abs(step).max()) < 1e-8:
            break
    result: npt.NDArray[np.float64] = theta[1:]
    return result


class StackedEnsemble:
    """TF-IDF SVM and embedding SVM, weighted by stacking their prequential scores."""

    name = "ensemble"

    def __init__(self) -> None:
        self.words = SquaredHingeSvm()
        self.meaning = SquaredHingeSvm()
        self._last: npt.NDArray[np.float64] | None = None
        self._prequential = np.zeros((0, 2))
        """Per row: both standardised scores from the last fit before its label was known
        (NaN until it has one)."""
        self.weights = np.array([0.5, 0.5])

    def scores(self, features: Any, rows: Rows, labels: Labels) -> Scores:
        views: TextViews = features
        size = views.shape[0]
        if len(self._prequential) != size:
            self._prequential = np.full((size, 2), np.nan)
        if self._last is not None:
            fresh = rows[np.isnan(self._prequential[rows, 0])]
            self._prequential[fresh] = self._last[fresh]
        open_rows = np.ones(size, dtype=bool)
        open_rows[rows] = False
        words = _standardised(self.words.scores(views.tfidf, rows, labels), open_rows)
        meaning = _standardised(self.meaning.scores(views.embeddings, rows, labels), open_rows)
        self._last = np.column_stack([words, meaning])
        self.weights = self._weights(rows, labels)
        result: Scores = self._last @ self.weights
        return result

    def _weights(self, rows: Rows, labels: Labels) -> npt.NDArray[np.float64]:
        known = ~np.isnan(self._prequential[rows, 0])
        found = int(labels[known].sum())
        if known.sum() < MIN_STACKED or found < 2 or found == known.sum():
            return np.array([0.5, 0.5])
        weights = np.maximum(stacking_weights(self._prequential[rows[known]], labels[known]), 0.0)
        total = float(weights.sum())
        return weights / total if total > 0 else np.array([0.5, 0.5])
