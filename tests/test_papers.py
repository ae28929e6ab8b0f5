"""Included papers and finding the paper a spreadsheet row names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from metasummary import Project
from metasummary.models import Phase
from metasummary.store import records as store_records
from metasummary.synthesis.papers import (
    NewPaper,
    PaperColumns,
    PaperIndex,
    load_corpus,
    normalise_title,
)
from metasummary.synthesis.sheets import read_sheet
from tests.synthesis_data import add_papers, include, synthesis_protocol
from tests.test_project import vote


def test_included_papers_are_those_included_at_full_text(
    make_project: Callable[..., Project],
) -> None:
    project = make_project(synthesis_protocol())
    a, b, c, d = add_papers(project, ["A", "B", "C", "D"], included=False)
    include(project, [a])
    vote(project, b, "R1", "include")  # only title/abstract
    vote(project, c, "R1", "include")
    vote(project, c, "R1", "exclude", phase=Phase.FULL_TEXT)
    with project.store.read() as conn:
        corpus = load_corpus(conn, project.required_votes())
    assert corpus.included == {a}
    assert not corpus.is_included(d)


def test_rows_are_matched_by_record_doi_key_and_title(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(synthesis_protocol())
    first, second, _ = add_papers(project, ["Software Engineering for ML: A Case Study", "B", "C"])
    path = tmp_path / "rows.csv"
    path.write_text(
        "record,doi,key,title\n"
        f"{first},,,\n"
        ",https://doi.org/10.1/P2,,\n"
        ",,p3,\n"
        ",,,software engineering for ML  a case-study\n"
        ",,,A paper not held\n"
        "x12,,,\n",
        encoding="utf-8",
    )
    sheet = read_sheet(path)
    with project.store.read() as conn:
        corpus = load_corpus(conn, project.required_votes())
        index = PaperIndex(store_records.iter_all(conn), corpus)
    cols = PaperColumns.of(sheet)
    found = [index.resolve(sheet, row, cols) for row in sheet.rows]
    assert found[:4] == [first, second, 3, first]
    assert isinstance(found[4], NewPaper)
    assert found[4].data.title == "A paper not held"
    assert found[5] == "'x12' is not a record id of this review"


def test_a_title_matching_two_papers_prefers_the_included_one(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(synthesis_protocol())
    (kept,) = add_papers(project, ["Same Title"])
    add_papers(project, ["Same title"], included=False)
    (other,) = add_papers(project, ["same title!"])
    path = tmp_path / "rows.csv"
    path.write_text("title\nSame title\n", encoding="utf-8")
    sheet = read_sheet(path)
    with project.store.read() as conn:
        index = PaperIndex(
            store_records.iter_all(conn), load_corpus(conn, project.required_votes())
        )
    message = index.resolve(sheet, sheet.rows[0], PaperColumns.of(sheet))
    assert (
        message == f"title 'Same title' matches several papers ({kept}, 2, {other}); "
        "give the record id instead"
    )


def test_normalise_title() -> None:
    assert normalise_title("Über-ML: A Case Study!") == normalise_title("uber ML a case study")
