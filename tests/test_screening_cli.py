"""The non-interactive screening commands: decide, undo, queue, pilot."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project
from metasummary.store import decisions as store_decisions
from tests.clirunner import run
from tests.screening_helpers import screening_project


@pytest.fixture
def folder(make_project: Callable[..., Project], tmp_path: Path) -> str:
    screening_project(make_project, pilot_size=2)
    return str(tmp_path / "review")


def count(folder: str) -> int:
    with Project.open(folder) as project, project.store.read() as conn:
        return store_decisions.count(conn)


def test_decide_undo_and_queue(folder: str) -> None:
    result = run("decide", "3", "include", "-p", folder, "--reviewer", "R1", "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["state"] == "included"
    excluded = run("decide", "4", "e", "-p", folder, "-r", "R1", "--criteria", "E1,E2")
    assert "now excluded" in excluded.stdout
    queue = json.loads(run("queue", "-p", folder, "-r", "R1", "--json", "--limit", "3").stdout)
    assert len(queue["records"]) == 3
    assert 3 not in queue["records"]
    assert 4 not in queue["records"]
    assert queue["progress"]["screened"] == 2
    assert queue["progress"]["since_last_inclusion"] == 1
    # The record most like the inclusion ("Software engineering for AI systems") comes first.
    assert queue["records"][0] == 5
    table = run("queue", "-p", folder, "-r", "R1")
    assert "screened" in table.stdout
    assert "Requirements for ML-enabled" in table.stdout
    undone = run("undo", "-p", folder, "-r", "R1")
    assert "record 4" in undone.stdout
    assert "undecided" in undone.stdout
    assert count(folder) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["decide", "3", "exclude", "-r", "R1"], "an exclusion needs a criterion code"),
        (["decide", "3", "exclude", "-r", "R1", "-c", "X9"], "criterion 'X9': not in the protocol"),
        (["decide", "3", "include", "-r", "Nobody"], "reviewer 'Nobody': not in the protocol"),
        (["decide", "3", "include", "-r", "R1", "--phase", "final"], "phase 'final': unknown"),
        (["decide", "3", "include", "-r", "R1", "--phase", "ft"], "record 3: not in full-text"),
        (["decide", "77", "include", "-r", "R1"], "record 77: no such record"),
        (["undo", "-r", "R1"], "R1 has no vote at title-abstract to undo"),
        (["pilot", "--phase", "ft"], "full-text: give --size N"),
        (["queue", "-r", "R1", "--features", "bogus"], "features 'bogus': unknown"),
    ],
)
def test_bad_input_is_one_line_exit_1_and_writes_nothing(
    folder: str, args: list[str], message: str
) -> None:
    result = run(*args, "-p", folder)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert count(folder) == 0


def test_pilot_command(folder: str) -> None:
    drawn = json.loads(run("pilot", "-p", folder, "--seed", "4", "--json").stdout)
    assert len(drawn["records"]) == 2
    queue = json.loads(run("queue", "-p", folder, "-r", "R2", "--json").stdout)
    assert queue["pilot"] == drawn["records"] == queue["records"][:2]
    again = run("pilot", "-p", folder)
    assert again.exit_code == 1
    assert "already drawn" in again.stderr
