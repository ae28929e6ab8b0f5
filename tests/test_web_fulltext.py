"""The full-text desk and reader in-process: PDFs dropped, the reader's JSON twin (blind
title/abstract votes), a selection added as a finding, quality answers, the PDF served."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from metasummary import Project
from metasummary.web import WebSettings, create_app
from tests.fulltextdata import PaperReview, paper_review
from tests.helpers import announce_calls
from tests.liveserver import LiveServer

pytestmark = pytest.mark.anyio
TOKEN = "test-token"
CSRF = {"X-CSRF-Token": TOKEN}


@pytest.fixture
def review(make_project: Callable[..., Project], shared_data: Path) -> PaperReview:
    """Title/abstract in dual mode: R1 has voted on gadr, R2 not yet (blind)."""
    review = paper_review(
        make_project,
        shared_data / "pdfs",
        screening={"title_abstract": {"mode": "dual"}, "full_text": {"mode": "single"}},
    )
    gadr = review.ids["gadr.pdf"]
    review.project.screening.decide(
        gadr, phase="title-abstract", reviewer="R1", verdict="include", note="looks central"
    )
    return review


@pytest.fixture
def app(review: PaperReview) -> FastAPI:
    return create_app(review.project, WebSettings(csrf_token=TOKEN))


async def test_dropped_pdfs_are_matched_and_attached(
    client: httpx.AsyncClient, review: PaperReview
) -> None:
    files = [
        ("files", ("gadr.pdf", (review.pdfs / "gadr.pdf").read_bytes(), "application/pdf")),
        (
            "files",
            ("two_pages.pdf", (review.pdfs / "two_pages.pdf").read_bytes(), "application/pdf"),
        ),
    ]
    response = await client.post(
        "/api/fulltext/attach", files=files, data={"reviewer": "R1"}, headers=CSRF
    )
    assert response.status_code == 200, response.text
    got = {f["file"]: f for f in response.json()["files"]}
    assert got["gadr.pdf"]["record_id"] == review.ids["gadr.pdf"]
    assert got["two_pages.pdf"]["warnings"] == [
        "page 1 of two_pages.pdf has no text: scanned? OCR it and attach again"
    ]
    desk = (await client.get("/api/fulltext")).json()
    assert desk["held"] == 2
    page = await client.get("/fulltext")
    assert "gadr.pdf · 3 p." in page.text


async def test_a_broken_drop_is_one_line_and_changes_nothing(
    client: httpx.AsyncClient, review: PaperReview
) -> None:
    files = [("files", ("bad.pdf", b"%PDF-1.4 broken", "application/pdf"))]
    response = await client.post(
        "/api/fulltext/attach", files=files, data={"reviewer": "R1"}, headers=CSRF
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("bad.pdf: the PDF is damaged")
    assert review.project.fulltexts.list() == []


async def test_the_reader_keeps_title_abstract_votes_blind(
    client: httpx.AsyncClient, review: PaperReview
) -> None:
    gadr = review.ids["gadr.pdf"]
    review.project.fulltexts.attach([review.pdfs / "gadr.pdf"])
    own = (await client.get(f"/api/fulltext/{gadr}?reviewer=R1")).json()
    assert [d["note"] for d in own["title_abstract"]["decisions"]] == ["looks central"]
    other = (await client.get(f"/api/fulltext/{gadr}?reviewer=R2")).json()
    assert other["title_abstract"]["decisions"] == []
    assert other["title_abstract"]["hidden_votes"] == 1
    html = (await client.get(f"/fulltext/{gadr}?reviewer=R2")).text
    assert "looks central" not in html
    assert "1 vote(s) by other reviewers, hidden" in html
    assert own["fulltext"]["pdf_url"] == f"/fulltext/{gadr}/pdf"
    pdf = await client.get(own["fulltext"]["pdf_url"])
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content == (review.pdfs / "gadr.pdf").read_bytes()


async def test_a_selection_becomes_a_finding_with_its_page(
    client: httpx.AsyncClient, review: PaperReview
) -> None:
    project = review.project
    gadr = review.ids["gadr.pdf"]
    project.screening.decide(gadr, phase="title-abstract", reviewer="R2", verdict="include")
    project.screening.decide(gadr, phase="full-text", reviewer="R1", verdict="include")
    project.fulltexts.attach([review.pdfs / "gadr.pdf"])
    selected = "Documenting design decisions in a project fosters understand- ing while developing"
    response = await client.post(
        f"/api/fulltext/{gadr}/findings",
        json={"quote": selected, "page": 1, "coder": "R1"},
        headers=CSRF,
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["finding"]["text"] == selected  # exactly as selected
    assert data["finding"]["kind"] == "quote"
    assert data["finding"]["location"] == "p. 1"
    assert data["place"]["page"] == 1
    assert data["place"]["start"] < data["place"]["end"]
    board = (await client.get("/api/board")).json()
    assert selected in [n["text"] for n in board["unsorted"]]
    reader = (await client.get(f"/api/fulltext/{gadr}?reviewer=R1")).json()
    assert reader["findings"][0]["page"] == 1
    html = (await client.get(f"/fulltext/{gadr}?reviewer=R1")).text
    assert f"?page=1&amp;finding={data['finding']['id']}" in html
    answered = await client.post(
        f"/api/fulltext/{gadr}/quality",
        json={"reviewer": "R1", "answers": {"Q1": "yes", "Q2": "partly"}},
        headers=CSRF,
    )
    assert answered.json()["score"] == 1.5


def test_a_drop_waiting_for_the_write_lock_leaves_the_server_answering(
    review: PaperReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real server (one worker, one event loop): while dropped PDFs wait for the write
    lock another change holds, the worker still answers other requests."""
    project = review.project
    started = announce_calls(monkeypatch, project.fulltexts, "attach_data")
    app = create_app(project, WebSettings(csrf_token=TOKEN))
    pdf = ("gadr.pdf", (review.pdfs / "gadr.pdf").read_bytes(), "application/pdf")
    with (
        LiveServer(app) as live,
        ThreadPoolExecutor(max_workers=1) as pool,
        httpx.Client(base_url=live.url, timeout=60) as dropper,
    ):
        with project.store.write():  # another change holds the lock
            drop = pool.submit(
                dropper.post,
                "/api/fulltext/attach",
                files=[("files", pdf)],
                data={"reviewer": "R1"},
                headers=CSRF,
            )
            assert started.wait(30)
            other = httpx.get(live.url + "/api/fulltext", timeout=5)
            assert other.status_code == 200
            assert other.json()["held"] == 0
        done = drop.result(timeout=60)
    assert done.status_code == 200, done.text
    assert project.fulltexts.list()  # attached once the lock was free
