"""An estimate of the inclusions still unseen (shown beside the stopping rules, never a rule).

It fits an exponentially decaying rate of inclusions along the screening order (a Poisson
regression on position, by Newton's method) and sums that rate over the records not yet
screened. Active learning front-loads inclusions, so the rate falls as screening goes on;
while it does not fall yet, the estimate is the current rate times the records left, which
is large on purpose. It is a point estimate without a confidence bound: as a stopping rule
("stop when it puts recall at the target") it misses the target in about half of the runs
of ``benchmarks/stopping.py``, so metasummary shows it as a reading only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def inclusions_left(labels: Sequence[int], remaining: int) -> float | None:
    """Estimated inclusions among the ``remaining`` records not yet screened.

    ``None`` before there is anything to fit (no inclusion yet, or fewer than 10 records).
    """
    y = np.asarray(labels, dtype=np.float64)
    if remaining <= 0:
        return 0.0
    if len(y) < 10 or y.sum() == 0:
        return None
    x = np.arange(len(y), dtype=np.float64) / len(y)  # scaled for a well-conditioned fit
    intercept, slope = _poisson_fit(x, y)
    step = 1.0 / len(y)
    start = len(y) * step
    if slope >= -1e-9:
        rate = math.exp(intercept + slope * start)
        return float(min(rate, 1.0) * remaining)
    # Sum of exp(a + b x) over x = start, start + step, ... (remaining terms): geometric.
    first = math.exp(intercept + slope * start)
    ratio = math.exp(slope * step)
    total = first * (1.0 - ratio**remaining) / (1.0 - ratio)
    return float(min(total, remaining))


def _poisson_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Maximum-likelihood (a, b) of y ~ Poisson(exp(a + b x)), lightly regularised."""
    theta = np.array([math.log(max(y.mean(), 1e-6)), 0.0])
    design = np.column_stack([np.ones_like(x), x])
    ridge = np.diag([0.0, 1e-3])
    for _ in range(50):
        mu = np.exp(np.clip(design @ theta, -30.0, 30.0))
        gradient = design.T @ (y - mu) - ridge @ theta
        hessian = design.T @ (design * mu[:, None]) + ridge
        step = np.linalg.solve(hessian, gradient)
        theta = theta + step
        if float(np.abs(step).max()) < 1e-8:
            break
    return float(theta[0]), float(theta[1])
