"""The imports page: a file imported from the browser goes where its content says, or where
the reviewer chooses when it says nothing; imports are undone and redone there."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI

from metasummary import Project
from metasummary.web import WebSettings, create_app
from metasummary.web.reviewer import REVIEWER_COOKIE
from tests.correctiondata import correction_protocol, ris
from tests.helpers import announce_calls
from tests.liveserver import LiveServer

pytestmark = pytest.mark.anyio
TOKEN = "test-token"
HTMX = {"X-CSRF-Token": TOKEN, "HX-Request": "true", "HX-Target": "imports"}


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project(correction_protocol(dual=False))


@pytest.fixture
def app(project: Project) -> Iterator[FastAPI]:
    assert project.root is not None
    with Project.open(project.root, actor="") as served:  # as `metasummary serve` opens it
        yield create_app(served, WebSettings(csrf_token=TOKEN))


def _file(name: str, text: str) -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, text.encode(), "application/x-research-info-systems")}


async def test_import_choose_undo_and_redo_in_the_browser(
    client: httpx.AsyncClient, project: Project
) -> None:
    scopus = ris(["Paper one", "Paper two"], database="Scopus")
    refused = await client.post("/imports", files=_file("s.ris", scopus), headers=HTMX)
    assert refused.status_code == 400  # nobody chose who they are
    client.cookies.set(REVIEWER_COOKIE, "R2")
    routed = await client.post("/imports", files=_file("s.ris", scopus), headers=HTMX)
    assert "s.ris: 2 record(s) into &#39;Scopus&#39;" in routed.text
    plain = ris(["Paper three"], doi_prefix="10.5555/p")
    asked = await client.post("/imports", files=_file("plain.ris", plain), headers=HTMX)
    assert 'id="choose-source"' in asked.text
    assert "its content names no library" in asked.text
    assert '<option value="">' not in asked.text  # a source must be chosen now
    chosen = await client.post(
        "/imports", files=_file("plain.ris", plain), data={"source": "IEEE Xplore"}, headers=HTMX
    )
    assert "1 record(s) into &#39;IEEE Xplore&#39;" in chosen.text
    assert project.status().total.records == 3

    undone = await client.post("/imports/1/undo", headers=HTMX)
    assert "Import 1 (s.ris) undone" in undone.text
    assert 'id="batch-1" class="retracted"' in undone.text
    assert project.status().total.records == 1
    (batch, _) = (await client.get("/api/imports")).json()
    assert batch["retracted_by"] == "R2"
    redone = await client.post("/api/imports/1/redo", headers={"X-CSRF-Token": TOKEN})
    assert redone.json()["action"] == "redo"
    assert project.status().total.records == 3


def test_an_upload_waiting_for_the_write_lock_leaves_the_server_answering(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real server (one worker, one event loop): while an upload waits for the write lock
    another change holds, the worker still answers other requests."""
    assert project.root is not None
    with Project.open(project.root, actor="") as served:
        started = announce_calls(monkeypatch, served.imports, "import_bytes")
        app = create_app(served, WebSettings(csrf_token=TOKEN))
        with LiveServer(app) as live, ThreadPoolExecutor(max_workers=1) as pool:
            uploader = httpx.Client(base_url=live.url, timeout=60, cookies={REVIEWER_COOKIE: "R2"})
            scopus = ris(["Paper one", "Paper two"], database="Scopus")
            with served.store.write():  # another change holds the lock
                upload = pool.submit(
                    uploader.post, "/imports", files=_file("s.ris", scopus), headers=HTMX
                )
                assert started.wait(30)
                other = httpx.get(live.url + "/api/imports", timeout=5)
                assert (other.status_code, other.json()) == (200, [])
            done = upload.result(timeout=60)
            uploader.close()
            assert "s.ris: 2 record(s) into &#39;Scopus&#39;" in done.text
