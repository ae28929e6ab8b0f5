"""When to stop screening: an estimate of the inclusions still unseen, and the knee rule.

Both read the *gain curve*: the labels of the records screened so far, in the order they
were screened (1 = included or maybe, 0 = excluded). Neither decides anything: the tool shows
them and the reviewers decide; no record is ever excluded because of them.

* **Inclusions left** fits an exponentially decaying rate of inclusions along the screening
  order (a Poisson regression on position, by Newton's method) and sums that rate over the
  records not yet screened. Active learning front-loads inclusions, so the rate falls as
  screening goes on; while it does not fall yet, the estimate is the current rate times the
  records left, which is large on purpose.
* **The knee rule** (Cormack and Grossman 2016, "Engineering quality and reliability in
  technology-assisted review", SIGIR): find the knee of the gain curve (the point farthest
  from the straight line between its ends) and compare the inclusion rate before and after
  it. Stopping is suggested once at least 150 records were screened and that slope ratio
  reaches ``156 - min(inclusions, 150)``. In the authors' evaluation this reached high recall
  (a median near 95 %) on collections with many inclusions; with very few inclusions it is
  conservative.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_SCREENED = 150
"""The knee rule never suggests stopping before this many records were screened."""


@dataclass(frozen=True, slots=True)
class KneeAdvice:
    """The knee rule's reading of a gain curve."""

    screened: int
    found: int
    knee: int
    slope_ratio: float
    target_ratio: float
    stop: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "screened": self.screened,
            "found": self.found,
            "knee": self.knee,
            "slope_ratio": round(self.slope_ratio, 2),
            "target_ratio": self.target_ratio,
            "stop": self.stop,
        }


def knee_advice(labels: Sequence[int]) -> KneeAdvice:
    """The knee rule on the labels in screening order."""
    y = np.asarray(labels, dtype=np.float64)
    screened = len(y)
    gain = np.cumsum(y)
    found = int(gain[-1]) if screened else 0
    target = float(156 - min(found, 150))
    if screened == 0 or found == 0:
        return KneeAdvice(screened, found, 0, 0.0, target, False)
    # Distance of each point (i, g(i)) from the line through (0, 0) and (s, g(s)).
    x = np.arange(1, screened + 1, dtype=np.float64)
    distance = (found * x - screened * gain) / math.hypot(found, screened)
    knee = int(np.argmin(distance)) + 1  # the curve bulges above the line
    if knee >= screened:
        return KneeAdvice(screened, found, knee, 0.0, target, False)
    before = gain[knee - 1] / knee
    after = (found - gain[knee - 1] + 1) / (screened - knee)
    ratio = float(before / after)
    return KneeAdvice(
        screened, found, knee, ratio, target, screened >= MIN_SCREENED and ratio >= target
    )


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
