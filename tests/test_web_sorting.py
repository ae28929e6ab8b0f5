"""The card-sort board, the dedup review and the report page in-process."""

from __future__ import annotations

import re
from collections.abc import Callable

import anyio
import httpx
import pytest
from fastapi import FastAPI

from metasummary import Project
from metasummary.web import WebSettings, create_app
from metasummary.web.security import REPORT_POLICY
from tests.webdata import Workshop, build_workshop, workshop_protocol

pytestmark = pytest.mark.anyio
TOKEN = "test-token"
HTMX = {"X-CSRF-Token": TOKEN, "HX-Request": "true"}


@pytest.fixture
def shop(make_project: Callable[..., Project]) -> Workshop:
    return build_workshop(make_project(workshop_protocol()))


@pytest.fixture
def app(shop: Workshop) -> FastAPI:
    return create_app(shop.project, WebSettings(csrf_token=TOKEN))


def papers(html: str, theme: int) -> int:
    head = re.search(rf'id="theme-{theme}-head".*?data-papers="(\d+)"', html, re.S)
    assert head, html
    return int(head.group(1))


async def test_board_json_counts_distinct_papers(client: httpx.AsyncClient, shop: Workshop) -> None:
    data = (await client.get("/api/board")).json()
    themes = {t["label"]: t for lane in data["stages"] for t in lane["themes"]}
    unclear = themes["Unclear requirements"]
    assert (unclear["papers"], len(unclear["findings"])) == (2, 3)  # paper 1 twice: counted once
    assert themes["Testing is hard"]["papers"] == 1
    assert {lane["code"]: lane["papers"] for lane in data["stages"]} == {"REQ": 2, "QA": 1}
    assert sorted(f["id"] for f in data["unsorted"]) == sorted(shop.unsorted)


async def test_board_page_escapes_notes(client: httpx.AsyncClient, shop: Workshop) -> None:
    html = (await client.get("/board")).text
    assert "&lt;b&gt;Bold&lt;/b&gt; claim." in html
    assert "<b>Bold</b>" not in html
    assert papers(html, shop.themes["Unclear requirements"]) == 2
    assert 'src="/static/vendor/Sortable.min.js"' in html
    assert 'hx-get="/board/suggestions?coder="' in html
    assert f'data-finding="{shop.unsorted[0]}"' in html


async def test_moving_a_note_answers_with_both_counts(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    unclear, testing = shop.themes["Unclear requirements"], shop.themes["Testing is hard"]
    moved = shop.findings["Unclear requirements"][0]  # paper 0's only finding there
    form = {"finding": moved, "theme": testing, "from_theme": unclear, "position": 0}
    answer = await client.post("/board/moves", data=form, headers=HTMX)
    assert answer.status_code == 200
    html = answer.text
    assert html.count('hx-swap-oob="true"') == 5  # two themes, two stages, the pile
    assert papers(html, unclear) == 1
    assert papers(html, testing) == 2
    assert 'id="lane-REQ-head"' in html
    assert 'id="lane-QA-head"' in html
    board = (await client.get("/api/board")).json()
    qa = board["stages"][1]["themes"][0]
    assert qa["findings"][0]["id"] == moved  # at the position dropped
    back = {"finding": moved, "theme": "", "from_theme": testing}
    pile = (await client.post("/board/moves", data=back, headers=HTMX)).text
    assert 'data-findings="3"' in pile  # the unsorted pile grew
    undone = await client.post("/board/undo", data={}, headers=HTMX)
    assert "Undid: moved finding(s)" in undone.text
    assert papers(undone.text, testing) == 2


async def test_themes_are_created_renamed_moved_and_merged(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    made = await client.post(
        "/board/themes", data={"stage": "QA", "label": "Flaky <data>"}, headers=HTMX
    )
    assert "Created theme &#39;Flaky &lt;data&gt;&#39; in QA" in made.text
    (new,) = [
        t["id"]
        for lane in (await client.get("/api/board")).json()["stages"]
        for t in lane["themes"]
        if t["label"] == "Flaky <data>"
    ]
    renamed = await client.post(
        f"/board/themes/{new}/rename", data={"label": "Flaky data"}, headers=HTMX
    )
    assert 'hx-swap-oob="true"' in renamed.text
    assert "Flaky data" in renamed.text
    moved = await client.post(
        f"/board/themes/{new}/move",
        data={"stage": "REQ", "from_stage": "QA", "position": 0},
        headers=HTMX,
    )
    assert 'id="lane-REQ-head"' in moved.text
    assert "2 themes" in moved.text
    assert (await client.get("/api/board")).json()["stages"][0]["themes"][0]["id"] == new
    unclear, testing = shop.themes["Unclear requirements"], shop.themes["Testing is hard"]
    merged = await client.post(
        f"/board/themes/{testing}/merge", data={"into": unclear}, headers=HTMX
    )
    assert "Merged theme" in merged.text
    assert papers(merged.text, unclear) == 3
    assert f'id="theme-{testing}"' not in merged.text
    clash = await client.post(
        "/board/themes", data={"stage": "REQ", "label": "flaky DATA"}, headers=HTMX
    )
    assert clash.status_code == 400
    assert "already has a theme" in clash.text


async def test_suggestions_fill_the_unsorted_notes(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    html = (await client.get("/board/suggestions")).text
    for finding in shop.unsorted:
        assert f'id="suggest-{finding}" hx-swap-oob="true"' in html
    data = (await client.get("/api/board/suggestions")).json()
    by_finding = {s["finding_id"]: s for s in data["suggestions"]}
    testing = by_finding[shop.unsorted[0]]  # "Testing data pipelines takes long."
    assert testing["themes"][0]["label"] == "Testing is hard"
    assert 'class="chip"' in html


async def test_suggestions_are_kept_until_a_note_moves(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    def unsorted(data: dict[str, list[dict[str, int]]]) -> set[int]:
        return {s["finding_id"] for s in data["suggestions"]}

    first = (await client.get("/api/board/suggestions")).json()
    assert (await client.get("/api/board/suggestions")).json() == first  # kept
    moved, *rest = shop.unsorted
    body = {"findings": [moved], "theme_id": shop.themes["Unclear requirements"]}
    assert (await client.post("/api/board/moves", json=body, headers=HTMX)).status_code == 200
    after = (await client.get("/api/board/suggestions")).json()
    assert unsorted(first) == set(shop.unsorted)
    assert unsorted(after) == set(rest)


async def test_board_json_changes(client: httpx.AsyncClient, shop: Workshop) -> None:
    unclear = shop.themes["Unclear requirements"]
    body = {"findings": shop.unsorted, "theme_id": unclear}
    board = (await client.post("/api/board/moves", json=body, headers=HTMX)).json()
    assert board["unsorted"] == []
    made = await client.post(
        "/api/board/themes", json={"stage": "QA", "label": "Ops"}, headers=HTMX
    )
    theme = made.json()["id"]
    renamed = await client.post(
        f"/api/board/themes/{theme}/rename", json={"label": "Operations"}, headers=HTMX
    )
    assert renamed.json()["label"] == "Operations"
    moved = await client.post(
        f"/api/board/themes/{theme}/move", json={"stage": "REQ"}, headers=HTMX
    )
    assert moved.json()["stage"] == "REQ"
    merged = await client.post(
        f"/api/board/themes/{theme}/merge", json={"into": unclear}, headers=HTMX
    )
    assert merged.json()["id"] == unclear
    undone = (await client.post("/api/board/undo", headers=HTMX)).json()
    assert undone["action"] == "sort.theme.merge"
    missing = await client.post(
        "/api/board/moves", json={"findings": [999], "theme_id": unclear}, headers=HTMX
    )
    assert missing.status_code == 400
    assert "finding 999" in missing.json()["detail"]


async def test_dedup_pairs_side_by_side(client: httpx.AsyncClient, shop: Workshop) -> None:
    html = (await client.get("/dedup")).text
    assert 'data-total="1"' in html
    title = re.search(r'<tr class="differs" data-field="title">(.*?)</tr>', html, re.S)
    assert title is not None
    assert "<mark>of</mark>" in title.group(1)
    assert "<mark>in</mark>" in title.group(1)
    assert '<tr class="same" data-field="authors">' in html  # "Lee, K." and "Lee, K"
    assert '<tr class="differs" data-field="year">' in html
    assert 'data-key="a"' in html
    data = (await client.get("/api/dedup/pairs")).json()
    assert data["total"] == 1
    assert data["pairs"][0]["score"] == 0.71
    answer = await client.post(
        f"/dedup/pairs/{shop.pair}", data={"accept": "true"}, headers={**HTMX, "HX-Target": "pairs"}
    )
    assert "linked as duplicates" in answer.text
    assert 'data-total="0"' in answer.text
    a, b = shop.pair_records
    assert shop.project.browser.detail(b).canonical_id == a
    again = await client.post(f"/api/dedup/pairs/{shop.pair}", json={"accept": False}, headers=HTMX)
    assert again.json()["status"] == "rejected"
    assert (
        await client.post("/api/dedup/pairs/999", json={"accept": True}, headers=HTMX)
    ).status_code == 400


async def test_report_is_written_and_served_from_its_folder(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    state = (await client.get("/api/report")).json()
    assert state["available"] is False
    assert "not been written" in state["message"]
    assert 'id="write-report"' in (await client.get("/report")).text
    started = await client.post("/report/write", headers={**HTMX, "HX-Target": "report"})
    assert started.status_code == 200
    assert 'hx-get="/report/progress"' in started.text  # the page asks until it is written
    assert "Writing the report" in started.text
    progress = (await client.get("/api/report/progress")).json()
    for _ in range(600):
        if not progress["running"]:
            break
        assert progress["step"]
        await anyio.sleep(0.1)
        progress = (await client.get("/api/report/progress")).json()
    assert progress["running"] is False
    assert progress["error"] == ""
    assert progress["done"] == progress["total"] > 5
    written = await client.get("/report/progress", headers={**HTMX, "HX-Target": "report"})
    assert 'id="report-frame"' in written.text
    assert 'src="/report/files/index.html"' in written.text
    assert 'id="report-notice"' in written.text
    assert "hx-trigger" not in written.text  # done: the page stops asking
    state = (await client.get("/api/report")).json()
    assert state["available"] is True
    assert "figures/prisma.svg" in " ".join(state["files"])
    index = await client.get("/report/files/index.html")
    assert index.status_code == 200
    assert index.headers["content-type"].startswith("text/html")
    assert index.headers["content-security-policy"] == REPORT_POLICY
    assert index.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<svg" in index.text
    svg = next(f for f in state["files"] if f.endswith(".svg"))
    assert (await client.get(f"/report/files/{svg}")).headers["content-type"] == "image/svg+xml"
    page = await client.get("/report")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    for bad in ("../protocol.yaml", "..%2Fprotocol.yaml", "%2E%2E/review.db", "figures"):
        assert (await client.get(f"/report/files/{bad}")).status_code == 404, bad
