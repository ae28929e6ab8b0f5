"""Scoring models for prioritisation: given labelled rows of a feature matrix, score every row.

Each model is a plain linear classifier over the features; higher scores mean "more likely an
inclusion". A model sees only the labels it is given; choosing them (blind screening) is the
caller's business.
"""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from scipy import linalg, sparse
from scipy.sparse import linalg as sparse_linalg

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


class GramCache:
    """Inner products of the labelled rows, kept between fits and extended row by row."""

    def __init__(self) -> None:
        self._rows: list[int] = []
        self._gram = np.zeros((0, 0))
        self._features: Any = None

    def gram(self, features: Any, rows: Rows) -> npt.NDArray[np.float64]:
        if features is not self._features:
            self._features, self._rows, self._gram = features, [], np.zeros((0, 0))
        wanted = [int(r) for r in rows]
        position = {row: i for i, row in enumerate(self._rows)}
        keep = [position[r] for r in dict.fromkeys(wanted) if r in position]
        new = [r for r in dict.fromkeys(wanted) if r not in position]
        gram = self._gram[np.ix_(keep, keep)]
        order = [self._rows[i] for i in keep]
        if new:
            fresh = features[new]
            cross = _dense(features[order] @ fresh.T) if order else np.zeros((0, len(new)))
            gram = np.block([[gram, cross], [cross.T, _dense(fresh @ fresh.T)]])
            order += new
        self._rows, self._gram = order, gram
        index = {row: i for i, row in enumerate(order)}
        picks = [index[r] for r in wanted]
        return gram[np.ix_(picks, picks)]


class SquaredHingeSvm:
    """A linear SVM with squared hinge loss and balanced sample weights, solved in its dual.

    Minimises ``|w|^2 / 2 + C * sum_i c_i * max(0, 1 - y_i f(x_i))^2`` (the loss and the
    regularised intercept of liblinear's ``LinearSVC``) by the finite Newton method (Keerthi
    and DeCoste 2005): a regularised least-squares fit on the records that violate the
    margin, repeated until that set stops changing. With far fewer labelled records than
    features each fit is one small Cholesky solve over a Gram matrix that is kept between
    calls, which makes retraining after every decision cheap; past ``DUAL_LIMIT`` labels the
    same fit is solved in the primal by LSQR, without the Gram matrix.

    The defaults ``C = 0.11`` and ``ratio = 9.8`` (inclusions weigh 9.8 times the exclusions
    in total) are the values ASReview LAB found by optimisation over the SYNERGY collection
    of 26 reviews for its default model; metasummary uses them as published.

    Args:
        c: Inverse regularisation strength.
        ratio: Total weight of inclusions over total weight of exclusions.
        active_set: Drop records beyond the margin (the SVM); ``False`` fits least squares
            on all of them (a ridge classifier).
    """

    name = "svm"

    def __init__(self, c: float = 0.11, ratio: float = 9.8, *, active_set: bool = True) -> None:
        self.c = c
        self.ratio = ratio
        self.active_set = active_set
        self._cache = GramCache()
        self._violating: dict[int, bool] = {}

    def scores(self, features: Any, rows: Rows, labels: Labels) -> Scores:
        targets = np.where(labels == 1, 1.0, -1.0)
        strength = 2.0 * self.c * balanced_weights(labels, self.ratio)
        # Warm start: the records that violated the margin last time probably still do.
        active = np.array([self._violating.get(int(r), True) for r in rows], dtype=bool)
        if not active.any():
            active[:] = True
        solve = self._dual if len(rows) <= DUAL_LIMIT else self._primal
        for _ in range(MAX_NEWTON_STEPS):
            coef, bias = solve(features, rows, targets, strength, active)
            if not self.active_set:
                break
            margins = targets * (np.asarray(features[rows] @ coef).ravel() + bias)
            violating = margins < 1.0
            if np.array_equal(violating, active) or not violating.any():
                break
            active = violating
        self._violating = {int(r): bool(a) for r, a in zip(rows, active, strict=True)}
        result: Scores = np.asarray(features @ coef).ravel() + bias
        return result

    def _dual(
        self,
        features: Any,
        rows: Rows,
        targets: npt.NDArray[np.float64],
        strength: npt.NDArray[np.float64],
        active: npt.NDArray[np.bool_],
    ) -> tuple[npt.NDArray[np.float64], float]:
        """Regularised least squares on the active rows via the n-by-n Gram matrix."""
        index = np.flatnonzero(active)
        gram = self._cache.gram(features, rows)[np.ix_(index, index)] + 1.0  # + 1: intercept
        system = gram + np.diag(1.0 / strength[index])
        dual = linalg.cho_solve(linalg.cho_factor(system), targets[index])
        coef = np.asarray(features[rows[index]].T @ dual).ravel()
        return coef, float(dual.sum())

    def _primal(
        self,
        features: Any,
        rows: Rows,
        targets: npt.NDArray[np.float64],
        strength: npt.NDArray[np.float64],
        active: npt.NDArray[np.bool_],
    ) -> tuple[npt.NDArray[np.float64], float]:
        """The same fit with many labels: LSQR over the sparse rows (no n-by-n matrix)."""
        index = np.flatnonzero(active)
        scale = np.sqrt(strength[index])
        design = sparse.hstack(
            [features[rows[index]], np.ones((len(index), 1))], format="csr"
        ).multiply(scale[:, None])
        solution = sparse_linalg.lsqr(
            sparse.csr_matrix(design),
            scale * targets[index],
            damp=1.0,
            atol=1e-10,
            btol=1e-10,
        )[0]
        weights = np.asarray(solution, dtype=np.float64)
        return weights[:-1], float(weights[-1])


DUAL_LIMIT = 2000
"""Up to this many labelled records the dual (Gram matrix) is solved; beyond, the primal."""
MAX_NEWTON_STEPS = 30
