"""The screening, conflicts, dedup, card-sort and report pages in Debian's chromium.

Keys and drags as a reviewer makes them, against a uvicorn server on a free 127.0.0.1 port;
screenshots land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from metasummary import Project
from metasummary.web import create_app
from tests.browser import Watched
from tests.liveserver import LiveServer
from tests.webdata import SCRIPT_ABSTRACT, Workshop, build_workshop, workshop_protocol

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workshop]:
    folder = tmp_path_factory.mktemp("web-review") / "review"
    with Project.init(folder, protocol_text=workshop_protocol()) as project:
        yield build_workshop(project)


@pytest.fixture(scope="module")
def live(shop: Workshop) -> Iterator[LiveServer]:
    with LiveServer(create_app(shop.project)) as server:
        yield server


def number(locator: Locator) -> int:
    return int(locator.inner_text().replace(",", "").rstrip("x").split()[0])


def drag(page: Page, source: Locator, target: Locator) -> None:
    """Drag ``source`` onto ``target`` and wait for the server's answer to the drop."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        source.drag_to(target)


def test_every_review_page_opens_without_console_errors(watched: Watched, shop: Workshop) -> None:
    from playwright.sync_api import expect

    page = watched.page
    pages = {
        "screening-choose": "/screening",
        "screening": "/screening?reviewer=R1",
        "conflicts": "/conflicts?reviewer=R3",
        "dedup": "/dedup",
        "board": "/board",
        "board-coder": "/board?coder=R1",
    }
    for name, path in pages.items():
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        assert page.evaluate("typeof htmx") == "object", path
        watched.shot(name)
    page.goto("/")
    expect(page.locator('[data-loaded="agreement"]')).to_be_visible()
    progress = page.locator('[data-loaded="screening-progress"] tr[data-reviewer="R1"]')
    expect(progress).to_have_count(2)  # one row per phase
    watched.shot("dashboard-panels")
    page.goto("/report")
    page.locator("#write-report").click()
    expect(page.locator("#report-progress")).to_be_visible()  # each step as it happens
    watched.shot("report-progress")
    expect(page.locator("#report-notice")).to_be_visible(timeout=120_000)
    expect(page.locator("#report-progress")).to_have_count(0)
    expect(page.locator("#report-frame")).to_be_visible()
    frame = page.frame_locator("#report-frame")
    expect(frame.locator("figure.chart svg").first).to_be_visible()
    watched.shot("report")
    assert watched.errors == []
    assert watched.blocked == []
    assert watched.dialogs == []


def test_script_in_an_abstract_renders_as_text_when_screening(
    watched: Watched, shop: Workshop
) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto(f"/screening?reviewer=R2&front={shop.script}")  # runs before the votes below
    expect(page.locator("#card")).to_have_attribute("data-record", str(shop.script))
    expect(page.locator("#screen-abstract")).to_have_text(SCRIPT_ABSTRACT)
    expect(page.locator("#screen-abstract mark")).to_have_text("Machine learning")
    assert page.locator("main script, main img").count() == 0
    assert page.evaluate("window.__screened") is None
    watched.shot("screening-script-abstract")
    assert watched.dialogs == []
    assert watched.errors == []


def test_screen_five_records_by_keyboard(watched: Watched) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/screening?reviewer=R1")
    card = page.locator("#card")
    screened = page.locator("#screened-count")
    left = page.locator("#open-count")
    start, open_at_start = number(screened), number(left)
    seen: list[str] = []
    keys = ["i", "m", "2e", "3e", "m"]  # 2 and 3 tick E1 and E2 before excluding
    for step, key in enumerate(keys, start=1):
        record = card.get_attribute("data-record")
        assert record is not None
        seen.append(record)
        for press in key:
            page.keyboard.press(press)
        expect(screened).to_have_text(str(start + step))
        expect(left).to_have_text(str(open_at_start - step))
        expect(card).not_to_have_attribute("data-record", record)
        assert card.get_attribute("data-record") not in seen
    watched.shot("screening-after-five")
    timings = page.evaluate("performance.getEntriesByName('screen-next').map(e => e.duration)")
    assert len(timings) == len(keys)
    page.keyboard.press("u")
    expect(card).to_have_attribute("data-record", seen[-1])
    expect(screened).to_have_text(str(start + len(keys) - 1))
    page.keyboard.press("s")
    expect(card).not_to_have_attribute("data-record", seen[-1])
    expect(screened).to_have_text(str(start + len(keys) - 1))  # a skip decides nothing
    assert watched.errors == []


def test_a_refused_key_says_why(watched: Watched) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/screening?reviewer=R3")
    record = page.locator("#card").get_attribute("data-record")
    page.keyboard.press("e")  # an exclusion needs a criterion code
    expect(page.locator("#flash")).to_contain_text("exclusion criterion code")
    expect(page.locator("#card")).to_have_attribute("data-record", str(record))
    page.keyboard.press("2")
    page.keyboard.press("e")
    expect(page.locator("#card")).not_to_have_attribute("data-record", str(record))
    expect(page.locator("#flash")).to_be_hidden()
    errors = [e for e in watched.errors if "400" not in e]  # the refusal itself
    assert errors == []


def test_drag_a_note_to_another_theme_and_undo(watched: Watched, shop: Workshop) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/board")
    unclear, testing = shop.themes["Unclear requirements"], shop.themes["Testing is hard"]
    from_nx = page.locator(f"#theme-{unclear}-head .nx")
    to_nx = page.locator(f"#theme-{testing}-head .nx")
    expect(from_nx).to_have_text("2x")
    expect(to_nx).to_have_text("1x")
    note = page.locator(f"#note-{shop.findings['Unclear requirements'][0]}")
    drag(page, note, page.locator(f"#theme-{testing} ul.notes"))
    expect(from_nx).to_have_text("1x")
    expect(to_nx).to_have_text("2x")
    expect(page.locator(f"#theme-{testing} #note-{shop.findings['Unclear requirements'][0]}"))
    watched.shot("board-after-drag")
    page.keyboard.press("Control+z")
    expect(page.locator("#board-notice")).to_contain_text("Undid")
    expect(page.locator(f"#theme-{unclear}-head .nx")).to_have_text("2x")
    expect(page.locator(f"#theme-{testing}-head .nx")).to_have_text("1x")
    assert watched.errors == []


def test_drag_a_theme_to_another_stage(watched: Watched, shop: Workshop) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/board")
    testing = shop.themes["Testing is hard"]
    expect(page.locator("#lane-REQ-head .nx")).to_have_text("2x")
    drag(page, page.locator(f"#theme-{testing}-head"), page.locator('div.themes[data-stage="REQ"]'))
    expect(page.locator("#lane-REQ-head .nx")).to_have_text("3x")
    expect(page.locator("#lane-QA-head .nx")).to_have_text("0x")
    page.locator("#board-undo").click()
    expect(page.locator("#lane-QA-head .nx")).to_have_text("1x")
    assert watched.errors == []


def test_a_suggestion_moves_its_note(watched: Watched, shop: Workshop) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/board")
    chip = page.locator(f"#suggest-{shop.unsorted[0]} button.chip").first
    expect(chip).to_have_text("Testing is hard")
    unsorted = page.locator("#unsorted-count")
    before = number(unsorted)
    chip.click()
    expect(unsorted).to_have_text(f"{before - 1} note" + ("" if before - 1 == 1 else "s"))
    testing = shop.themes["Testing is hard"]
    expect(page.locator(f"#theme-{testing} #note-{shop.unsorted[0]}")).to_be_visible()
    page.locator("#board-undo").click()
    expect(unsorted).to_have_text(f"{before} notes")
    assert watched.errors == []


def test_dedup_and_conflicts_by_hand(watched: Watched, shop: Workshop) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/conflicts?reviewer=R3")
    first = shop.conflicts[0]
    page.locator(f"#conflict-{first} button[value=include]").click()
    expect(page.locator(f"#conflict-{first}")).to_contain_text("third reviewer")
    watched.shot("conflicts-resolved")
    page.goto("/dedup")
    expect(page.locator("#pair-count")).to_have_text("1")
    expect(page.locator('tr.differs[data-field="title"] mark').first).to_be_visible()
    page.keyboard.press("a")
    expect(page.locator("#pair-count")).to_have_text("0")
    expect(page.locator("#dedup-notice")).to_contain_text("linked as duplicates")
    assert watched.errors == []
