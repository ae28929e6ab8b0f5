"""Scoring models for prioritisation: given labelled rows of a feature matrix, score every row.

Each model is a plain linear classifier over the features; higher scores mean "more likely an
inclusion". A model sees only the labels it is given; choosing them (blind screening) is the
caller's business.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from scipy import linalg
from sklearn.svm import LinearSVC

Scores = npt.NDArray[np.float64]
Rows = npt.NDArray[np.int64]
Labels = npt.NDArray[np.int64]


class Model(Protocol):
    """Scores every row of ``features`` from the labelled ``rows``."""

    name: str

    def scores(self, features: Any, rows: Rows, labels: Labels) -> Scores: ...


def _dense(matrix: Any) -> npt.NDArray[np.float64]:
    """A dense array from a sparse or dense product."""
    dense = matrix.toarray() if hasattr(matrix, "toarray") else matrix
    result: npt.NDArray[np.float64] = np.asarray(dense, dtype=np.float64)
    return result


def balanced_weights(labels: Labels, ratio: float) -> npt.NDArray[np.float64]:
    """Sample weights giving the inclusions ``ratio`` times the total weight of exclusions.

    Inclusions are rare; without weights a classifier learns mostly "exclude".
    """
    positives = float(labels.sum())
    negatives = float(len(labels) - positives)
    weights: npt.NDArray[np.float64] = np.where(
        labels == 1, 1.0, positives / (ratio * max(negatives, 1.0))
    )
    return weights * (len(labels) / float(weights.sum()))


class KernelRidge:
    """Regularised least squares in its dual form, with balanced sample weights.

    With far fewer labelled records than features the dual is cheap: an n-by-n Gram matrix
    of the labelled rows (kept between calls, extended row by row) and one Cholesky solve.
    The weight vector is then mapped back to the feature space to score all rows.
    """

    name = "ridge"

    def __init__(self, alpha: float = 1.0, ratio: float = 1.0) -> None:
        self.alpha = alpha
        self.ratio = ratio
        self._rows: list[int] = []
        self._gram = np.zeros((0, 0))
        self._features: Any = None

    def _gram_for(self, features: Any, rows: Rows) -> npt.NDArray[np.float64]:
        if features is not self._features:
            self._features, self._rows, self._gram = features, [], np.zeros((0, 0))
        wanted = [int(r) for r in rows]
        position = {row: i for i, row in enumerate(self._rows)}
        keep = [position[r] for r in wanted if r in position]
        new = [r for r in wanted if r not in position]
        gram = self._gram[np.ix_(keep, keep)]
        if new:
            old_rows = [self._rows[i] for i in keep]
            fresh = features[new]
            cross = _dense(features[old_rows] @ fresh.T) if old_rows else np.zeros((0, len(new)))
            inner = _dense(fresh @ fresh.T)
            gram = np.block([[gram, cross], [cross.T, inner]])
            order = old_rows + new
        else:
            order = [self._rows[i] for i in keep]
        self._rows, self._gram = order, gram
        index = {row: i for i, row in enumerate(order)}
        picks = [index[r] for r in wanted]
        return gram[np.ix_(picks, picks)]

    def scores(self, features: Any, rows: Rows, labels: Labels) -> Scores:
        gram = self._gram_for(features, rows) + 1.0  # + 1: an intercept, regularised
        weights = balanced_weights(labels, self.ratio)
        targets = np.where(labels == 1, 1.0, -1.0)
        system = gram + np.diag(self.alpha / weights)
        dual = linalg.cho_solve(linalg.cho_factor(system), targets)
        coef = np.asarray(features[rows].T @ dual).ravel()
        result: Scores = np.asarray(features @ coef).ravel() + float(dual.sum())
        return result


class LinearSvm:
    """A linear support vector machine (liblinear) with balanced sample weights."""

    name = "svm"

    def __init__(self, c: float = 0.11, ratio: float = 9.8) -> None:
        self.c = c
        self.ratio = ratio

    def scores(self, features: Any, rows: Rows, labels: Labels) -> Scores:
        model = LinearSVC(C=self.c)
        model.fit(features[rows], labels, sample_weight=balanced_weights(labels, self.ratio))
        result: Scores = np.asarray(model.decision_function(features), dtype=np.float64)
        return result


class RankFusion:
    """Several models' scores turned into ranks and averaged: robust where one model fails."""

    name = "fusion"

    def __init__(self, *members: Model) -> None:
        self.members = members

    def scores(self, features: Any, rows: Rows, labels: Labels) -> Scores:
        total = np.zeros(features.shape[0])
        for member in self.members:
            scores = member.scores(features, rows, labels)
            total += np.argsort(np.argsort(scores, kind="stable"), kind="stable")
        result: Scores = total / (len(self.members) * features.shape[0])
        return result
