"""Replaying a labelled data set through the prioritisation core, as a reviewer would.

A few known records (the priors, drawn with the seed) are labelled first; then the record
the :class:`~metasummary.screening.prioritiser.Prioritiser` ranks highest is "screened" and
its true label revealed, until every inclusion is found. The records left after that follow
the last model's ranking. The same prioritiser orders the queue in live screening.

Stopping rules given by name read the history after every record, as they would in a
review; a rule that asks for a random check is served records drawn at random (seeded) from
the unscreened ones, marked as such. Screening goes on past the last inclusion (all the
records left are exclusions) until every rule said stop, so each rule's first "stop" is
known: ``stopped_at`` counts the records screened then, random ones included.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from metasummary.errors import InputError
from metasummary.screening.labelled import LabelledSet
from metasummary.screening.metrics import OrderMetrics
from metasummary.screening.prioritiser import Prioritiser
from metasummary.screening.stopping import History, Reading, Rule, Target, rule_named
from metasummary.screening.vectors import FEATURE_KINDS, features_for, model_for, resolve


@dataclass(frozen=True, slots=True)
class RuleStop:
    """Where one stopping rule first said stop in a simulation, and what that cost."""

    rule: str
    stopped_at: int | None
    """Records screened when the rule first said stop (``None``: it never did)."""
    recall: float
    """Share of the inclusions found by then (1.0 if it never stopped: all were screened)."""
    work_saved: float
    """Share of the records left unscreened by then."""
    reading: Reading | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "stopped_at": self.stopped_at,
            "recall_at_stop": round(self.recall, 4),
            "work_saved_at_stop": round(self.work_saved, 4),
            "statement": None if self.reading is None else self.reading.statement,
        }


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
    random: list[bool]
    """Per position of ``order``: drawn at random for a stopping rule's check."""
    stops: list[RuleStop]

    def to_dict(self) -> dict[str, Any]:
        stops = {"stopping": [s.to_dict() for s in self.stops]} if self.stops else {}
        return {
            "dataset": self.dataset,
            "seed": self.seed,
            "features": self.features,
            "priors": list(self.priors),
            **self.metrics.to_dict(),
            "model_fits": self.fits,
            "wall_time_s": round(self.wall_time, 3),
            **stops,
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


class _Watch:
    """The stopping rules of a simulation, read after every record until each said stop."""

    def __init__(self, rules: list[Rule], target: Target, size: int) -> None:
        self.rules = rules
        self.target = target
        self.size = size
        self.stops: dict[str, tuple[int, Reading]] = {}
        self.wanted = 0
        """Random records some rule asks for next."""

    @property
    def done(self) -> bool:
        return len(self.stops) == len(self.rules)

    def read(self, labels: list[int], random: list[bool]) -> None:
        history = History(labels, random, self.size)
        self.wanted = 0
        for rule in self.rules:
            if rule.name not in self.stops:
                reading = rule.read(history, self.target)
                if reading.stop:
                    self.stops[rule.name] = (len(labels), reading)
                else:
                    self.wanted = max(self.wanted, reading.sample)

    def results(self, labels: list[int]) -> list[RuleStop]:
        total = sum(labels)
        found = np.cumsum(labels)
        stops = []
        for rule in self.rules:
            at, reading = self.stops.get(rule.name, (None, None))
            recall = 1.0 if at is None else float(found[at - 1]) / total
            saved = 0.0 if at is None else 1.0 - at / len(labels)
            stops.append(RuleStop(rule.name, at, recall, saved, reading))
        return stops


def simulate(
    data: LabelledSet,
    *,
    seed: int = 0,
    prior_included: int = 1,
    prior_excluded: int = 1,
    features: str = "auto",
    stopping: Sequence[str] = (),
    target: Target | None = None,
    cache: Path | None = None,
) -> SimulationResult:
    """Screen ``data`` in the order the prioritiser chooses; see the module docstring.

    ``features`` is a kind of :mod:`~metasummary.screening.vectors` (``auto``: the ensemble
    when the ``semantic`` extra is installed, else TF-IDF); ``cache`` a file keeping the
    sentence embeddings between runs on the same texts.
    """
    if features not in FEATURE_KINDS:
        raise InputError(f"features {features!r}: unknown; use {', '.join(FEATURE_KINDS)}")
    features = resolve(features)
    if prior_included < 0 or prior_excluded < 0:
        raise InputError("--prior-included and --prior-excluded cannot be negative")
    rules = [rule_named(name) for name in dict.fromkeys(stopping)]
    priors = pick_priors(data.labels, seed, prior_included, prior_excluded)
    started = time.perf_counter()
    matrix = features_for(features, data.titles, data.abstracts, cache=cache)
    prioritiser = Prioritiser(matrix, model=model_for(features), seed=seed)
    draws = np.random.default_rng([seed, 1])  # the random checks, apart from the priors
    labels = data.labels
    total = int(labels.sum())
    screened = list(priors)
    seen = [int(labels[r]) for r in priors]
    random = [False] * len(priors)
    watch = _Watch(rules, target or Target(), len(data)) if rules else None
    open_mask = np.ones(len(data), dtype=bool)
    open_mask[priors] = False
    found = sum(seen)

    def take(row: int, drawn: bool) -> None:
        screened.append(row)
        seen.append(int(labels[row]))
        random.append(drawn)
        open_mask[row] = False
        if watch is not None:
            watch.read(seen, random)

    if watch is not None:
        watch.read(seen, random)
    while found < total and open_mask.any():
        if watch is not None and watch.wanted:
            take(int(draws.choice(np.flatnonzero(open_mask))), True)
        else:
            take(prioritiser.best(np.asarray(screened), np.asarray(seen), open_mask), False)
        found += seen[-1]
    rest = np.flatnonzero(open_mask)
    if len(rest):
        tail = [int(r) for r in prioritiser.order(np.asarray(screened), np.asarray(seen), rest)]
        # Every inclusion is found: the rules that have not stopped yet read exclusions.
        while watch is not None and not watch.done and open_mask.any():
            if watch.wanted:
                take(int(draws.choice(np.flatnonzero(open_mask))), True)
            else:
                take(next(r for r in tail if open_mask[r]), False)
        screened += [r for r in tail if open_mask[r]]
        random += [False] * (len(screened) - len(random))
    elapsed = time.perf_counter() - started
    in_order = [int(labels[r]) for r in screened]
    return SimulationResult(
        dataset=data.name,
        seed=seed,
        features=features,
        priors=[data.ids[r] for r in priors],
        order=[data.ids[r] for r in screened],
        metrics=OrderMetrics.of(in_order),
        fits=prioritiser.fits,
        wall_time=elapsed,
        random=random,
        stops=[] if watch is None else watch.results(in_order),
    )
