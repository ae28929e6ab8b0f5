"""The records search in the web app: the full-text index is built off the request path."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi import FastAPI

from metasummary import Project
from metasummary.web import WebSettings, create_app
from metasummary.web.indexing import SearchIndexer
from tests.reviewdata import Review, build_review, review_protocol

pytestmark = pytest.mark.anyio
FRAGMENT = {"HX-Request": "true", "HX-Target": "results"}


@pytest.fixture
def review(make_project: Callable[..., Project]) -> Review:
    return build_review(make_project(review_protocol()))


@pytest.fixture
def app(review: Review) -> FastAPI:
    return create_app(review.project, WebSettings(csrf_token="test-token"))


async def test_first_search_builds_the_index_in_the_background(
    app: FastAPI, client: httpx.AsyncClient, review: Review
) -> None:
    indexer: SearchIndexer = app.state.indexer
    plain = (await client.get("/api/records")).json()
    assert (plain["page"]["search"], plain["search_index"]) == (None, None)
    assert indexer.wait(0)  # no search yet: nothing built

    first = (await client.get("/api/records", params={"q": "quirements"})).json()
    assert first["page"]["search"] == "scan"
    assert [r["id"] for r in first["page"]["rows"]] == [review.acm[2]]
    assert first["search_index"] == {"building": True, "error": ""}
    assert indexer.wait(60)

    later = (await client.get("/api/records", params={"q": "requirement"})).json()
    assert later["page"]["search"] == "index"
    assert [r["id"] for r in later["page"]["rows"]] == [review.acm[2]]
    assert later["search_index"] is None
    fragment = await client.get("/records?q=requirement", headers=FRAGMENT)
    assert "index-notice" not in fragment.text


async def test_the_page_says_the_index_is_being_built(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    fragment = await client.get("/records?q=machine", headers=FRAGMENT)
    assert 'id="index-notice"' in fragment.text
    assert "Preparing the search index" in fragment.text
    assert app.state.indexer.wait(60)
    full = await client.get("/records?q=machine")
    assert 'data-total="8"' in full.text
    assert "index-notice" not in full.text


async def test_a_failed_build_is_shown_and_tried_again(
    app: FastAPI, client: httpx.AsyncClient, review: Review, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail() -> bool:
        raise RuntimeError("disk full")

    monkeypatch.setattr(review.project.query, "ensure_index", fail)
    await client.get("/api/records", params={"q": "machine"})
    assert app.state.indexer.wait(60)
    fragment = await client.get("/records?q=machine", headers=FRAGMENT)
    assert "could not be built (disk full); trying again" in fragment.text
    assert app.state.indexer.wait(60)
    monkeypatch.undo()
    retried = (await client.get("/api/records", params={"q": "machine"})).json()
    assert retried["search_index"] == {"building": True, "error": "disk full"}
    assert app.state.indexer.wait(60)
    done = (await client.get("/api/records", params={"q": "machine"})).json()
    assert (done["page"]["search"], done["search_index"]) == ("index", None)
