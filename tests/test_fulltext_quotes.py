"""Quotes located in real papers: across line breaks, hyphenation, ligatures, curly quotes
and split accents; quotes not found listed with the closest passage; the page in every report
format; the full text in the records search and ``query test --fields fulltext``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project
from metasummary.browse import RecordQuery
from metasummary.fulltext.locate import PageIndex
from metasummary.fulltext.reader import read_file
from tests.clirunner import run
from tests.fulltextdata import include, paper_review


@pytest.fixture(scope="module")
def pdfs(shared_data: Path) -> Path:
    return shared_data / "pdfs"


def _index(pdfs: Path, name: str) -> PageIndex:
    return PageIndex([(p.number, p.text) for p in read_file(pdfs / name).pages])


def test_quotes_are_found_whatever_the_pdf_did_to_the_text(pdfs: Path) -> None:
    gadr = _index(pdfs, "gadr.pdf")
    # "understand-ing" is hyphenated across a line end in the PDF; the quote has curly quotes.
    place = gadr.find(
        "Documenting design decisions in a project fosters understanding while developing"
    )
    assert place is not None
    assert place.page == 1
    assert place.exact
    assert gadr.texts[0][place.start : place.end].startswith("Documenting design")
    assert gadr.find("format to capture \u201ctemplates\u201d for new decisions") is not None
    assert gadr.find('format to capture "templates" for new decisions') is not None
    sample = _index(pdfs, "sample.pdf")
    assert sample.find("Pierre-François Dutot").page == 1  # type: ignore[union-attr]
    trace = _index(pdfs, "compressed.tracemonkey-pldi-09.pdf")
    found = trace.find("we have measured speedups of 10x and more for certain benchmark programs")
    assert found is not None
    assert found.page == 1


def test_a_quote_on_a_later_page_gets_that_page(pdfs: Path) -> None:
    timp = _index(pdfs, "MullenJSSv18i03.pdf")
    page_text = " ".join(timp.texts[9].split())
    words = page_text.split()[40:60]
    place = timp.find(" ".join(words))
    assert place is not None
    assert place.page == 10


def test_a_quote_not_in_the_paper_gets_the_closest_passage(pdfs: Path) -> None:
    gadr = _index(pdfs, "gadr.pdf")
    wrong = "Documenting design decisions in a project helps understanding while building software"
    assert gadr.find(wrong) is None
    near = gadr.closest(wrong)
    assert near is not None
    assert near.page == 1
    assert 60 < near.score < 100
    assert "Documenting design decisions" in near.passage


def _quoted_review(make_project: Callable[..., Project], pdfs: Path) -> tuple[Project, int]:
    review = paper_review(make_project, pdfs)
    project = review.project
    record = review.ids["gadr.pdf"]
    include(project, [record, review.ids["sample.pdf"]])
    project.fulltexts.attach([pdfs / "gadr.pdf", pdfs / "sample.pdf"])
    findings = project.synthesis.findings
    findings.add(
        record,
        "Documenting design decisions in a project fosters understanding while developing",
        kind="quote",
    )
    findings.add(record, "MADR is the best format ever proposed", kind="quote")
    findings.add(record, "A paraphrase is not checked", kind="paraphrase")
    findings.add(review.ids["sample.pdf"], "no text here for this one", kind="quote")
    return project, record


def test_findings_check_lists_quotes_not_found(
    make_project: Callable[..., Project], pdfs: Path
) -> None:
    project, _record = _quoted_review(make_project, pdfs)
    statuses = project.fulltexts.quotes.check()
    by_text = {s.text[:20]: s for s in statuses}
    assert len(statuses) == 3  # the paraphrase is not a quote
    assert by_text["Documenting design d"].status == "found"
    assert by_text["Documenting design d"].place.page == 1  # type: ignore[union-attr]
    assert by_text["MADR is the best for"].status == "not-found"
    assert by_text["MADR is the best for"].closest is not None
    result = run("findings", "check", "-p", str(project.root))
    assert result.exit_code == 1
    assert "MADR is the best format ever proposed" in result.stdout
    assert "2 not-found" in result.stdout
    assert "1 found" in result.stdout


def test_report_quotes_carry_their_page(make_project: Callable[..., Project], pdfs: Path) -> None:
    project, record = _quoted_review(make_project, pdfs)
    sorting = project.synthesis.sorting
    theme = sorting.create_theme("REQ", "Decisions are forgotten")
    found = [f for f in project.synthesis.findings.find(record_id=record) if f.kind == "quote"]
    sorting.move_findings([f.id for f in found], theme.id)
    folder = project.report.write(formats=["html", "markdown", "latex"]).folder
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    assert re.search(r"fosters understanding while developing” \\\[\d, p\. 1\\\]", markdown)
    assert "“MADR is the best format ever proposed” \\[" in markdown  # not found: no page
    listed = markdown[markdown.index("### Quotes not found in their paper") :]
    assert re.search(r"\| \\\[\d\\\] \| MADR is the best format ever proposed \| p\. \d: ", listed)
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert re.search(r"while developing” \[<a href=\"#ref-\d\">\d, p\. 1</a>\]", html)
    latex = (folder / "report.tex").read_text(encoding="utf-8")
    assert re.search(r"while developing.{0,40}p\. 1", latex)


def test_the_full_text_joins_the_search_index(
    make_project: Callable[..., Project], pdfs: Path
) -> None:
    review = paper_review(make_project, pdfs)
    project = review.project
    project.fulltexts.attach([pdfs / "gadr.pdf", pdfs / "compressed.tracemonkey-pldi-09.pdf"])
    project.query.ensure_index()
    # "reusability" is only in the gadr paper's text, not in any title.
    page = project.browser.page(RecordQuery(text="reusability"))
    assert [r.id for r in page.rows] == [review.ids["gadr.pdf"]]
    by_fields = project.query.test(fields=["fulltext"]).report
    by_titles = project.query.test().report
    assert by_fields.groups[0].hits.total >= by_titles.groups[0].hits.total
    result = run("query", "test", "--fields", "fulltext", "-p", str(project.root))
    assert result.exit_code == 0, result.stderr
    bad = run("query", "test", "--fields", "body", "-p", str(project.root))
    assert bad.exit_code == 1
    assert "field 'body'" in bad.stderr
