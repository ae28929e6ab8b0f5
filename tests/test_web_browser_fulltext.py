"""The full-text step in Debian's chromium: PDFs attached on the desk, one read in the reader
(pdf.js), a sentence selected and added as a finding, sorted into a theme on the board,
opened again at its page with the passage highlighted, and found with its page in the HTML,
Markdown and LaTeX reports; quality answers by two reviewers and their agreement."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from metasummary import Project
from metasummary.web import create_app
from tests.browser import Watched
from tests.fulltextdata import include, paper_review
from tests.liveserver import LiveServer
from tests.test_web_browser_review import drag

pytestmark = pytest.mark.browser
SENTENCE = "Documenting design decisions in a project fosters understanding"


@dataclass(slots=True)
class Desk:
    project: Project
    pdfs: Path
    gadr: int
    theme: int


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Desk]:
    folder = tmp_path_factory.mktemp("fulltext-review")
    made: list[Project] = []

    def make(protocol_text: str | None = None) -> Project:
        project = Project.init(folder / "review", protocol_text=protocol_text)
        made.append(project)
        return project

    review = paper_review(make, shared_data / "pdfs")
    papers = [
        review.ids[n] for n in ("gadr.pdf", "sample.pdf", "compressed.tracemonkey-pldi-09.pdf")
    ]
    include(review.project, papers)
    theme = review.project.synthesis.sorting.create_theme("REQ", "Decisions are forgotten").id
    yield Desk(review.project, review.pdfs, review.ids["gadr.pdf"], theme)
    for project in made:
        project.close()


@pytest.fixture(scope="module")
def live(desk: Desk) -> Iterator[LiveServer]:
    with LiveServer(create_app(desk.project)) as server:
        yield server


def select_text(page: object, box: str, start: str, end: str) -> None:
    """Select from the first character of ``start`` to the last of ``end`` in a text layer,
    as a mouse drag over the words would."""
    page.evaluate(  # type: ignore[attr-defined]
        """([box, start, end]) => {
            const layer = document.querySelector(box);
            const walker = document.createTreeWalker(layer, NodeFilter.SHOW_TEXT);
            const nodes = [];
            for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n);
            const a = nodes.find((n) => n.nodeValue.includes(start));
            const b = nodes.slice(nodes.indexOf(a)).find((n) => n.nodeValue.includes(end));
            const range = document.createRange();
            range.setStart(a, a.nodeValue.indexOf(start));
            range.setEnd(b, b.nodeValue.indexOf(end) + end.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [box, start, end],
    )


def test_attach_read_quote_sort_and_report(watched: Watched, desk: Desk) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/fulltext?reviewer=R1")
    names = ["gadr.pdf", "sample.pdf", "compressed.tracemonkey-pldi-09.pdf"]
    with page.expect_response(lambda r: r.url.endswith("/api/fulltext/attach")):
        page.locator("#drop-files").set_input_files([str(desk.pdfs / n) for n in names])
    expect(page.locator("#drop-results")).to_contain_text(
        f"gadr.pdf: attached to record #{desk.gadr}"
    )
    page.wait_for_load_state()
    expect(page.locator(f'tr[data-record="{desk.gadr}"] a.read')).to_be_visible()
    watched.shot("fulltext-desk")

    page.locator(f'tr[data-record="{desk.gadr}"] a.read').click()
    expect(page.locator("#reader")).to_have_attribute("data-ready", "1", timeout=30_000)
    first = page.locator('.pdf-page[data-page="1"] .textLayer')
    expect(first).to_contain_text("Documenting design decisions")
    select_text(page, '.pdf-page[data-page="1"] .textLayer', "Documenting", "understand")
    expect(page.locator("#add-finding")).to_be_enabled()
    with page.expect_response(lambda r: "/findings" in r.url):
        page.keyboard.press("a")
    added = page.locator("#findings li").last
    expect(added).to_contain_text("open at p. 1")
    quote = added.locator(".finding-text").inner_text()
    assert quote.startswith("Documenting design decisions in a project fosters understand")
    finding = int(added.get_attribute("data-finding") or 0)
    watched.shot("fulltext-reader-finding")

    page.goto("/board")
    note = page.locator(f"#note-{finding}")
    expect(note).to_contain_text("open at p. 1")
    drag(page, note, page.locator(f"#theme-{desk.theme} ul.notes"))
    expect(page.locator(f"#theme-{desk.theme} #note-{finding}")).to_be_visible()
    page.locator(f"#theme-{desk.theme} #note-{finding} a.open-at").click()
    expect(page.locator('.pdf-page[data-page="1"]')).to_have_attribute(
        "data-highlighted", str(finding), timeout=30_000
    )
    watched.shot("fulltext-reader-highlight")
    assert watched.errors == []
    assert watched.blocked == []

    folder = desk.project.report.write(formats=["html", "markdown", "latex"]).folder
    cited = r"\[<a href=\"#ref-\d+\">\d+, p\. 1</a>\]"
    html = (folder / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"{re.escape(quote)}” {cited}", html)
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    opening = "Documenting design decisions in a project fosters understand"
    assert re.search(rf"> “{opening}.{{0,20}}” \\\[\d+, p\. 1\\\]", markdown)
    latex = (folder / "report.tex").read_text(encoding="utf-8")
    assert re.search(
        r"Documenting design decisions in a project fosters understand.{0,60}p\. 1", latex
    )


def test_two_reviewers_assess_quality_in_the_reader(watched: Watched, desk: Desk) -> None:
    from playwright.sync_api import expect

    page = watched.page
    given = {"R1": ["yes", "partly", "yes"], "R2": ["yes", "no", "yes"]}
    for reviewer, answers in given.items():
        page.goto(f"/fulltext/{desk.gadr}?reviewer={reviewer}")
        expect(page.locator("#reader")).to_have_attribute("data-ready", "1", timeout=30_000)
        for question, answer in zip(("Q1", "Q2", "Q3"), answers, strict=True):
            page.locator(f'#quality select[name="{question}"]').select_option(answer)
        with page.expect_response(lambda r: "/quality" in r.url):
            page.locator("#quality button[type=submit]").click()
        expect(page.locator("#reader-status")).to_contain_text("Quality answers saved")
    watched.shot("fulltext-reader-quality")
    rows = {r.question: r for r in desk.project.fulltexts.quality.agreement()}
    assert rows["Q2"].items == 1
    assert rows["Q2"].percent is not None
    assert rows["Q2"].percent.value == 0.0
    assert rows["Q1"].percent is not None
    assert rows["Q1"].percent.value == 1.0
    content = desk.project.report.content()
    assert content.quality is not None
    assert [a.what for a in content.quality.agreement] == [
        "Quality, Q1",
        "Quality, Q2",
        "Quality, Q3",
    ]
    assert watched.errors == []
