"""Agreement reports per phase and criterion, the queue's blind labels, and the CLI faces."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Phase, Project
from metasummary.agreement import cohen_kappa, percent_agreement
from tests.clirunner import run
from tests.screening_helpers import add_records, screening_protocol

TA = Phase.TITLE_ABSTRACT

# (R1, R2) verdicts and codes on records 1..6.
VOTES = [
    (("include", []), ("include", [])),
    (("exclude", ["E1"]), ("exclude", ["E1"])),
    (("exclude", ["E1"]), ("exclude", ["E2"])),
    (("include", []), ("exclude", ["E2"])),
    (("exclude", ["E2"]), ("exclude", ["E2"])),
    (("maybe", []), ("include", [])),
]


@pytest.fixture
def voted(make_project: Callable[..., Project]) -> Project:
    project = make_project(screening_protocol(mode="dual"))
    add_records(project)
    for record, pair in enumerate(VOTES, start=1):
        for reviewer, (verdict, codes) in zip(("R1", "R2"), pair, strict=True):
            project.screening.decide(
                record, phase=TA, reviewer=reviewer, verdict=verdict, criteria=codes
            )
    return project


def test_pairwise_verdict_and_criterion_agreement(voted: Project) -> None:
    report = voted.screening.agreement(phases=["title-abstract"])[0]
    assert report.items == 6
    assert report.reviewers == ["R1", "R2"]
    (pair,) = report.pairs
    expected = [(a[0], b[0]) for a, b in VOTES]
    assert pair.cohen == cohen_kappa(expected)
    assert pair.percent == percent_agreement(expected)
    assert pair.percent.value == pytest.approx(4 / 6)
    assert pair.percent.low is not None
    assert pair.percent.low < 0.6 < (pair.percent.high or 0)
    by_code = {c.code: c for c in report.criteria}
    assert set(by_code) == {"E1", "E2"}
    e1 = [(("E1" in a[1]), ("E1" in b[1])) for a, b in VOTES]
    assert by_code["E1"].pairs[0].cohen == cohen_kappa(e1)
    assert report.fleiss is None  # two reviewers: Cohen's kappa says it all


def test_three_reviewers_in_rotating_pairs_give_fleiss_and_krippendorff(
    make_project: Callable[..., Project],
) -> None:
    project = make_project(screening_protocol(mode="dual"))
    add_records(project, 12)
    pairs = [("R1", "R2"), ("R2", "R3"), ("R1", "R3")]
    for record in range(1, 13):
        for reviewer in pairs[record % 3]:
            verdict = "include" if record % 2 or (record == 4 and reviewer == "R3") else "exclude"
            codes = ["E1"] if verdict == "exclude" else []
            project.screening.decide(
                record, phase=TA, reviewer=reviewer, verdict=verdict, criteria=codes
            )
    report = project.screening.agreement(phases=[TA])[0]
    assert report.reviewers == ["R1", "R2", "R3"]
    assert len(report.pairs) == 3
    assert report.fleiss is not None
    assert report.fleiss.n == 12
    assert report.krippendorff is not None
    assert report.krippendorff.value is not None
    assert 0.5 < report.krippendorff.value < 1.0
    assert report.criteria[0].krippendorff.n == 12


def test_pilot_only_agreement(make_project: Callable[..., Project]) -> None:
    project = make_project(screening_protocol(mode="dual", pilot_size=3))
    add_records(project)
    sample = project.screening.start_pilot(phase=TA, seed=3)
    for reviewer in ("R1", "R2"):
        queue = project.screening.queue(phase=TA, reviewer=reviewer)
        assert queue.records[:3] == sample.records
        for record in sample.records:
            project.screening.decide(record, phase=TA, reviewer=reviewer, verdict="include")
    other = next(r for r in range(1, 7) if r not in sample.records)
    for reviewer in ("R1", "R2"):
        project.screening.decide(other, phase=TA, reviewer=reviewer, verdict="include")
    assert project.screening.agreement(phases=[TA], pilot_only=True)[0].items == 3
    assert project.screening.agreement(phases=[TA])[0].items == 4


def test_agreement_and_conflicts_commands(voted: Project, tmp_path: Path) -> None:
    folder = str(tmp_path / "review")
    table = run("agreement", "-p", folder, "--phase", "title-abstract")
    assert table.exit_code == 0, table.stderr
    assert "Cohen's kappa" in table.stdout
    assert "R1 × R2" in table.stdout
    assert "Criterion E1" in table.stdout
    data = json.loads(run("agreement", "-p", folder, "--json").stdout)
    assert data[0]["pairs"][0]["cohen_kappa"]["n"] == 6
    conflicts = json.loads(run("conflicts", "list", "-p", folder, "-r", "R3", "--json").stdout)
    assert [c["group"] for c in conflicts] == [4, 6]
    listed = run("conflicts", "list", "-p", folder, "-r", "R3")
    assert "R1: include; R2: exclude E2" in listed.stdout
    resolved = run("conflicts", "resolve", "4", "exclude", "-p", folder, "-r", "R3", "-c", "E2")
    assert resolved.exit_code == 0, resolved.stderr
    assert "now excluded" in resolved.stdout
    bad = run("conflicts", "resolve", "1", "include", "-p", folder, "-r", "R3")
    assert bad.exit_code == 1
    assert "nothing to resolve" in bad.stderr
