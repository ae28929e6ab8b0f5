"""Findings: splitting cells into statements, importing, editing and splitting with history."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from metasummary import InputError, Project
from metasummary.errors import ImportFileError
from metasummary.synthesis.statements import Split, Statement, split_cell
from tests.synthesis_data import (
    add_finding,
    add_papers,
    event_count,
    placements,
    snapshot,
    synthesis_protocol,
)

# The shape of the talk's extraction sheet: one row per paper, all challenges in one cell.
TALK_CELL = (
    "a) Identifying business metrics is not trivial - the customer wants to have policies\n"
    "b) Undefined process - do not have a defined development process for ML systems\n"
    "c) Difficulty to design the database structure -\n"
    "   it is initially a manual process."
)


def test_split_cell_by_bullets_joins_continuation_lines() -> None:
    assert [s.text for s in split_cell(TALK_CELL, Split.LINES)] == [
        "Identifying business metrics is not trivial - the customer wants to have policies",
        "Undefined process - do not have a defined development process for ML systems",
        "Difficulty to design the database structure - it is initially a manual process.",
    ]


def test_split_cell_by_lines_quotes_and_percentages() -> None:
    cell = (
        "incorrect assumptions about the Trained Model (36%)\n\n"
        "“there isn't always an actual spec of what data they have”\n"
        "lack of runtime metrics (54 %)"
    )
    assert split_cell(cell, Split.LINES) == [
        Statement("incorrect assumptions about the Trained Model (36%)", "paraphrase", "36%"),
        Statement("there isn't always an actual spec of what data they have", "quote", ""),
        Statement("lack of runtime metrics (54 %)", "paraphrase", "54%"),
    ]
    assert split_cell(cell) == [Statement(" ".join(cell.split()), "paraphrase", "36%")]
    assert [s.text for s in split_cell("one; two;; three", separator=";")] == [
        "one",
        "two",
        "three",
    ]


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    project = make_project(synthesis_protocol())
    add_papers(project, ["Understanding development processes", "ML mismatch"])
    return project


def test_import_splits_a_challenges_cell_and_skips_what_it_already_holds(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["#", "Title", "Challenges"])
    sheet.append([1, "Understanding Development Processes", TALK_CELL])
    sheet.append([6, "Characterizing and Detecting Mismatch", "- (36%) Trained model\n- APIs"])
    book.save(path)

    with pytest.raises(ImportFileError) as caught:
        project.synthesis.findings.import_file(path, split=Split.LINES)
    assert caught.value.problems == [
        "Sheet!C3: 'Characterizing and Detecting Mismatch' is not in this review "
        "(use --add-papers to add it)"
    ]
    result = project.synthesis.findings.import_file(
        path, split=Split.LINES, add_missing=True, coder="R1"
    )
    assert (result.findings, result.papers_added, result.duplicates) == (5, 1, 0)
    found = project.synthesis.findings.find()
    assert [f.text for f in found][:2] == [
        "Identifying business metrics is not trivial - the customer wants to have policies",
        "Undefined process - do not have a defined development process for ML systems",
    ]
    assert {f.coder for f in found} == {"R1"}
    assert found[3].value == "36%"
    again = project.synthesis.findings.import_file(
        path, split=Split.LINES, add_missing=True, coder="R1"
    )
    assert (again.findings, again.duplicates, again.papers_added) == (0, 5, 0)
    assert project.synthesis.summary().included_papers == 3


def test_import_places_findings_in_themes_in_one_undoable_step(
    project: Project, tmp_path: Path
) -> None:
    existing = project.synthesis.sorting.create_theme("QA", "Lack of specifications")
    path = tmp_path / "sorted.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record", "finding", "location", "kind", "stage", "theme"])
        writer.writerow(["1", "no spec of the data", "p. 3", "quote", "", "lack of specifications"])
        writer.writerow(["1", "unclear accuracy goals", "p. 4", "", "QA", "Unclear goals"])
        writer.writerow(
            ["2", "customers expect magic", "s. 5", "paraphrase", "ORG", "Expectations"]
        )
        writer.writerow(["2", "not sorted yet", "", "", "", ""])
    before = snapshot(project)
    result = project.synthesis.findings.import_file(path)
    assert (result.findings, result.placed) == (4, 3)
    assert result.themes_created == ["Unclear goals", "Expectations"]
    found = {f.text: f for f in project.synthesis.findings.find()}
    assert (found["no spec of the data"].kind, found["no spec of the data"].location) == (
        "quote",
        "p. 3",
    )
    assert placements(project)[found["no spec of the data"].id] == existing.id
    project.synthesis.sorting.undo()
    after_undo = snapshot(project)
    assert after_undo["themes"] == before["themes"]
    assert after_undo["assignments"] == []
    assert len(after_undo["findings"]) == 4  # the findings stay, unsorted


def test_import_reports_bad_rows_and_writes_nothing(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "record,text,kind,theme,stage\n"
        "1,fine,quote,,\n"
        "1,wrong kind,citation,,\n"
        "2,new theme without stage,,Brand new,\n"
        "2,bad stage,,Other,XYZ\n"
        "77,no such record,,,\n",
        encoding="utf-8",
    )
    before, events = snapshot(project), event_count(project)
    with pytest.raises(ImportFileError) as caught:
        project.synthesis.findings.import_file(path)
    assert caught.value.problems == [
        "bad.csv:3: kind: kind 'citation' is not one of paraphrase, quote",
        "bad.csv:4: stage: theme 'Brand new' is not on the board yet; fill in its stage",
        "bad.csv:5: stage: 'XYZ' is not a stage of the protocol (REQ, QA, ORG)",
        "bad.csv:6: text: '77' is not a record id of this review",
    ]
    assert (snapshot(project), event_count(project)) == (before, events)


def test_edit_and_split_keep_history_and_places(project: Project) -> None:
    findings = project.synthesis.findings
    fid = add_finding(project, 1, "Testing is hard and there is no oracle")
    theme = project.synthesis.sorting.create_theme("QA", "Testing")
    project.synthesis.sorting.move_findings([fid], theme.id)
    project.synthesis.sorting.move_findings([fid], theme.id, coder="R2")
    edited = findings.edit(fid, text="Testing ML is hard; no oracle", location="p. 2", kind="QUOTE")
    assert (edited.text, edited.location, edited.kind) == (
        "Testing ML is hard; no oracle",
        "p. 2",
        "quote",
    )
    parts = findings.split(fid, ["Testing ML is hard", "There is no oracle"])
    assert [p.parent_id for p in parts] == [fid, fid]
    assert all(p.kind == "quote" and p.location == "p. 2" for p in parts)
    for coder in ("", "R2"):
        assert {placements(project, coder)[p.id] for p in parts} == {theme.id}
    history = findings.history(fid)
    assert history.finding.retired
    assert [p.id for p in history.parts] == [p.id for p in parts]
    assert [c["action"] for c in history.changes] == [
        "finding.add",
        "finding.edit",
        "finding.split",
    ]
    assert history.changes[1]["before"]["text"] == "Testing is hard and there is no oracle"
    assert findings.history(parts[0].id).parent is not None
    assert [f.id for f in findings.find()] == [p.id for p in parts]
    assert len(findings.find(include_retired=True)) == 3
    summary = project.synthesis.summary()
    assert (summary.findings, summary.stages[1].themes[0].findings) == (2, 2)
    with pytest.raises(InputError, match="was split into"):
        findings.edit(fid, text="again")
    with pytest.raises(InputError, match=f"was split into {parts[0].id}, {parts[1].id}"):
        project.synthesis.sorting.move_findings([fid], theme.id)
    with pytest.raises(InputError, match="two or more"):
        findings.split(parts[0].id, ["only one"])
    with pytest.raises(InputError, match="kind 'note'"):
        findings.edit(parts[0].id, kind="note")
    with pytest.raises(InputError, match="nothing to change"):
        findings.edit(parts[0].id)


def test_add_refuses_papers_not_included(make_project: Callable[..., Project]) -> None:
    project = make_project(synthesis_protocol())
    (record,) = add_papers(project, ["Not screened"], included=False)
    with pytest.raises(InputError, match="not included at full text"):
        project.synthesis.findings.add(record, "a finding")
    with pytest.raises(InputError, match="no such record"):
        project.synthesis.findings.add(99, "a finding")


def test_export_lists_findings_with_their_themes(project: Project, tmp_path: Path) -> None:
    theme = project.synthesis.sorting.create_theme("ORG", "Expectations")
    first = add_finding(project, 1, "customers expect magic")
    add_finding(project, 2, "unsorted one")
    project.synthesis.sorting.move_findings([first], theme.id)
    path = tmp_path / "findings.xlsx"
    assert project.synthesis.findings.export(path) == 2
    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("finding_id", "record", "key")
    assert rows[1][5:] == (
        "customers expect magic",
        None,
        "paraphrase",
        None,
        None,
        "ORG",
        theme.id,
        "Expectations",
    )
    assert rows[2][10:] == (None, None, None)
    with pytest.raises(ImportFileError, match="findings export"):
        project.synthesis.findings.import_file(path)
