"""Stopping in a review: the team's gain curve, random checks, the decision to stop, the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project
from metasummary.errors import InputError
from metasummary.screening.stopping import RULES, Reading
from metasummary.screening.stopping.confirmed import ConfirmedRule
from tests.clirunner import run
from tests.screening_helpers import add_records, screening_protocol


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    made = make_project(screening_protocol())
    add_records(made, 30)
    return made


def decide(project: Project, records: list[int], verdict: str, **options: bool) -> None:
    for record in records:
        criteria = ["E1"] if verdict == "exclude" else []
        project.screening.decide(
            record,
            phase="title-abstract",
            reviewer="R1",
            verdict=verdict,
            criteria=criteria,
            **options,  # type: ignore[arg-type]
        )


def test_the_gain_curve_follows_the_order_groups_were_settled(project: Project) -> None:
    decide(project, [3, 1], "include")
    decide(project, [2, 4, 5], "exclude")
    decide(project, [6], "maybe")
    curve = project.screening.stopping("title-abstract")
    assert list(curve.history.labels) == [1, 1, 0, 0, 0, 1]
    assert curve.history.total == 30
    assert not any(curve.history.random)
    assert [r.rule for r in curve.readings] == list(RULES)
    assert curve.followed.rule == "confirmed"
    assert curve.to_dict()["statement"].startswith("go on: ")
    assert curve.decision is None


def test_the_queue_serves_and_marks_a_random_check(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    decide(project, [1, 2], "include")
    decide(project, [3, 4], "exclude")

    def asks(self: ConfirmedRule, history: object, target: object) -> Reading:
        drawn = sum(history.random)  # type: ignore[attr-defined]
        return Reading("confirmed", drawn >= 3, "check", sample=max(0, 3 - drawn))

    monkeypatch.setattr(ConfirmedRule, "read", asks)
    queue = project.screening.queue(phase="title-abstract", reviewer="R1")
    assert len(queue.check) == 3
    assert queue.records[:3] == queue.check
    assert queue.progress.stopping is not None
    assert queue.to_dict()["random_check"] == queue.check
    again = project.screening.queue(phase="title-abstract", reviewer="R1")
    assert again.check == queue.check  # the same draw while the check is screened
    first, *others = queue.check
    decide(project, [first], "exclude", random_check=True)
    after = project.screening.queue(phase="title-abstract", reviewer="R1")
    assert after.check == others
    decide(project, others, "exclude", random_check=True)
    curve = project.screening.stopping("title-abstract")
    assert list(curve.history.random) == [False] * 4 + [True] * 3
    done = project.screening.queue(phase="title-abstract", reviewer="R1")
    assert done.check == []
    assert done.progress.stopping is not None
    assert done.progress.stopping.stop


def test_the_decision_to_stop_is_logged_with_the_reading(project: Project, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no record is decided there yet"):
        project.screening.stop(phase="title-abstract", reviewer="R1")
    decide(project, [1, 2], "include")
    decide(project, list(range(3, 31)), "exclude")
    decision = project.screening.stop(phase="title-abstract", reviewer="R2", note="agreed")
    assert decision.actor == "R2"
    assert decision.screened == 30
    assert decision.rule == "confirmed"
    assert decision.statement.startswith("stop: ")
    curve = project.screening.stopping("title-abstract")
    assert curve.decision == decision
    assert curve.first_stop() is not None
    content = project.report.content()
    (section,) = [s for s in content.stopping if s.phase == "title-abstract"]
    assert "R2 decided to stop after 30 records" in section.sentence
    assert "(agreed)" in section.sentence
    assert section.chart.draw(("svg",)).files["svg"].startswith(b"<?xml")
    written = project.report.write(tmp_path / "report", formats=["markdown"])
    markdown = (written.folder / "report.md").read_text(encoding="utf-8")
    assert "When screening stopped" in markdown
    assert "R2 decided to stop after 30 records" in markdown
    assert (written.folder / "figures" / "gain-title-abstract.svg").exists()


def test_cli_shows_the_readings_and_records_the_stop(project: Project) -> None:
    decide(project, [1], "include")
    decide(project, [2, 3], "exclude")
    folder = str(project.review.root)
    shown = run("stopping", "-p", folder)
    assert shown.exit_code == 0, shown.stderr
    assert "confirmed (followed): go on" in shown.stdout
    assert "knee: go on" in shown.stdout
    stopped = run("stop", "-p", folder, "--reviewer", "R1", "--json")
    assert stopped.exit_code == 0, stopped.stderr
    assert '"decided_by": "R1"' in stopped.stdout
    assert "stopped by R1" in run("stopping", "-p", folder).stdout
    bad = run("stop", "-p", folder, "--reviewer", "R9")
    assert bad.exit_code == 1
    assert bad.stderr.count("\n") == 1
