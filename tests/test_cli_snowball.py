"""``metasummary snowball`` end to end through the CLI, OpenAlex replayed; and ``status``
showing each round as its own row."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project
from metasummary.snowball import service as snowball_service
from tests.clirunner import run
from tests.snowball_walkthrough import walkthrough
from tests.snowballdata import FakeOpenAlex, build_seed_review, by_key, exclude, snowball_protocol


@pytest.fixture
def folder(make_project: Callable[..., Project], monkeypatch: pytest.MonkeyPatch) -> Path:
    project = make_project(snowball_protocol())
    build_seed_review(project)
    monkeypatch.setattr(snowball_service, "make_fetcher", FakeOpenAlex().fetcher)
    assert project.root is not None
    return project.root


def test_a_round_then_rounds_status_and_replay(folder: Path) -> None:
    p = str(folder)
    due = run("snowball", "status", "-p", p)
    assert due.exit_code == 0
    assert "Due: 3 included paper(s) not yet snowballed: round 1 is due" in due.stdout

    started = run("snowball", "-p", p)
    assert started.exit_code == 0, started.stderr
    assert "Snowballing round 1: 8 candidate(s) from 3 included paper(s) (both): 7 new, 1 " in (
        started.stdout
    )
    assert "1 paper(s) not found in OpenAlex" in started.stdout
    assert "Next: screen the new candidates" in started.stdout

    rounds = run("snowball", "rounds", "-p", p, "--json")
    (summary,) = json.loads(rounds.stdout)
    assert {k: summary[k] for k in ("round", "seeds", "candidates", "new", "known", "pending")} == {
        "round": 1,
        "seeds": 3,
        "candidates": 8,
        "new": 7,
        "known": 1,
        "pending": 7,
    }
    table = run("snowball", "rounds", "-p", p).stdout
    assert "Snowballing rounds" in table
    assert " both      FT       3          8   7     1        0        0" in table

    refused = run("snowball", "-p", p)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: round 1 has 7 new candidate(s) left to screen")
    assert "Traceback" not in refused.stderr

    replayed = run("snowball", "replay", "1", "-p", p)
    assert replayed.exit_code == 0
    assert "Round 1 replayed offline (8 cached answer(s)): the same result" in replayed.stdout

    status = run("status", "-p", p)
    lines = status.stdout.splitlines()
    row = next(line for line in lines if line.strip().startswith("Snowballing round 1"))
    assert row.split()[3:5] == ["7", "0"]  # records, duplicates
    data = json.loads(run("status", "-p", p, "--json").stdout)
    assert [(s["name"], s["kind"], s["round"]) for s in data["sources"]] == [
        ("Scopus", "library", None),
        ("Snowballing round 1", "snowball", 1),
    ]


def test_complete_when_a_round_adds_no_inclusion(folder: Path) -> None:
    p = str(folder)
    assert run("snowball", "-p", p, "--direction", "backward", "--json").exit_code == 0
    with Project.open(folder) as project:
        for record_id in by_key(project, "Snowballing round 1").values():
            exclude(project, record_id)
    state = json.loads(
        run("snowball", "status", "-p", p, "--direction", "backward", "--json").stdout
    )
    assert state["due"] is False
    assert state["reason"] == "round 1 added no new inclusion: snowballing is complete"
    refused = run("snowball", "-p", p, "--direction", "backward")
    assert "snowballing is complete; give --force" in refused.stderr


def test_bad_options_are_one_line_errors(folder: Path) -> None:
    p = str(folder)
    wrong = run("snowball", "-p", p, "--direction", "sideways")
    assert wrong.exit_code == 1
    assert wrong.stderr == "error: --direction sideways: use one of backward, forward, both\n"
    none = run("snowball", "-p", p, "--max-per-paper", "0")
    assert none.stderr == "error: --max-per-paper 0: give at least 1\n"
    forward = run("snowball", "-p", p, "--direction", "forward", "--no-openalex")
    assert "forward snowballing needs OpenAlex" in forward.stderr
    missing = run("snowball", "replay", "3", "-p", p)
    assert missing.stderr.startswith("error: round 3: no such round")


def test_the_walkthrough_shows_each_round_as_a_row(tmp_path: Path) -> None:
    shown = walkthrough(tmp_path / "review")
    assert "Due: 1 included paper(s) not yet snowballed: round 2 is due" in shown
    assert "Not due: round 2 added no new inclusion: snowballing is complete" in shown
    assert "Round 1 replayed offline (8 cached answer(s)): the same result" in shown
    status = shown[shown.index("$ metasummary status") :]
    rows = [line.split() for line in status.splitlines() if "Snowballing round" in line]
    assert rows == [
        ["Snowballing", "round", "1", "7", "0", "1", "6", "0", "1", "0", "0"],
        ["Snowballing", "round", "2", "1", "0", "0", "1", "0", "0", "0", "0"],
    ]
