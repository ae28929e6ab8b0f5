"""The web app in a real browser: Debian's chromium, headless, driven by Playwright.

A uvicorn server runs the app on a free 127.0.0.1 port; every request the pages make to any
other address is blocked and reported, so the pages are shown to work without a network.
Screenshots of every page land in ``test-artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from metasummary import Project
from metasummary.web import create_app
from tests.browser import Watched
from tests.liveserver import LiveServer
from tests.reviewdata import SCRIPT_ABSTRACT, SCRIPT_TITLE, Review, build_review, review_protocol

if TYPE_CHECKING:
    pass

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Review]:
    folder = tmp_path_factory.mktemp("web") / "review"
    with Project.init(folder, protocol_text=review_protocol()) as project:
        yield build_review(project)


@pytest.fixture(scope="module")
def live(review: Review) -> Iterator[LiveServer]:
    app = create_app(review.project)

    @app.post("/api/_probe", include_in_schema=False)
    def probe() -> dict[str, bool]:
        return {"ok": True}

    with LiveServer(app) as server:
        yield server


def test_every_page_opens_without_console_errors(watched: Watched, review: Review) -> None:
    pages = {
        "dashboard": "/",
        "records": "/records",
        "record": f"/records/{review.script}",
        "record-duplicate-group": f"/records/{review.duplicate}",
        "record-imported": f"/records/{review.ieee[3]}",
        "report": "/report",
        "query": "/query",
    }
    for name, path in pages.items():
        response = watched.page.goto(path)
        assert response is not None
        assert response.status == 200, path
        assert watched.page.evaluate("typeof htmx") == "object", path  # the vendored copy
        watched.shot(name)
    assert watched.errors == []
    assert watched.blocked == []
    assert watched.dialogs == []


def test_script_in_imported_text_renders_as_text(watched: Watched, review: Review) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto(f"/records/{review.script}")
    expect(page.locator("#record-title")).to_have_text(SCRIPT_TITLE)
    expect(page.locator("#abstract")).to_have_text(SCRIPT_ABSTRACT)
    assert page.locator("main script").count() == 0
    # Through an htmx swap too: type a search and let the results be replaced.
    page.goto("/records")
    page.locator("#q").fill("sneaky")
    expect(page.locator("#record-count")).to_have_text("1")
    expect(page.locator("table.records td.title a")).to_have_text(SCRIPT_TITLE)
    expect(page.locator("table.records .snippet")).to_contain_text("<script>window.__pwned")
    assert page.evaluate("window.__pwned") is None
    assert watched.dialogs == []
    assert watched.errors == []


def test_filtering_the_records_changes_the_count(watched: Watched, review: Review) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/records")
    count = page.locator("#record-count")
    expect(count).to_have_text("12")
    page.select_option("#source", "ACM")
    expect(count).to_have_text("4")
    assert "source=ACM" in page.url
    assert "title-abstract=" not in page.url  # empty filters stay out of the address
    page.select_option("#state-title-abstract", "conflict")
    expect(count).to_have_text("1")
    expect(page.locator(f'tr[data-record="{review.duplicate}"]')).to_be_visible()
    watched.shot("records-filtered")
    page.locator("#q").fill("no such words")
    expect(count).to_have_text("0")
    expect(page.locator("#results .empty")).to_be_visible()
    page.goto("/records?per_page=5")
    page.get_by_role("link", name="Next →").click()
    expect(page.locator("p.count")).to_contain_text("page 2 of 3")
    assert "page=2" in page.url
    assert watched.errors == []


def test_a_dashboard_count_leads_to_its_records(watched: Watched) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto("/")
    link = page.locator(
        'tr[data-source="IEEE"] td[data-phase="title-abstract"][data-state="included"] a'
    )
    shown = link.inner_text()
    assert shown == "2"
    link.click()
    expect(page.locator("#record-count")).to_have_text(shown)
    assert watched.errors == []


def test_htmx_requests_carry_the_csrf_token(watched: Watched) -> None:
    page = watched.page
    page.goto("/")
    with page.expect_response(lambda r: r.url.endswith("/api/_probe")) as sent:
        page.evaluate("htmx.ajax('POST', '/api/_probe', {target: 'body', swap: 'none'})")
    assert sent.value.status == 200
    bare = page.evaluate("fetch('/api/_probe', {method: 'POST'}).then(r => r.status)")
    assert bare == 403
