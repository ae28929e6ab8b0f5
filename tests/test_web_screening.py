"""The screening and conflicts pages in-process: next record, keys' endpoints, blind mode,
stale rankings, and resolutions."""

from __future__ import annotations

import re
import threading
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI

from metasummary import Project
from metasummary.models import Phase
from metasummary.screening.queue import ReviewerQueue
from metasummary.store import decisions as store_decisions
from metasummary.web import WebSettings, create_app
from metasummary.web.desk import Desk
from metasummary.web.livequeue import LiveQueue
from tests.webdata import SCRIPT_ABSTRACT, Workshop, build_workshop, workshop_protocol

pytestmark = pytest.mark.anyio
TOKEN = "test-token"
HTMX = {"X-CSRF-Token": TOKEN, "HX-Request": "true", "HX-Target": "screen"}


@pytest.fixture
def shop(make_project: Callable[..., Project]) -> Workshop:
    return build_workshop(make_project(workshop_protocol()))


@pytest.fixture
def app(shop: Workshop) -> FastAPI:
    return create_app(shop.project, WebSettings(csrf_token=TOKEN, screening_wait=60))


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c,
    ):
        yield c


def shown(html: str) -> int:
    found = re.search(r'<form id="card"[^>]*data-record="(\d+)"', html)
    assert found, html
    return int(found.group(1))


def text_of(html: str) -> str:
    """What the page says, tags left out (a block one as a space) and spaces collapsed."""
    inline = re.sub(r"</?(?:a|strong|span|q|mark|kbd|em)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def count(html: str, name: str) -> int:
    found = re.search(rf'id="{name}" data-count="(\d+)"', html)
    assert found, html
    return int(found.group(1))


async def test_page_asks_who_is_screening(client: httpx.AsyncClient) -> None:
    html = (await client.get("/screening")).text
    assert 'id="choose-reviewer"' in html
    assert '<option value="R3">R3</option>' in html
    assert 'id="card"' not in html


async def test_card_marks_query_terms_and_escapes_markup(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    html = (await client.get(f"/screening?reviewer=R1&front={shop.script}")).text
    assert shown(html) == shop.script
    abstract = re.search(r'<p id="screen-abstract"[^>]*>(.*?)</p>', html, re.S)
    assert abstract is not None
    assert "<script>" not in abstract.group(1)
    assert "&lt;script&gt;window.__screened = 1&lt;/script&gt;&lt;img src=x" in abstract.group(1)
    assert "<mark>Machine learning</mark>" in abstract.group(1)
    assert 'data-digit="3"' in html  # I1, E1, E2 on keys 1-3
    data = (await client.get("/api/screening?reviewer=R1")).json()
    assert data["ready"] is True
    assert data["record"]["record_id"] in shop.open
    text = data["record"]["abstract"]
    for start, end in data["highlights"]["abstract"]:
        assert re.fullmatch(r"(?i)(machine|deep) learning|software engineering", text[start:end])
    assert [c["code"] for c in data["criteria"]] == ["I1", "E1", "E2"]
    # The page chose R1 for this browser; another reviewer chooses themselves afresh.
    assert (await client.get("/screening?reviewer=R2")).status_code == 403
    client.cookies.clear()
    scripted = (await client.get(f"/screening?reviewer=R2&front={shop.script}")).text
    assert shown(scripted) == shop.script
    html_json = await client.get(f"/api/records/{shop.script}")
    assert html_json.json()["data"]["abstract"] == SCRIPT_ABSTRACT


async def test_votes_move_on_and_undo_brings_the_record_back(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    page = (await client.get("/screening?reviewer=R1")).text
    seen: list[int] = []
    screened, left = count(page, "screened-count"), count(page, "open-count")
    for step in range(3):
        record = shown(page)
        seen.append(record)
        form = {"record": record, "phase": "title-abstract", "reviewer": "R1", "verdict": "maybe"}
        answer = await client.post("/screening/decide", data=form, headers=HTMX)
        assert answer.status_code == 200
        page = answer.text
        assert "<html" not in page
        assert f"Maybe recorded for record {record}" in page
        assert shown(page) not in seen
        assert count(page, "screened-count") == screened + step + 1
        assert count(page, "open-count") == left - step - 1
    undone = await client.post(
        "/screening/undo", data={"phase": "title-abstract", "reviewer": "R1"}, headers=HTMX
    )
    assert shown(undone.text) == seen[-1]
    assert count(undone.text, "screened-count") == screened + 2
    state = shop.project.screening.view(seen[-1], phase="title-abstract", viewer="R1")
    assert state.decisions == []
    # The ranking made after the response agrees with what the page counted.
    again = (await client.get("/api/screening?reviewer=R1")).json()
    assert again["progress"]["screened"] == screened + 2
    assert again["progress"]["decisions_not_yet_ranked"] == 0


async def test_a_refused_vote_changes_nothing(client: httpx.AsyncClient, shop: Workshop) -> None:
    record = shown((await client.get("/screening?reviewer=R1")).text)
    form = {"record": record, "phase": "title-abstract", "reviewer": "R1", "verdict": "exclude"}
    answer = await client.post("/screening/decide", data=form, headers=HTMX)
    assert answer.status_code == 400
    assert 'class="problems"' in answer.text
    assert "an exclusion needs a criterion code" in answer.text
    assert "<html" not in answer.text
    assert shop.project.screening.view(record, phase="title-abstract", viewer="R1").decisions == []
    plain = await client.post("/screening/decide", data=form, headers={"X-CSRF-Token": TOKEN})
    assert plain.status_code == 400
    assert "<!doctype html>" in plain.text  # a full error page without htmx
    ok = await client.post(
        "/screening/decide", data={**form, "criteria": ["E1", "E2"]}, headers=HTMX
    )
    assert ok.status_code == 200
    (vote,) = shop.project.screening.view(record, phase="title-abstract", viewer="R1").decisions
    assert vote.criteria == ["E1", "E2"]
    assert (await client.post("/screening/decide", data=form)).status_code == 403  # no token


async def test_blind_mode_hides_the_other_vote(client: httpx.AsyncClient, shop: Workshop) -> None:
    record = shop.open[0]
    shop.project.screening.decide(record, phase="title-abstract", reviewer="R1", verdict="include")
    html = (await client.get(f"/screening?reviewer=R2&front={record}")).text
    assert shown(html) == record
    assert 'id="hidden-votes">1 vote(s) by other reviewers' in html
    assert "R1:" not in html
    data = await client.get(f"/api/screening?reviewer=R2&skip={','.join(map(str, shop.open[1:]))}")
    record_data = data.json()["record"]
    assert record_data["record_id"] == record
    assert (record_data["decisions"], record_data["hidden_votes"]) == ([], 1)
    # R1 has voted: the record is no longer theirs to screen, even when asked for.
    client.cookies.clear()  # the page above chose R2 for this browser
    assert shown((await client.get(f"/screening?reviewer=R1&front={record}")).text) != record


async def test_only_records_in_the_phase_are_shown(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    html = (await client.get(f"/screening?phase=full-text&reviewer=R3&front={shop.open[0]}")).text
    assert 'id="screen-done"' in html  # every full-text record is decided; T/A ones stay out
    assert 'id="card"' not in html


async def test_skipped_records_come_round_again(client: httpx.AsyncClient) -> None:
    first = (await client.get("/screening?reviewer=R3")).text
    record = shown(first)
    skipped = (await client.get(f"/screening?reviewer=R3&also_skip={record}")).text
    assert shown(skipped) != record
    assert f'name="skip" value="{record}"' in skipped
    data = (await client.get("/api/screening?reviewer=R3")).json()
    everything = ",".join(str(r) for r in [record, *range(1, 40)])
    again = (await client.get(f"/screening?reviewer=R3&skip={everything}")).text
    assert shown(again) == data["record"]["record_id"]  # all skipped: start over
    assert 'name="skip" value=""' in again


async def test_json_votes_and_undo(client: httpx.AsyncClient, shop: Workshop) -> None:
    first = (await client.get("/api/screening?reviewer=R2")).json()["record"]["record_id"]
    body = {"record_id": first, "reviewer": "R2", "verdict": "include", "criteria": ["I1"]}
    voted = (await client.post("/api/screening/decisions", json=body, headers=HTMX)).json()
    assert voted["decision"]["record_id"] == first
    assert voted["decision"]["state"] == "awaiting"  # dual: R1 has not voted
    assert voted["next"]["record"]["record_id"] != first
    undo = await client.post("/api/screening/undo", json={"reviewer": "R2"}, headers=HTMX)
    assert undo.json()["decision"]["kind"] == "retraction"
    assert undo.json()["next"]["record"]["record_id"] == first
    bad = await client.post(
        "/api/screening/decisions", json={**body, "reviewer": "R9"}, headers=HTMX
    )
    assert bad.status_code == 400
    assert "R9" in bad.json()["detail"]
    progress = (await client.get("/api/screening/progress")).json()
    assert {(p["reviewer"], p["phase"]) for p in progress} >= {("R2", "title-abstract")}


def test_a_stale_ranking_never_offers_a_decided_record(shop: Workshop) -> None:
    project = shop.project
    desk = Desk(wait=60)
    live = desk.live(project, Phase.TITLE_ABSTRACT, "R1")
    assert live.wait(60)
    first = desk.next_view(project, live, Phase.TITLE_ABSTRACT, "R1")
    assert first is not None
    # Decided behind the desk's back (another tab, the CLI): the ranking still lists it.
    project.screening.decide(first.group, phase="title-abstract", reviewer="R1", verdict="maybe")
    assert first.group in live.ranking().records
    after = desk.next_view(project, live, Phase.TITLE_ABSTRACT, "R1")
    assert after is not None
    assert after.group != first.group
    # R2 and R3 vote on the next one: the phase's two votes are in, so R1 may not vote.
    for reviewer in ("R2", "R3"):
        project.screening.decide(
            after.group, phase="title-abstract", reviewer=reviewer, verdict="include"
        )
    third = desk.next_view(project, live, Phase.TITLE_ABSTRACT, "R1")
    assert third is not None
    assert third.group not in (first.group, after.group)
    desk.close()


def test_pending_votes_count_until_the_ranking_reflects_them(shop: Workshop) -> None:
    desk = Desk(wait=60)
    live = desk.live(shop.project, "title-abstract", "R1")
    assert live.wait(60)
    before = live.progress()
    record = live.ranking().records[0]
    shop.project.screening.decide(record, phase="title-abstract", reviewer="R1", verdict="include")
    live.record_vote(record, 1)
    shown_now = live.progress()
    assert (shown_now.screened, shown_now.open, shown_now.included) == (
        before.screened + 1,
        before.open - 1,
        before.included + 1,
    )
    assert (shown_now.pending, shown_now.since_inclusion) == (1, 0)
    assert record not in list(live.candidates())
    live.refresh()
    ranked = live.progress()
    assert ranked.pending == 0
    assert (ranked.screened, ranked.open) == (shown_now.screened, shown_now.open)
    shop.project.screening.retract(record, phase="title-abstract", reviewer="R1")
    live.record_undo(record)
    assert next(live.candidates()) == record
    assert live.progress().screened == before.screened
    live.refresh()
    assert live.progress().pending == 0


def test_a_quick_ranking_serves_until_the_full_one_replaces_it(shop: Workshop) -> None:
    # On a large review the titles rank first; the full ranking follows on the same thread.
    screening = shop.project.screening
    release = threading.Event()
    opened: list[bool] = []

    def quick() -> ReviewerQueue:
        opened.append(True)
        return screening.reviewer_queue(phase="title-abstract", reviewer="R1", titles_only=True)

    def full() -> ReviewerQueue:
        assert release.wait(60)
        opened.append(False)
        return screening.reviewer_queue(phase="title-abstract", reviewer="R1")

    live = LiveQueue(quick, full)
    live.start()
    assert live._ready.wait(60)
    assert live.wait(0)
    assert live.provisional
    record = live.ranking().records[0]
    screening.decide(
        record, phase="title-abstract", reviewer="R1", verdict="exclude", criteria=["E1"]
    )
    live.record_vote(record, 0)
    assert record not in list(live.candidates())
    release.set()
    assert live._final.wait(60)
    assert not live.provisional
    assert opened == [True, False]
    assert record not in list(live.candidates())
    live.refresh()  # later passes rank with the full queue only
    assert opened == [True, False]
    assert live.progress().pending == 0


def test_the_titles_only_queue_reads_no_abstract(
    shop: Workshop, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unread(*args: object) -> None:
        raise AssertionError("abstracts read for a titles-only ranking")

    monkeypatch.setattr(store_decisions, "record_texts", unread)
    queue = shop.project.screening.reviewer_queue(
        phase="title-abstract", reviewer="R1", titles_only=True
    )
    assert sorted(queue.refresh().records) == sorted(shop.open)


def test_a_vote_and_its_undo_cancel_while_pending() -> None:
    live = LiveQueue(lambda: pytest.fail("never opened"))  # type: ignore[arg-type, return-value]
    live.record_vote(7, 1)
    live.record_undo(7)
    assert live._pending == {}
    assert live.last_voted() is None


async def test_page_waits_for_a_slow_first_ranking(shop: Workshop) -> None:
    release = threading.Event()
    app = create_app(shop.project, WebSettings(csrf_token=TOKEN, screening_wait=0))
    desk: Desk = app.state.desk
    real = shop.project.screening.reviewer_queue

    def slow(**options: object) -> object:
        release.wait(60)
        return real(**options)  # type: ignore[arg-type]

    shop.project.screening.reviewer_queue = slow  # type: ignore[method-assign]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        waiting = (await client.get("/screening?reviewer=R1")).text
        assert 'id="preparing"' in waiting
        assert 'hx-trigger="load delay:1s"' in waiting
        assert (await client.get("/api/screening?reviewer=R1")).json()["ready"] is False
        release.set()
        assert desk.live(shop.project, "title-abstract", "R1").wait(60)
        assert 'id="card"' in (await client.get("/screening?reviewer=R1")).text
    desk.close()


async def test_conflicts_are_resolved_by_a_third_reviewer_or_consensus(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    html = (await client.get("/conflicts?reviewer=R3")).text
    assert 'id="conflict-count">2<' in html
    first, second = shop.conflicts
    shown = text_of(html)
    # The oldest conflict in full: its record, and each vote's verdict, codes and note.
    assert f'<form id="conflict-{first}"' in html
    assert "Conflicting views on ML" in shown
    assert "Practitioners disagree on how machine learning systems are tested." in shown
    assert "Keywords: model testing; practitioner survey" in shown
    e1 = shop.project.protocol.criteria.get("E1")
    assert e1 is not None
    assert "R1: include" in shown
    assert f"R2: exclude E1 {e1.text}" in shown
    assert "a position paper, no study" in shown
    assert "you decide it as third reviewer" in shown
    assert 'data-key="i"' in html
    assert 'data-digit="1"' in html
    assert f'data-record="{second}"' in html  # waiting below
    assert "records a consensus" in (await client.get("/conflicts?reviewer=R1")).text
    form = {"record": first, "phase": "title-abstract", "reviewer": "R3", "verdict": "include"}
    desk = {"HX-Request": "true", "HX-Target": "conflict-desk", "X-CSRF-Token": TOKEN}
    answer = await client.post("/conflicts/resolve", data=form, headers=desk)
    assert f'id="conflict-{first}"' in answer.text
    assert "resolved by R3 (third reviewer)" in answer.text
    assert 'id="conflict-count">1<' in answer.text  # the counter follows at once
    assert f'<form id="conflict-{second}"' in answer.text  # and the next one is up
    counted = await client.get("/conflicts/count?reviewer=R3")
    assert 'id="conflict-count">1<' in counted.text
    assert 'hx-trigger="every' in counted.text
    listed = (await client.get("/api/conflicts?reviewer=R3")).json()
    assert [c["group"] for c in listed] == [second]
    body = {"record_id": second, "reviewer": "R2", "verdict": "exclude", "criteria": ["E1"]}
    resolved = await client.post("/api/conflicts/resolutions", json=body, headers=HTMX)
    assert resolved.json()["by"] == "consensus"
    assert resolved.json()["state"] == "excluded"
    assert "No conflicts waiting" in (await client.get("/conflicts?reviewer=R3")).text
