"""Agreement statistics against published worked examples."""

from __future__ import annotations

import random

import pytest

from metasummary.agreement import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    paired,
    percent_agreement,
)


def cohen_example() -> list[tuple[str, str]]:
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4.
    return [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15


def test_cohen_kappa_worked_example() -> None:
    estimate = cohen_kappa(cohen_example())
    assert estimate.value == pytest.approx(0.4)
    assert estimate.n == 50
    assert estimate.low is not None
    assert estimate.high is not None
    assert estimate.low < 0.4 < estimate.high
    # Cohen (1960) large-sample SE: sqrt(0.7 * 0.3 / (50 * 0.25)) = 0.1296
    assert estimate.high - 0.4 == pytest.approx(1.959964 * 0.129615, abs=1e-4)


def test_percent_agreement_with_wilson_interval() -> None:
    estimate = percent_agreement(cohen_example())
    assert estimate.value == pytest.approx(0.7)
    assert estimate.low == pytest.approx(0.5617, abs=1e-3)
    assert estimate.high == pytest.approx(0.8093, abs=1e-3)


def test_fleiss_kappa_worked_example() -> None:
    # Fleiss (1971) style example: 10 items, 14 raters, 5 categories -> kappa 0.210.
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    items = [[c for c, count in enumerate(row) for _ in range(count)] for row in table]
    estimate = fleiss_kappa(items)
    assert estimate.value == pytest.approx(0.210, abs=5e-4)
    assert estimate.low is not None
    assert estimate.high is not None
    assert estimate.low < estimate.value < estimate.high
    assert fleiss_kappa(items) == estimate  # deterministic bootstrap


def test_krippendorff_alpha_worked_example() -> None:
    # Krippendorff's nominal example: 4 observers, 12 units, missing values -> alpha 0.743.
    units = [
        [1, 1, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4],
        [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [5, 5, 5], [1, 1], [3],
    ]  # fmt: skip
    estimate = krippendorff_alpha(units)
    assert estimate.value == pytest.approx(0.743, abs=5e-4)
    assert estimate.n == 11


def test_two_raters_alpha_close_to_kappa() -> None:
    pairs = cohen_example()
    alpha = krippendorff_alpha([list(p) for p in pairs]).value
    assert alpha is not None
    assert alpha == pytest.approx(0.406, abs=0.01)  # alpha corrects kappa for small samples


def test_undefined_cases_say_why() -> None:
    assert cohen_kappa([]).value is None
    single = cohen_kappa([("y", "y")] * 5)
    assert single.value is None
    assert "one category" in single.note
    assert single.format() == "n/a (every rating in one category)"
    assert krippendorff_alpha([[1]]).value is None


def test_fleiss_needs_equal_counts() -> None:
    with pytest.raises(ValueError, match="same number"):
        fleiss_kappa([[1, 1], [1, 2, 2]])


def test_paired_takes_items_both_rated() -> None:
    ratings = {1: {"R1": "in", "R2": "out"}, 2: {"R1": "in"}, 3: {"R1": "out", "R2": "out"}}
    assert paired(ratings, "R1", "R2") == [("in", "out"), ("out", "out")]


def _alpha_item_by_item(units: list[list[int]]) -> float | None:
    # The coincidence matrix built pair by pair, as Krippendorff (2011) defines it.
    coincidences: dict[tuple[int, int], float] = {}
    for values in units:
        m = len(values)
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidences[(a, b)] = coincidences.get((a, b), 0.0) + 1 / (m - 1)
    marginals: dict[int, float] = {}
    for (a, _), weight in coincidences.items():
        marginals[a] = marginals.get(a, 0.0) + weight
    total = sum(marginals.values())
    observed = sum(w for (a, b), w in coincidences.items() if a != b)
    expected = sum(marginals[a] * marginals[b] for a in marginals for b in marginals if a != b)
    return None if expected == 0 else 1 - observed / (expected / (total - 1))


def _percentile_interval_item_by_item(units: list[list[int]]) -> tuple[float, float]:
    rng = random.Random(1)
    values = []
    for _ in range(1000):
        value = _alpha_item_by_item([units[rng.randrange(len(units))] for _ in units])
        if value is not None:
            values.append(value)
    values.sort()
    return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]


def test_alpha_and_its_interval_match_the_item_by_item_computation() -> None:
    # 300 items, two to four raters, three labels, some disagreement: the statistic from
    # label patterns equals the pairwise definition, and the multinomial bootstrap's
    # interval is the item-by-item bootstrap's up to resampling noise.
    rng = random.Random(5)
    units = []
    for _ in range(300):
        truth = rng.choice([0, 0, 1, 2])
        units.append(
            [
                truth if rng.random() < 0.8 else rng.choice([0, 1, 2])
                for _ in range(rng.randint(2, 4))
            ]
        )
    estimate = krippendorff_alpha(units)
    assert estimate.value == pytest.approx(_alpha_item_by_item(units), abs=1e-12)
    low, high = _percentile_interval_item_by_item(units)
    assert estimate.low == pytest.approx(low, abs=0.02)
    assert estimate.high == pytest.approx(high, abs=0.02)
    assert krippendorff_alpha(units) == estimate  # the same seed, the same interval
