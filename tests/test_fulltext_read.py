"""Reading and attaching real PDFs (``../shared/data/pdfs``): text per page, repairs for
search, the page without text, matching to records, versions, and refusals that change
nothing."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from metasummary import Project
from metasummary.errors import ImportFileError, InputError
from metasummary.fulltext.reader import read_file, read_pdf
from metasummary.fulltext.text import Skeleton, fold, search_text
from metasummary.store.schema import events, fulltext_pages, fulltexts
from tests.fulltextdata import encrypted_pdf, index_rows, minimal_pdf, paper_review


@pytest.fixture(scope="module")
def pdfs(shared_data: Path) -> Path:
    return shared_data / "pdfs"


def test_every_page_is_read_with_its_offsets(pdfs: Path) -> None:
    pdf = read_file(pdfs / "MullenJSSv18i03.pdf")
    assert len(pdf.pages) == 46
    assert [p.number for p in pdf.pages] == list(range(1, 47))
    for before, after in zip(pdf.pages, pdf.pages[1:], strict=False):
        assert after.start == before.start + len(before.text) + 1
    assert "TIMP: An R Package for Modeling Multi-way" in pdf.pages[0].text
    assert pdf.metadata["Title"].startswith("TIMP")


def test_repairs_for_search_keep_the_original(pdfs: Path) -> None:
    gadr = read_file(pdfs / "gadr.pdf")
    first = gadr.pages[0]
    assert "understand\x02ing" in first.text  # pdfium's mark of a hyphenated line end
    assert "understanding while developing" in first.search
    sample = read_file(pdfs / "sample.pdf").pages[0]
    assert "Franc¸ois" in sample.text
    assert "Pierre-François Dutot" in sample.search
    bosons = read_file(pdfs / "1001._0908.0054.pdf").pages[0]
    assert "F´ısica" in bosons.text
    assert "Física" in bosons.search
    assert "México" in bosons.search


def test_repairs_in_small() -> None:
    assert search_text("ﬁrst and ﬂow") == "first and flow"
    assert search_text("hyphen-\nation stays well-known") == "hyphenation stays well-known"
    assert search_text("a ~ b and x^2") == "a ~ b and x^2"  # ASCII marks are maths, left alone
    assert fold("“Curly” QUOTES, ﬁne—and Gr´egory") == "curlyquotesfineandgregory"
    skeleton = Skeleton.of("ab, c")
    assert skeleton.text == "abc"
    assert skeleton.span(1, 3) == (1, 5)


def test_a_page_without_text_is_reported_not_fatal(pdfs: Path) -> None:
    pdf = read_file(pdfs / "two_pages.pdf")
    pdf.name = "two_pages.pdf"
    assert pdf.empty_pages == [1]
    assert pdf.warnings() == [
        "page 1 of two_pages.pdf has no text: scanned? OCR it and attach again"
    ]
    assert pdf.pages[1].text.strip()
    blank = read_pdf(minimal_pdf(), "scan.pdf")
    assert blank.warnings() == [
        "scan.pdf has no text on any page: scanned? OCR it and attach it again"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (encrypted_pdf(), "bad.pdf: the PDF is encrypted"),
        (minimal_pdf()[:150], "bad.pdf: the PDF is damaged"),
        (b"<html>not a pdf</html>", "bad.pdf: not a PDF"),
    ],
)
def test_broken_and_encrypted_pdfs_are_refused_in_one_line(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message) as caught:
        read_pdf(data, "bad.pdf")
    assert "\n" not in str(caught.value)


def _counts(project: Project) -> tuple[int, int, int]:
    with project.store.read() as conn:
        return tuple(  # type: ignore[return-value]
            int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for t in (fulltexts, fulltext_pages, events)
        )


def test_every_real_pdf_matches_its_record(
    make_project: Callable[..., Project], pdfs: Path
) -> None:
    review = paper_review(make_project, pdfs)
    results = review.project.fulltexts.attach([pdfs], actor="R1")
    assert len(results) == len(index_rows(pdfs)) == 11
    for result in results:
        assert result.status == "attached", result
        assert result.record_id == review.ids[result.file], result.file
    how = {r.file: r.how for r in results}
    assert how["test_Grobid_1_05452615.pdf"] == "doi"  # the DOI printed on page 1
    assert how["0807.3577.pdf"] == "doi"
    assert how["submission_363.pdf"] == "title"  # title in capitals
    assert how["sample.pdf"] == "title"  # split cedilla in the authors, not the title
    warned = {r.file: r.warnings for r in results}
    assert warned["two_pages.pdf"] == [
        "page 1 of two_pages.pdf has no text: scanned? OCR it and attach again"
    ]
    root = review.project.root
    assert root is not None
    listed = review.project.fulltexts.list()
    assert len(listed) == 11
    for info in listed:
        stored = root / info.row.stored_path
        assert stored.is_file()
        assert stored.name == f"{info.row.sha256}.pdf"
        assert info.row.actor == "R1"


def test_a_second_file_is_a_new_version_and_the_same_file_is_not(
    make_project: Callable[..., Project], pdfs: Path, tmp_path: Path
) -> None:
    review = paper_review(make_project, pdfs)
    files = review.project.fulltexts
    record = review.ids["gadr.pdf"]
    first = files.attach([pdfs / "gadr.pdf"])[0]
    assert (first.status, first.version) == ("attached", 1)
    assert files.attach([pdfs / "gadr.pdf"])[0].status == "already"
    other = files.attach([pdfs / "sample.pdf"], record=record)[0]
    assert (other.status, other.version, other.how) == ("attached", 2, "record")
    assert files.current(record).version == 2  # type: ignore[union-attr]
    assert [i.row.version for i in files.list(all_versions=True)] == [1, 2]
    assert "Bi-criteria" in files.pages(record)[0].text
    root = review.project.root
    assert root is not None
    assert (root / "fulltexts" / f"{first.sha256}.pdf").is_file()  # the old one is kept


def test_an_unmatched_pdf_lists_its_candidates(
    make_project: Callable[..., Project], pdfs: Path
) -> None:
    project = make_project()
    project.add_records(
        "IEEE",
        [__import__("metasummary").RecordData(title="Generalized Architectural Decision Records")],
    )
    result = project.fulltexts.attach([pdfs / "gadr.pdf"])[0]
    assert result.status == "unmatched"
    assert result.record_id is None
    assert result.candidates
    assert result.candidates[0].title.startswith("Generalized")
    assert project.fulltexts.list() == []


def test_a_broken_file_among_good_ones_changes_nothing(
    make_project: Callable[..., Project], pdfs: Path, tmp_path: Path
) -> None:
    review = paper_review(make_project, pdfs)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(pdfs / "gadr.pdf", folder / "a.pdf")
    (folder / "b.pdf").write_bytes(encrypted_pdf())
    before = _counts(review.project)
    with pytest.raises(ImportFileError, match=r"b\.pdf: the PDF is encrypted"):
        review.project.fulltexts.attach([folder])
    assert _counts(review.project) == before
    root = review.project.root
    assert root is not None
    assert not (root / "fulltexts").exists()


def test_forcing_a_record_takes_one_file(make_project: Callable[..., Project], pdfs: Path) -> None:
    review = paper_review(make_project, pdfs)
    with pytest.raises(InputError, match="one file"):
        review.project.fulltexts.attach(
            [pdfs / "gadr.pdf", pdfs / "sample.pdf"], record=review.ids["gadr.pdf"]
        )
