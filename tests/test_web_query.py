"""The query page: its JSON twin, the what-if fragment, and the page in Debian's chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI

from metasummary import Project
from metasummary.web import WebSettings, create_app
from tests.browser import Watched
from tests.liveserver import LiveServer
from tests.querydata import add_fault_records, fault_protocol

FRAGMENT = {"HX-Request": "true", "HX-Target": "what-if"}


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    built = make_project(fault_protocol())
    add_fault_records(built)
    return built


@pytest.fixture
def app(project: Project) -> FastAPI:
    return create_app(project, WebSettings(csrf_token="test-token"))


@pytest.mark.anyio
async def test_json_twin_holds_hits_seeds_fixes_and_suggestions(
    client: httpx.AsyncClient,
) -> None:
    data = (await client.get("/api/query")).json()
    assert data["hits"]["final"]["total"] == 2
    assert data["seeds"] == "protocol"
    assert data["check_error"] == ""
    first = data["check"]["seeds"][0]
    assert first["missing"] == ["C"]
    assert first["fixes"][0]["term"] == "predict*"
    assert all("group" in s for s in data["check"]["suggestions"])
    assert data["what_if"] is None


@pytest.mark.anyio
async def test_what_if_as_json_fragment_and_page(client: httpx.AsyncClient) -> None:
    params = {"add": "C:predict*", "drop": "C:estimation"}
    data = (await client.get("/api/query", params=params)).json()["what_if"]
    assert (data["records"]["gained"], data["records"]["lost"]) == (2, 1)
    assert data["seeds"]["found"] == ["Predicting fault-prone software modules"]
    fragment = await client.get("/query", params=params, headers=FRAGMENT)
    assert "<html" not in fragment.text
    assert 'data-count="gained">+2<' in fragment.text
    assert "finds seed paper: Predicting fault-prone software modules" in fragment.text
    page = (await client.get("/query", params={"add": "C:predict*\nC:forecast"})).text
    assert "C + predict*; C + forecast" in page
    assert 'aria-current="page">Query<' in page


@pytest.mark.anyio
async def test_bad_changes_and_missing_seeds_say_what_to_do(client: httpx.AsyncClient) -> None:
    bad = await client.get("/api/query", params={"drop": "Z"})
    assert bad.status_code == 400
    assert bad.json()["detail"] == "--drop Z: no such group; the query has A, B, C"
    included = (await client.get("/query", params={"seeds": "included"})).text
    assert 'id="check-error"' in included
    assert "no paper is included yet" in included


# -- in the browser -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("web-query") / "review"
    with Project.init(folder, protocol_text=fault_protocol()) as built:
        add_fault_records(built)
        with LiveServer(create_app(built)) as server:
            yield server


@pytest.mark.browser
def test_trying_a_fix_and_a_typed_change_in_the_browser(watched: Watched) -> None:
    page = watched.page
    assert page.goto("/query") is not None
    page.locator("li[data-fix='C'] a.try").first.click()
    summary = page.locator("#what-if-summary")
    summary.wait_for()
    assert "+2 gained" in summary.inner_text()
    assert "finds seed paper: Predicting fault-prone software modules" in page.inner_text(
        "#what-if"
    )
    watched.shot("query-try-fix")
    page.fill("textarea[name=add]", "")
    page.fill("textarea[name=drop]", "B:defect")
    page.click(".what-if-form button")
    page.locator("#what-if-summary", has_text="−1 lost").wait_for()
    assert "loses seed paper: Software defect prediction with metrics" in page.inner_text(
        "#what-if"
    )
    watched.shot("query-try-drop")
    assert watched.errors == []
    assert watched.blocked == []
