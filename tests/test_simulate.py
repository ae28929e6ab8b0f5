"""Simulation: the same prioritiser as live screening, replayed on labelled data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from metasummary.errors import InputError
from metasummary.screening.labelled import read_labelled_csv
from metasummary.screening.metrics import OrderMetrics, records_to_recall, rrf, wss
from metasummary.screening.simulation import pick_priors, simulate
from tests.clirunner import run

RELEVANT = "screening prioritisation active learning systematic review"
OTHER = ["protein folding", "street scenes", "bird migration", "soil bacteria", "tax policy"]


def write_set(path: Path, n: int = 60, *, label_column: str = "label_included") -> Path:
    """Inclusions first, as some real files have them: the simulation must not profit."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", label_column])
        for i in range(n):
            included = i < 6
            topic = RELEVANT if included else OTHER[i % len(OTHER)]
            writer.writerow(
                [f"r{i}", f"{topic} study {i}", f"We study {topic} ({i}).", int(included)]
            )
    return path


def test_metrics_by_hand() -> None:
    order = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1]
    assert records_to_recall(order, 1.0) == 10
    assert records_to_recall(order, 0.5) == 3
    assert wss(order, 1.0) == 0.0
    assert rrf(order, 0.1) == pytest.approx(1 / 3)
    assert OrderMetrics.of([1, 1, 0, 0]).to_dict()["wss@100"] == 0.5


def test_priors_are_seeded_and_checked() -> None:
    labels = np.array([1, 0, 0, 1, 0, 0])
    assert pick_priors(labels, 3, 1, 2) == pick_priors(labels, 3, 1, 2)
    first, *rest = pick_priors(labels, 3, 1, 2)
    assert labels[first] == 1
    assert all(labels[r] == 0 for r in rest)
    with pytest.raises(InputError, match="only 2 included"):
        pick_priors(labels, 0, 3, 1)


def test_simulation_finds_the_topic_early_whatever_the_file_order(tmp_path: Path) -> None:
    data = read_labelled_csv(write_set(tmp_path / "set.csv"))
    result = simulate(data, seed=5)
    assert result.order[:2] == result.priors
    assert sorted(result.order) == sorted(data.ids)
    assert result.metrics.to_recall100 <= 8
    assert result.metrics.wss95 > 0.8
    assert simulate(data, seed=5).order == result.order
    # Shuffled file: the same records are found as fast.
    rows = list(zip(data.ids, data.titles, data.abstracts, data.labels, strict=True))
    np.random.default_rng(1).shuffle(rows)  # type: ignore[arg-type]
    shuffled = tmp_path / "shuffled.csv"
    with shuffled.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "title", "abstract", "label_included"])
        writer.writerows(rows)
    again = simulate(read_labelled_csv(shuffled), seed=5)
    assert again.metrics.to_recall100 <= 8


def test_cli_writes_the_order_and_json(tmp_path: Path) -> None:
    data = write_set(tmp_path / "set.csv", label_column="relevant")
    out = tmp_path / "order.csv"
    result = run(
        "simulate", str(data), "--label-column", "relevant", "--seed", "2",
        "--prior-included", "2", "--prior-excluded", "3", "--out", str(out), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("wss@95", "wss@100", "rrf@10", "records_to_95_recall", "records_to_100_recall",
                "wall_time_s"):  # fmt: skip
        assert key in report
    assert len(report["priors"]) == 5
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 60
    assert [r["record_id"] for r in rows[:5]] == report["priors"]
    table = run("simulate", str(data), "--label-column", "relevant", "--out", str(out))
    assert "WSS@95" in table.stdout


def test_cli_json_needs_no_out_file(tmp_path: Path) -> None:
    data = write_set(tmp_path / "set.csv", label_column="relevant")
    result = run("simulate", str(data), "--label-column", "relevant", "--seed", "2", "--json")
    assert result.exit_code == 0, result.stderr
    assert "wss@95" in json.loads(result.stdout)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["set.csv"]


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("title,abstract,label_included\na,b,yes\n", [], "label_included is 'yes', not 0 or 1"),
        ("title,abstract,label_included\na,b,2\n", [], "set.csv:2: label_included is '2'"),
        ("title,abstract,label\na,b,1\n", [], "no column 'label_included'"),
        ("title,summary,label_included\na,b,1\n", [], "no column 'abstract'"),
        ("title,abstract,label_included\na,b,1\nc,d,1\n", [], "needs at least one 1 and one 0"),
        ("title,abstract,label_included\na,b,1\nc,d,0\n", ["--prior-included", "2"], "only 1"),
        ("record_id,title,abstract,label_included\n7,a,b,1\n7,c,d,0\n", [], "'7' appears twice"),
    ],
)
def test_bad_data_is_one_line_and_writes_nothing(
    tmp_path: Path, content: str, args: list[str], message: str
) -> None:
    data = tmp_path / "set.csv"
    data.write_text(content, encoding="utf-8")
    out = tmp_path / "order.csv"
    result = run("simulate", str(data), "--out", str(out), *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()


def test_a_real_shared_set_runs(shared_data: Path, tmp_path: Path) -> None:
    source = shared_data / "screening" / "synergy_donners_2021" / "records_with_text.csv"
    result = simulate(read_labelled_csv(source, id_column="openalex_id"), seed=1)
    assert result.metrics.records == 258
    assert result.metrics.inclusions == 15
    assert result.metrics.wss95 > 0.3  # random order saves nothing; ASReview gets about 0.57
