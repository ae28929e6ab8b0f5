"""The collector pause around requests: counted, restored, and in place in the app."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from metasummary import Project
from metasummary.web import WebSettings, create_app
from metasummary.web.collector import CollectorMiddleware, CollectorPause
from tests.reviewdata import build_review, review_protocol

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_runs_again_only_when_the_last_request_ends() -> None:
    gc.enable()
    pause = CollectorPause()
    pause.enter()
    pause.enter()
    assert not gc.isenabled()
    pause.leave()
    assert not gc.isenabled()  # one request is still in flight
    pause.leave()
    assert gc.isenabled()
    assert pause.active == 0


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    pause = CollectorPause()
    pause.enter()
    pause.leave()
    assert not gc.isenabled()


async def test_a_request_runs_with_the_collector_paused_even_when_it_fails() -> None:
    gc.enable()
    seen: list[bool] = []

    async def inner(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(gc.isenabled())
        if scope["path"] == "/fail":
            raise RuntimeError("broken page")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    app = CollectorMiddleware(inner)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        assert (await client.get("/")).text == "ok"
        assert gc.isenabled()
        assert (await client.get("/fail")).status_code == 500
    assert seen == [False, False]
    assert gc.isenabled()
    assert app.pause.active == 0


async def test_the_app_pauses_the_collector_in_its_sync_pages(
    make_project: Callable[..., Project],
) -> None:
    gc.enable()
    review = build_review(make_project(review_protocol()))
    app = create_app(review.project, WebSettings())
    seen: list[bool] = []

    @app.get("/_probe", include_in_schema=False)
    def probe() -> dict[str, bool]:  # run in the thread pool, like the app's pages
        seen.append(gc.isenabled())
        return {"ok": True}

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        assert (await c.get("/_probe")).status_code == 200
    assert seen == [False]
    assert gc.isenabled()
