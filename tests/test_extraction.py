"""Extraction sheet round trip: export, edit in a spreadsheet, import; located errors; all or
nothing."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from metasummary import Project
from metasummary.errors import ImportFileError, InputError
from tests.synthesis_data import add_papers, event_count, snapshot, synthesis_protocol

HEADERS = [
    "record",
    "key",
    "title",
    "year",
    "venue",
    "research_questions",
    "study_method",
    "study_type",
    "practitioners",
    "venue_category",
]


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    project = make_project(synthesis_protocol())
    add_papers(project, ["Understanding ML processes", "ML mismatch", "Fairness needs"])
    add_papers(project, ["Not included"], included=False)
    return project


def test_export_writes_one_row_per_included_paper_with_drop_downs(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "extraction.xlsx"
    assert project.synthesis.extraction.export(path) == 3
    book = load_workbook(path)
    sheet = book["Extraction"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [r[2] for r in rows[1:]] == [
        "Understanding ML processes",
        "ML mismatch",
        "Fairness needs",
    ]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    assert str(validations[0].sqref).startswith("H2:H")
    choices = book["Choices"]
    assert choices.sheet_state == "hidden"
    assert [c.value for c in choices["A"]][1:] == ["interview", "survey", "both", "other"]


def test_round_trip_through_a_spreadsheet(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "extraction.xlsx"
    project.synthesis.extraction.export(path)
    book = load_workbook(path)
    sheet = book["Extraction"]
    sheet["F2"] = "RQ1: How do they build ML systems?\nRQ2: What challenges?"
    sheet["G2"] = "Interviews with 7 developers"
    sheet["H2"] = "Interview"  # case does not matter
    sheet["I2"] = 7
    sheet["J2"] = "SE"
    sheet["H3"] = "both"
    sheet["I3"] = "unspecified"
    sheet["J3"] = "SE"
    sheet["I4"] = "1,200"
    book.save(path)

    result = project.synthesis.extraction.import_file(path)
    assert (result.rows, result.changed, result.papers_added) == (3, 9, 0)
    papers = {p.title: p.values for p in project.synthesis.extraction.papers()}
    first = papers["Understanding ML processes"]
    assert first["research_questions"] == [
        "RQ1: How do they build ML systems?",
        "RQ2: What challenges?",
    ]
    assert (first["study_type"], first["practitioners"]) == ("interview", 7)
    assert papers["ML mismatch"]["practitioners"] == "unspecified"
    assert papers["Fairness needs"]["practitioners"] == 1200
    assert papers["Fairness needs"]["study_type"] is None

    # Exported again, the values come back as they were typed (a second round trip is a no-op).
    again = tmp_path / "again.xlsx"
    project.synthesis.extraction.export(again)
    rows = list(load_workbook(again)["Extraction"].iter_rows(values_only=True))
    assert rows[1][5:] == (
        "RQ1: How do they build ML systems?\nRQ2: What challenges?",
        "Interviews with 7 developers",
        "interview",
        7,
        "SE",
    )
    second = project.synthesis.extraction.import_file(again)
    assert second.changed == 0

    # Clearing a cell clears the value.
    book = load_workbook(again)
    book["Extraction"]["I2"] = None
    book.save(again)
    assert project.synthesis.extraction.import_file(again).changed == 1
    values = {p.title: p.values for p in project.synthesis.extraction.papers()}
    assert values["Understanding ML processes"]["practitioners"] is None

    summary = project.synthesis.summary().corpus
    count = next(f for f in summary.fields if f.name == "practitioners")
    assert count.total_label == "1200+"


def test_bad_cells_are_located_and_nothing_is_written(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "extraction.xlsx"
    project.synthesis.extraction.export(path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    sheet.title = "Sheet1"
    sheet["H2"] = "survey"  # good, but must not land
    sheet["H3"] = "intervew"
    sheet["I4"] = "about 20"
    sheet["A5"] = 999
    book.save(path)
    before, events = snapshot(project), event_count(project)
    with pytest.raises(ImportFileError) as caught:
        project.synthesis.extraction.import_file(path)
    assert caught.value.problems == [
        "Sheet1!H3: 'intervew' is not one of interview, survey, both, other",
        "Sheet1!I4: 'about 20' is not a whole number or unspecified",
        "Sheet1!A5: '999' is not a record id of this review",
    ]
    assert "nothing was imported" in caught.value.message
    assert (snapshot(project), event_count(project)) == (before, events)


def test_csv_import_with_labels_as_headers_and_new_papers(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "talk-sheet.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["#", "Title", "Year", "Listed RQs", "Study Method", "study_type"])
        writer.writerow(["P2", "ML mismatch", "", "RQ1: mismatch?", "Interview with 20", "both"])
        writer.writerow(["6", "Characterizing ML-Enabled Systems", "2021", "", "Survey", "survey"])
        writer.writerow(["7", "Another new paper", "2020", "", "", "sruvey"])
    with pytest.raises(ImportFileError) as caught:
        project.synthesis.extraction.import_file(path, add_missing=True)
    assert caught.value.problems == [
        "talk-sheet.csv:4: study_type: 'sruvey' is not one of interview, survey, both, other"
    ]
    with pytest.raises(ImportFileError, match="2 problem") as caught:
        project.synthesis.extraction.import_file(path)
    lines = "\n".join(caught.value.problems)
    assert "'Characterizing ML-Enabled Systems' is not in this review (use --add-papers" in lines

    path.write_text(path.read_text(encoding="utf-8").replace("sruvey", "survey"), encoding="utf-8")
    result = project.synthesis.extraction.import_file(path, add_missing=True)
    assert (result.rows, result.papers_added) == (3, 2)
    assert result.fields == ["research_questions", "study_method", "study_type"]
    papers = {p.title: p for p in project.synthesis.extraction.papers()}
    assert len(papers) == 5
    new = papers["Characterizing ML-Enabled Systems"]
    assert (new.key, new.year, new.values["study_type"]) == ("6", 2021, "survey")
    assert papers["ML mismatch"].values["research_questions"] == ["RQ1: mismatch?"]


def test_papers_not_included_and_repeated_rows_are_refused(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(
        "title,study_type\nNot included,survey\nML mismatch,both\nml  MISMATCH,survey\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFileError) as caught:
        project.synthesis.extraction.import_file(path)
    assert caught.value.problems[0].startswith("sheet.csv:2: title: record 4 (Not included)")
    assert caught.value.problems[1] == "sheet.csv:4: title: the same paper as row 3"


def test_sheets_without_paper_or_field_columns(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text("name,study_type\nx,survey\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no column names the paper"):
        project.synthesis.extraction.import_file(path)
    path.write_text("title,colour\nML mismatch,red\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no column is an extraction field"):
        project.synthesis.extraction.import_file(path)
    with pytest.raises(InputError, match=r"use a \.csv or \.xlsx"):
        project.synthesis.extraction.import_file(tmp_path / "sheet.ods")
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"not a readable \.xlsx"):
        project.synthesis.extraction.import_file(broken)


def test_values_follow_a_paper_deduplicated_after_extraction(
    project: Project, tmp_path: Path
) -> None:
    from metasummary.store.records import set_duplicate_of

    path = tmp_path / "sheet.csv"
    path.write_text("record,study_type,practitioners\n1,survey,12\n", encoding="utf-8")
    project.synthesis.extraction.import_file(path)
    with project.store.write() as conn:
        set_duplicate_of(conn, 1, 2)  # record 1 turns out to be a copy of record 2
    papers = {p.record_id: p.values for p in project.synthesis.extraction.papers()}
    assert 1 not in papers
    assert (papers[2]["study_type"], papers[2]["practitioners"]) == ("survey", 12)
    corpus = project.synthesis.summary().corpus
    assert next(f for f in corpus.fields if f.name == "practitioners").total == 12
