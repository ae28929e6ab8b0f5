"""``metasummary dedup``: run, review with typed answers, link, unlink, groups, show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metasummary import Project
from tests.clirunner import run
from tests.dedupdata import other, paper
from tests.helpers import protocol_text


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "review"
    with Project.init(root, protocol_text=protocol_text()) as project:
        project.add_records("IEEE", [paper(), other(1), paper(title="")])
        project.add_records("Scopus", [paper(pages="548-55"), other(2), other(3, doi="10.1000/a")])
        project.add_records("ACM", [other(3, doi="10.1000/b")])
    return root


def test_dedup_prints_a_summary_and_json(folder: Path) -> None:
    result = run("dedup", "-p", str(folder))
    assert result.exit_code == 0, result.stderr
    assert "records newly linked" in result.stdout
    assert "Next: metasummary dedup review" in result.stdout
    again = run("dedup", "-p", str(folder), "--json")
    data = json.loads(again.stdout)
    assert (data["records"], data["groups"], data["linked"], data["pending"]) == (7, 1, 0, 3)


def test_review_takes_answers_from_input(folder: Path) -> None:
    run("dedup", "-p", str(folder))
    listed = json.loads(run("dedup", "review", "-p", str(folder), "--json").stdout)
    assert len(listed) == 3
    assert {listed[0]["a"]["source"], listed[0]["b"]["source"]} <= {"IEEE", "Scopus", "ACM"}
    result = run("dedup", "review", "-p", str(folder), "--by", "R1", input="a\nr\n")
    assert result.exit_code == 0, result.stderr
    assert "A: record" in result.stdout
    assert "B: record" in result.stdout
    # Accepting the untitled record into the group settles its pair with the other member.
    assert "1 accepted, 1 rejected; 0 pair(s) still waiting" in result.stdout
    assert "No pairs waiting" in run("dedup", "review", "-p", str(folder)).stdout


def test_review_can_stop_early(folder: Path) -> None:
    run("dedup", "-p", str(folder))
    result = run("dedup", "review", "-p", str(folder), input="s\nq\n")
    assert "0 accepted, 0 rejected; 3 pair(s) still waiting" in result.stdout


def test_link_unlink_groups_and_show(folder: Path) -> None:
    run("dedup", "-p", str(folder))
    linked = run("dedup", "link", "2", "5", "-p", str(folder))
    assert linked.exit_code == 0, linked.stderr
    assert "now point at record 2" in linked.stdout
    groups = json.loads(run("dedup", "groups", "-p", str(folder), "--json").stdout)
    assert {"canonical": 2, "members": [2, 5], "sources": ["IEEE", "Scopus"]} in groups
    shown = json.loads(run("dedup", "show", "5", "-p", str(folder), "--json").stdout)
    assert shown["canonical"] == 2
    assert "Record 1 and its group" in run("dedup", "show", "4", "-p", str(folder)).stdout
    assert "sources" in run("dedup", "groups", "-p", str(folder)).stdout
    unlinked = run("dedup", "unlink", "5", "-p", str(folder))
    assert "Unlinked record 5" in unlinked.stdout
    assert "already in one group" in run("dedup", "link", "1", "4", "-p", str(folder)).stdout


def test_user_errors_are_one_line(folder: Path) -> None:
    result = run("dedup", "unlink", "99", "-p", str(folder))
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: record 99: no such record in this review"
    assert run("dedup", "--threshold", "2", "-p", str(folder)).exit_code == 2
