"""The synthesis commands end to end through the CLI: a review that starts from a sheet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from metasummary import Project
from tests.clirunner import run
from tests.synthesis_data import synthesis_protocol

TALK = [
    ["#", "Title", "Year", "Study Method", "study_type", "practitioners", "Challenges"],
    [
        "1",
        "Understanding Development Process of ML Systems",
        "2019",
        "Interviews",
        "interview",
        "7",
        "- Identifying business metrics is not trivial\n- Undefined process\n- No test oracle",
    ],
    [
        "6",
        "Characterizing and Detecting Mismatch",
        "2021",
        "Interviews and survey",
        "both",
        "unspecified",
        "- incorrect assumptions about the trained model (36%)\n- no test oracle for the model",
    ],
]


@pytest.fixture
def review(tmp_path: Path) -> Path:
    folder = tmp_path / "review"
    Project.init(folder, protocol_text=synthesis_protocol()).close()
    sheet = tmp_path / "talk.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(TALK)
    return folder


def ok(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_from_sheet_to_summary(review: Path, tmp_path: Path) -> None:
    p = ["-p", str(review)]
    sheet = str(tmp_path / "talk.csv")
    assert "added 2 paper(s)" in ok("extract", "import", sheet, "--add-papers", *p)
    out = ok("findings", "import", sheet, "--split", "lines", *p)
    assert "5 finding(s) from 2 row(s)" in out
    listed = json.loads(ok("findings", "list", "--json", *p))
    assert [f["text"] for f in listed][:2] == [
        "Identifying business metrics is not trivial",
        "Undefined process",
    ]
    assert "Created theme 1 'No test oracle' in QA" in ok(
        "sort", "theme-create", "QA", "No test oracle", "--point", "silent mistakes", *p
    )
    ok("sort", "theme-create", "REQ", "Business metrics", *p)
    ok("sort", "move", "3", "5", "--to", "1", *p)
    ok("sort", "move", "1", "--to", "2", *p)
    ok("sort", "theme-rename", "2", "Unclear business metrics", *p)
    ok("sort", "theme-describe", "2", "--description", "customers want metrics", *p)
    board = json.loads(ok("sort", "show", "--json", *p))
    qa = next(s for s in board["stages"] if s["code"] == "QA")
    assert (qa["themes"][0]["papers"], len(qa["themes"][0]["findings"])) == (2, 2)
    assert "1 paper(s), 1 finding(s)" in ok("sort", "show", "--findings", *p)

    summary = json.loads(ok("summary", "--json", *p))
    assert summary["included_papers"] == 2
    themes = {t["label"]: t for s in summary["stages"] for t in s["themes"]}
    assert themes["No test oracle"]["frequency"] == 2
    assert themes["No test oracle"]["frequency_effect"] == 1.0
    practitioners = next(f for f in summary["corpus"]["fields"] if f["name"] == "practitioners")
    assert practitioners["total_label"] == "7+"
    text = ok("summary", "--papers", *p)
    assert "No test oracle (2x)" in text
    assert "7+ over 1 paper(s); 1 do not say" in text

    suggestions = json.loads(ok("suggest", "--json", *p))
    assert {s["finding_id"] for s in suggestions["suggestions"]} == {2, 4}
    assert "learnt from 3 sorted finding(s)" in ok("suggest", "2", "--no-duplicates", *p)

    history = ok("sort", "history", *p)
    assert "described theme 2" in history
    assert "Undid: described theme 2" in ok("sort", "undo", *p)
    assert json.loads(ok("sort", "history", "--json", *p))[0]["action"] == "sort.undo"

    export = tmp_path / "extraction"
    assert "Wrote 2 paper(s)" in ok("extract", "export", "--xlsx", str(export), *p)
    assert load_workbook(tmp_path / "extraction.xlsx").worksheets[0]["H2"].value == "interview"
    ok("findings", "export", "--csv", str(tmp_path / "findings.csv"), *p)
    assert (tmp_path / "findings.csv").read_text(encoding="utf-8").count("\n") == 6
    ok("codebook", "export", str(tmp_path / "themes.qdc"), *p)
    assert "created 0 theme(s), 2 already there" in ok(
        "codebook", "import", str(tmp_path / "themes.qdc"), *p
    )


def test_finding_commands_and_coders(review: Path, tmp_path: Path) -> None:
    p = ["-p", str(review)]
    ok("extract", "import", str(tmp_path / "talk.csv"), "--add-papers", *p)
    assert "Added finding 1 to paper 1" in ok("findings", "add", "1", "Testing is hard", *p)
    ok("findings", "add", "2", "Expectations", "--kind", "quote", "--location", "p. 3", *p)
    ok("findings", "edit", "1", "--text", "Testing ML is hard; no oracle", *p)
    assert "split into 2" in ok("findings", "split", "1", "Testing ML is hard", "No oracle", *p)
    shown = ok("findings", "show", "1", *p)
    assert "split into: 3, 4" in shown
    assert "finding.edit" in shown
    assert json.loads(ok("findings", "show", "3", "--json", *p))["parent"]["id"] == 1
    assert len(json.loads(ok("findings", "list", "--retired", "--json", *p))) == 4
    ok("sort", "theme-create", "QA", "Testing", *p)
    ok("sort", "theme-create", "ORG", "People", *p)
    for coder, placements in (("R1", ("3", "4", "2")), ("R2", ("3", "2", "4"))):
        ok("sort", "move", placements[0], placements[1], "--to", "1", "--coder", coder, *p)
        ok("sort", "move", placements[2], "--to", "2", "--coder", coder, *p)
    agreement = ok("coding", "agreement", *p)
    assert "R1 and R2: 3 of 3 finding(s) sorted by both" in agreement
    assert "2 finding(s) to reconcile" in agreement
    data = json.loads(ok("coding", "agreement", "--coders", "R1", "R2", "--json", *p))
    assert data["kappa"]["value"] == pytest.approx(-0.5)
    assert "Placed 1 agreed finding(s)" in ok("coding", "adopt", *p)
    assert "2 finding(s)" in ok("findings", "list", "--unsorted", *p)
    assert "0 finding(s)" in ok("findings", "list", "--unsorted", "--coder", "R1", *p)
    ok("sort", "reorder", "1", "4", "3", "--coder", "R1", *p)
    ok("sort", "theme-create", "QA", "Other", *p)
    ok("sort", "theme-reorder", "QA", "3", "1", *p)
    ok("sort", "theme-move", "3", "ORG", *p)
    ok("sort", "theme-split", "1", "Oracle", "4", *p)
    ok("sort", "theme-merge", "4", "--into", "1", *p)
    ok("sort", "move", "3", "--unsorted", *p)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sort", "theme-create", "XYZ", "x"), "error: stage 'XYZ' is not a stage"),
        (("sort", "move", "1"), "error: give either --to THEME or --unsorted"),
        (("sort", "undo"), "error: nothing to undo"),
        (("extract", "export"), "error: give exactly one of --xlsx FILE or --csv FILE"),
        (("findings", "edit", "9", "--text", "x"), "error: finding 9: no such finding"),
        (("sort", "theme-describe", "1"), "error: nothing to change"),
        (("coding", "agreement"), "error: give the two coders"),
        (("suggest",), "error: there are no themes yet"),
    ],
)
def test_user_errors_are_one_line(review: Path, args: tuple[str, ...], message: str) -> None:
    result = run(*args, "-p", str(review))
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


def test_bad_sheet_lists_every_problem(review: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("title,study_type,practitioners\nA,intervew,x\n", encoding="utf-8")
    result = run("extract", "import", str(bad), "--add-papers", "-p", str(review))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: bad.csv:2: study_type: 'intervew' is not one of interview, survey, both, other",
        "error: bad.csv:2: practitioners: 'x' is not a whole number or unspecified",
        f"error: {bad}: 2 problem(s); nothing was imported",
    ]
