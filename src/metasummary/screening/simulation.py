"""Replaying a labelled data set through the prioritisation core, as a reviewer would.

A few known records (the priors, drawn with the seed) are labelled first; then the record
the :class:`~metasummary.screening.prioritiser.Prioritiser` ranks highest is "screened" and
its true label revealed, until every inclusion is found. The records left after that follow
the last model's ranking. The same prioritiser orders the queue in live screening.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from metasummary.errors import InputError
from metasummary.screening.labelled import LabelledSet
from metasummary.screening.metrics import OrderMetrics
from metasummary.screening.prioritiser import Prioritiser
from metasummary.screening.vectors import FEATURE_KINDS, features_for


@dataclass(frozen=True, slots=True)
class SimulationResult:
    dataset: str
    seed: int
    features: str
    priors: list[str]
    order: list[str]
    """Record ids in the order screened (priors first)."""
    metrics: OrderMetrics
    fits: int
    wall_time: float
    """Seconds for features, training and ranking (reading the file not included)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "seed": self.seed,
            "features": self.features,
            "priors": list(self.priors),
            **self.metrics.to_dict(),
            "model_fits": self.fits,
            "wall_time_s": round(self.wall_time, 3),
        }


def pick_priors(
    labels: npt.NDArray[np.int64], seed: int, included: int, excluded: int
) -> list[int]:
    """Rows of ``included`` inclusions and ``excluded`` exclusions, drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    chosen: list[int] = []
    for value, count, what in ((1, included, "included"), (0, excluded, "excluded")):
        pool = np.flatnonzero(labels == value)
        if count > len(pool):
            raise InputError(
                f"--prior-{what} {count}: the data set has only {len(pool)} {what} records"
            )
        chosen += [int(r) for r in rng.choice(pool, size=count, replace=False)]
    return chosen


def simulate(
    data: LabelledSet,
    *,
    seed: int = 0,
    prior_included: int = 1,
    prior_excluded: int = 1,
    features: str = "tfidf",
) -> SimulationResult:
    """Screen ``data`` in the order the prioritiser chooses; see the module docstring."""
    if features not in FEATURE_KINDS:
        raise InputError(f"features {features!r}: unknown; use {' or '.join(FEATURE_KINDS)}")
    if prior_included < 0 or prior_excluded < 0:
        raise InputError("--prior-included and --prior-excluded cannot be negative")
    priors = pick_priors(data.labels, seed, prior_included, prior_excluded)
    started = time.perf_counter()
    matrix = features_for(features, data.titles, data.abstracts)
    prioritiser = Prioritiser(matrix, seed=seed)
    labels = data.labels
    total = int(labels.sum())
    screened = list(priors)
    seen = [int(labels[r]) for r in priors]
    open_mask = np.ones(len(data), dtype=bool)
    open_mask[priors] = False
    found = sum(seen)
    while found < total and open_mask.any():
        best = prioritiser.best(np.asarray(screened), np.asarray(seen), open_mask)
        screened.append(best)
        seen.append(int(labels[best]))
        open_mask[best] = False
        found += seen[-1]
    rest = np.flatnonzero(open_mask)
    if len(rest):
        tail = prioritiser.order(np.asarray(screened), np.asarray(seen), rest)
        screened += [int(r) for r in tail]
    elapsed = time.perf_counter() - started
    return SimulationResult(
        dataset=data.name,
        seed=seed,
        features=features,
        priors=[data.ids[r] for r in priors],
        order=[data.ids[r] for r in screened],
        metrics=OrderMetrics.of([int(labels[r]) for r in screened]),
        fits=prioritiser.fits,
        wall_time=elapsed,
    )
