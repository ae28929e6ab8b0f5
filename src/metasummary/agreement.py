"""Inter-rater agreement: percent agreement, Cohen's and Fleiss' kappa, Krippendorff's alpha.

Used for dual screening (include / exclude / maybe, per phase and per criterion) and for two
coders sorting findings into themes. Labels are any hashable values (nominal scale).

Confidence intervals:

* percent agreement: Wilson score interval;
* Cohen's kappa: the large-sample standard error of Cohen (1960),
  ``sqrt(po (1 - po) / (n (1 - pe)^2))``;
* Fleiss' kappa and Krippendorff's alpha: a percentile bootstrap over items with a fixed seed,
  so the same ratings always give the same interval.

When agreement is undefined (every rating in one category, or too few items), the estimate's
``value`` is ``None`` and ``note`` says why, rather than a misleading 0 or 1.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

from metasummary import numbers

Z95 = 1.959963984540054
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 20230515


@dataclass(frozen=True, slots=True)
class Estimate:
    """A statistic with its 95 % confidence interval over ``n`` items."""

    value: float | None
    low: float | None
    high: float | None
    n: int
    note: str = ""

    def format(self, *, proportion: bool = False) -> str:
        """In the one number style (:mod:`metasummary.numbers`): ``0.82 [0.71, 0.93]``, or
        ``94.1 % [90.2, 96.5]`` for a proportion."""
        return numbers.estimate(self, proportion=proportion)


def _undefined(n: int, note: str) -> Estimate:
    return Estimate(None, None, None, n, note)


def percent_agreement(pairs: Sequence[tuple[Hashable, Hashable]]) -> Estimate:
    """Share of items on which two raters gave the same label."""
    n = len(pairs)
    if n == 0:
        return _undefined(0, "no items rated by both")
    p = sum(1 for a, b in pairs if a == b) / n
    denominator = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> Estimate:
    """Cohen's kappa for two raters who rated the same items."""
    n = len(pairs)
    if n == 0:
        return _undefined(0, "no items rated by both")
    po = sum(1 for a, b in pairs if a == b) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    pe = sum(first[label] * second[label] for label in first) / (n * n)
    if math.isclose(pe, 1.0):
        return _undefined(n, "every rating in one category")
    kappa = (po - pe) / (1 - pe)
    se = math.sqrt(po * (1 - po) / (n * (1 - pe) ** 2))
    return Estimate(kappa, max(-1.0, kappa - Z95 * se), min(1.0, kappa + Z95 * se), n)


def _fleiss(items: Sequence[Sequence[Hashable]]) -> float | None:
    m = len(items[0])
    n = len(items)
    totals: Counter[Hashable] = Counter()
    p_items = 0.0
    for labels in items:
        counts = Counter(labels)
        totals.update(counts)
        p_items += (sum(c * c for c in counts.values()) - m) / (m * (m - 1))
    p_bar = p_items / n
    p_e = sum((t / (n * m)) ** 2 for t in totals.values())
    if math.isclose(p_e, 1.0):
        return None
    return (p_bar - p_e) / (1 - p_e)


def fleiss_kappa(items: Sequence[Sequence[Hashable]]) -> Estimate:
    """Fleiss' kappa: each item rated by the same number (>= 2) of raters."""
    usable = [list(labels) for labels in items if len(labels) >= 2]
    if not usable:
        return _undefined(0, "no item rated by two or more")
    sizes = {len(labels) for labels in usable}
    if len(sizes) != 1:
        raise ValueError("Fleiss' kappa needs the same number of ratings per item")
    value = _fleiss(usable)
    if value is None:
        return _undefined(len(usable), "every rating in one category")
    low, high = _bootstrap(usable, _fleiss)
    return Estimate(value, low, high, len(usable))


def _alpha(units: Sequence[Sequence[Hashable]]) -> float | None:
    # Coincidence matrix for nominal data (Krippendorff 2011): each ordered pair of values
    # within a unit of m values contributes 1 / (m - 1).
    coincidences: dict[tuple[Hashable, Hashable], float] = {}
    for values in units:
        m = len(values)
        counts = Counter(values)
        for a, ca in counts.items():
            for b, cb in counts.items():
                pairs = ca * (ca - 1) if a == b else ca * cb
                if pairs:
                    coincidences[(a, b)] = coincidences.get((a, b), 0.0) + pairs / (m - 1)
    n_c: dict[Hashable, float] = {}
    for (a, _), weight in coincidences.items():
        n_c[a] = n_c.get(a, 0.0) + weight
    total = sum(n_c.values())
    if total <= 1:
        return None
    observed = sum(w for (a, b), w in coincidences.items() if a != b)
    expected = sum(n_c[a] * n_c[b] for a in n_c for b in n_c if a != b) / (total - 1)
    if math.isclose(expected, 0.0):
        return None
    return 1 - observed / expected


def krippendorff_alpha(units: Sequence[Sequence[Hashable]]) -> Estimate:
    """Krippendorff's alpha (nominal) for any number of raters; missing ratings allowed.

    Each unit lists the labels it received; units with fewer than two are not pairable and
    are left out, as the method prescribes.
    """
    usable = [list(values) for values in units if len(values) >= 2]
    if not usable:
        return _undefined(0, "no item rated by two or more")
    value = _alpha(usable)
    if value is None:
        return _undefined(len(usable), "every rating in one category")
    low, high = _bootstrap(usable, _alpha)
    return Estimate(value, low, high, len(usable))


def _bootstrap(
    items: Sequence[Sequence[Hashable]],
    statistic: Callable[[Sequence[Sequence[Hashable]]], float | None],
) -> tuple[float | None, float | None]:
    rng = random.Random(BOOTSTRAP_SEED)
    n = len(items)
    values = []
    for _ in range(BOOTSTRAP_SAMPLES):
        sample = [items[rng.randrange(n)] for _ in range(n)]
        value = statistic(sample)
        if value is not None:
            values.append(value)
    if len(values) < BOOTSTRAP_SAMPLES // 2:
        return None, None
    values.sort()
    return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]


def paired(
    ratings: Mapping[Hashable, Mapping[Hashable, Hashable]], first: Hashable, second: Hashable
) -> list[tuple[Hashable, Hashable]]:
    """The (first, second) label pairs on items both raters rated.

    ``ratings`` maps an item to {rater: label}.
    """
    return [
        (by_rater[first], by_rater[second])
        for by_rater in ratings.values()
        if first in by_rater and second in by_rater
    ]
