"""Stopping rules: the hypergeometric test, the knee rule, the confirmed rule, in simulation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import hypergeom, nchypergeom_fisher

from metasummary.models import Phase
from metasummary.protocol import StoppingSettings
from metasummary.screening.gain import EXACT_UP_TO, GainCurve
from metasummary.screening.labelled import read_labelled_csv
from metasummary.screening.simulation import simulate
from metasummary.screening.stopping import RULES, History, Target, p_recall_below, rule_named
from metasummary.screening.stopping.confirmed import check_size
from metasummary.screening.stopping.hypergeometric import (
    MAX_URNS,
    lower_tail,
    missed_at_least,
)
from tests.clirunner import run
from tests.test_simulate import write_set


def test_lower_tail_is_the_hypergeometric_distribution() -> None:
    rng = np.random.default_rng(0)
    k, population = rng.integers(0, 6, 40), rng.integers(50, 3000, 40)
    successes, draws = rng.integers(1, 30, 40), rng.integers(1, 50, 40)
    assert np.allclose(
        lower_tail(k, population, successes, draws), hypergeom.cdf(k, population, successes, draws)
    )
    assert np.allclose(
        lower_tail(k, population, successes, draws, 2.0),
        nchypergeom_fisher.cdf(k, population, successes, draws, 2.0),
    )


def test_missed_at_least() -> None:
    assert missed_at_least(15, 0.95) == 1  # 15 of 16 is 93.75 %: one missing is too many
    assert missed_at_least(19, 0.95) == 2  # 19 of 20 meets 95 %
    assert missed_at_least(100, 0.95) == 6


def brute_force(labels: list[int], total: int, target: float) -> float:
    """Every urn, straight from the definition (Callaghan and Müller-Hansen 2020)."""
    found, screened = sum(labels), len(labels)
    best = 1.0
    for n in range(1, screened + 1):
        k = sum(labels[screened - n :])
        missing = int(np.floor(found / target)) + 1 - (found - k)
        population = total - screened + n
        if missing <= population:
            best = min(best, float(hypergeom.cdf(k, population, missing, n)))
    return best


@pytest.mark.parametrize("seed", range(4))
def test_p_value_equals_the_definition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    rates = np.linspace(0.6, 0.0, 300)
    labels = [int(v) for v in rng.random(300) < rates * 0.5]
    for screened in (40, 150, 300):
        prefix = labels[:screened]
        assert p_recall_below(prefix, 600, 0.95) == pytest.approx(brute_force(prefix, 600, 0.95))


def test_a_long_history_tries_fewer_urns_and_is_never_less_cautious() -> None:
    rng = np.random.default_rng(7)
    labels = [int(v) for v in rng.random(1500) < np.linspace(0.5, 0.02, 1500)]
    assert sum(labels) > 2 * MAX_URNS  # more candidate urns than are tried
    for screened in (600, 1500):
        prefix = labels[:screened]
        exact = brute_force(prefix, 3000, 0.95)
        tried = p_recall_below(prefix, 3000, 0.95)
        assert tried >= exact - 1e-12
        assert tried == pytest.approx(exact, abs=0.02)


@pytest.mark.parametrize("rule", ["buscar", "confirmed"])
def test_the_first_stop_of_a_long_history_is_found_without_reading_every_point(rule: str) -> None:
    rng = np.random.default_rng(3)
    size = EXACT_UP_TO + 1000
    labels = [int(v) for v in rng.random(size) < np.where(np.arange(size) < 300, 0.3, 0.0)]
    settings = StoppingSettings(rule=rule)
    curve = GainCurve(
        Phase.TITLE_ABSTRACT, History(labels, [False] * size, size + 400), settings, [], None
    )
    first = curve.first_stop()
    assert first is not None
    assert EXACT_UP_TO // 10 < first < size
    # The first point read at every point before it, as a scan would: none said stop.
    readings = [curve.prefix_says_stop(n) for n in range(1, first + 1)]
    assert readings[-1]
    assert not any(readings[:-1])


def test_the_test_needs_evidence_before_it_says_stop() -> None:
    target = Target(0.95, 0.95)
    found_early = [1] * 20 + [0] * 30
    buscar = rule_named("buscar")
    assert not buscar.read(History.ranked(found_early, 1000), target).stop
    assert buscar.read(History.ranked(found_early + [0] * 900, 1000), target).stop
    reading = buscar.read(History.ranked(found_early, 1000), target)
    assert reading.statement.startswith("go on: p = ")
    assert "that recall is below 95 %" in reading.statement
    assert 0.05 < float(reading.evidence["p"]) <= 1.0  # type: ignore[arg-type]
    # A looser target is reached sooner; no inclusion yet means no stop.
    screened = found_early + [0] * 400
    assert p_recall_below(screened, 1000, 0.8) < p_recall_below(screened, 1000, 0.95)
    assert not buscar.read(History.ranked([0] * 500, 1000), target).stop


def test_check_size() -> None:
    assert check_size(100_000, 0.05) == 29  # 0.9 ** 29 < 0.05 < 0.9 ** 28
    assert check_size(5, 0.05) == 5  # a tiny rest is screened whole
    assert check_size(0, 0.05) == 0


def test_confirmed_rule_asks_for_a_check_then_decides() -> None:
    rule, target = rule_named("confirmed"), Target()
    labels = [1] * 30
    while not (candidate := rule.read(History.ranked(labels, 2000), target)).sample:
        assert not candidate.stop
        labels.append(0)
    # The biased test says "check" well before the unbiased one would stop.
    assert not rule_named("buscar").read(History.ranked(labels + [0] * 100, 2000), target).stop
    assert candidate.sample == check_size(2000 - len(labels), target.alpha)
    assert candidate.statement.startswith("check: ")
    size = candidate.sample
    ranked = [False] * len(labels)
    halfway = History(labels + [0] * 10, ranked + [True] * 10, 2000)
    assert rule.read(halfway, target).sample == size - 10
    clean = History(labels + [0] * size, ranked + [True] * size, 2000)
    assert rule.read(clean, target).stop
    hit = History([*labels, 0, 1], [*ranked, True, True], 2000)
    withdrawn = rule.read(hit, target)
    assert not withdrawn.stop
    assert withdrawn.sample == 0
    assert "found 1 inclusion" in withdrawn.statement
    # After a hit, screening by priority goes on: the next reading is a fresh test.
    assert rule.read(History([*labels, 0, 1, 0], [*ranked, True, True, False], 2000), target)


def test_unknown_rule() -> None:
    with pytest.raises(Exception, match="use one of confirmed, buscar, knee"):
        rule_named("nope")


def test_simulation_records_where_each_rule_stopped(tmp_path: Path) -> None:
    data = read_labelled_csv(write_set(tmp_path / "set.csv", n=400))
    plain = simulate(data, seed=3)
    watched = simulate(data, seed=3, stopping=list(RULES))
    stops = {s.rule: s for s in watched.stops}
    assert set(stops) == set(RULES)
    for stop in stops.values():
        assert stop.stopped_at is None or 2 <= stop.stopped_at <= 400
    confirmed = stops["confirmed"]
    assert confirmed.stopped_at is not None
    assert confirmed.recall == 1.0
    assert sum(watched.random) >= check_size(1, 0.05)  # the check was served
    assert confirmed.work_saved == pytest.approx(1 - confirmed.stopped_at / 400)
    assert stops["buscar"].stopped_at is not None
    assert stops["buscar"].recall == 1.0
    # Without random checks the rules read the plain order.
    alone = simulate(data, seed=3, stopping=["buscar"])
    assert alone.order == plain.order
    assert not any(alone.random)


def test_cli_reports_each_rule(tmp_path: Path) -> None:
    data = write_set(tmp_path / "set.csv", n=300)
    out = tmp_path / "order.csv"
    result = run("simulate", str(data), "--out", str(out), "--stopping", "all", "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [s["rule"] for s in report["stopping"]] == list(RULES)
    assert all("stopped_at" in s for s in report["stopping"])
    table = run("simulate", str(data), "--out", str(out), "--stopping", "buscar")
    assert "buscar: stop after" in table.stdout
    bad = run("simulate", str(data), "--out", str(out), "--recall-target", "95")
    assert bad.exit_code == 1
    assert "--recall-target 95.0" in bad.stderr


def test_the_protocol_names_every_rule() -> None:
    from typing import get_args

    from metasummary.protocol import StoppingSettings

    assert set(get_args(StoppingSettings.model_fields["rule"].annotation)) == set(RULES)
    assert StoppingSettings().rule == "confirmed"
