"""A complete audit trail (issue 18, failure 3): every web change carries the reviewer it acts
as; a dedup link made on the web page is logged with its actor and can be undone there; the
PDF link given with a full-text decision is shown on the record page and in its JSON; a
second resolution does not silently replace the first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from metasummary import Project
from metasummary.errors import InputError
from metasummary.store import events
from metasummary.web import WebSettings, create_app
from metasummary.web.reviewer import REVIEWER_COOKIE, REVIEWER_HEADER
from tests.clirunner import run
from tests.correctiondata import correction_protocol, ris, write
from tests.webdata import Workshop, build_workshop, workshop_protocol

pytestmark = pytest.mark.anyio
TOKEN = "test-token"
HTMX = {"X-CSRF-Token": TOKEN, "HX-Request": "true"}


@pytest.fixture
def shop(make_project: Callable[..., Project]) -> Workshop:
    return build_workshop(make_project(workshop_protocol()))


@pytest.fixture
def app(shop: Workshop) -> Iterator[FastAPI]:
    # As `metasummary serve` opens it: nobody acts for the session, so a change that does not
    # carry the acting reviewer is refused by the store instead of going in unnamed.
    assert shop.project.root is not None
    with Project.open(shop.project.root, actor="") as served:
        yield create_app(served, WebSettings(csrf_token=TOKEN))


def _actions(project: Project, prefix: str) -> list[tuple[str, str]]:
    with project.store.read() as conn:
        return [(e.action, e.actor) for e in events.listed(conn, prefix=prefix, limit=100)]


async def test_a_web_change_by_nobody_is_refused_and_one_by_a_reviewer_is_logged_as_theirs(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    before = _actions(shop.project, "")
    refused = await client.post(f"/dedup/pairs/{shop.pair}", data={"accept": "true"}, headers=HTMX)
    assert refused.status_code == 400
    assert "choose who you are" in refused.text
    moved = await client.post(
        "/api/board/moves",
        json={"findings": [shop.unsorted[0]], "theme_id": shop.themes["Testing is hard"]},
        headers={"X-CSRF-Token": TOKEN},
    )
    assert moved.status_code == 400
    assert _actions(shop.project, "") == before  # nothing changed

    client.cookies.set(REVIEWER_COOKIE, "R2")
    linked = await client.post(
        f"/dedup/pairs/{shop.pair}", data={"accept": "true"}, headers={**HTMX, "HX-Target": "pairs"}
    )
    assert "linked as duplicates" in linked.text
    assert 'id="dedup-undo"' in linked.text
    a, b = shop.pair_records
    assert shop.project.record(b).duplicate_of == a
    assert ("dedup.review", "R2") in _actions(shop.project, "dedup.review")
    assert {actor for _, actor in _actions(shop.project, "dedup.link")} == {"R2"}

    undone = await client.post(
        f"/dedup/pairs/{shop.pair}/undo", headers={**HTMX, "HX-Target": "pairs"}
    )
    assert "review undone" in undone.text
    assert shop.project.record(b).duplicate_of is None
    assert [p.pair.id for p in shop.project.dedup.pending()] == [shop.pair]
    assert _actions(shop.project, "dedup.review")[0] == ("dedup.review.undo", "R2")
    again = await client.post(f"/api/dedup/pairs/{shop.pair}/undo", headers={"X-CSRF-Token": TOKEN})
    assert again.status_code == 400
    assert "no review of it to undo" in again.json()["detail"]

    # A program names who acts in a header; a form field naming someone else is refused.
    as_r3 = await client.post(
        "/api/board/moves",
        json={"findings": [shop.unsorted[0]], "theme_id": shop.themes["Testing is hard"]},
        headers={"X-CSRF-Token": TOKEN, REVIEWER_HEADER: "R3"},
    )
    assert as_r3.status_code == 200
    assert _actions(shop.project, "sort.")[0][1] == "R3"
    resolved = await client.post(
        "/api/conflicts/resolutions",
        json={"record_id": shop.conflicts[0], "verdict": "include"},
        headers={"X-CSRF-Token": TOKEN},
    )
    assert resolved.status_code == 200
    assert _actions(shop.project, "screening.resolve")[0] == ("screening.resolve", "R2")
    other = await client.post(
        "/api/screening/decisions",
        json={"record_id": shop.open[0], "reviewer": "R1", "verdict": "include"},
        headers={"X-CSRF-Token": TOKEN},
    )
    assert other.status_code == 403
    assert "you act as R2" in other.json()["detail"]


def test_the_pdf_link_of_a_full_text_decision_is_shown(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(correction_protocol(dual=False))
    project.imports.import_file(write(tmp_path, "s.ris", ris(["A paper"], database="Scopus")))
    project.screening.decide(1, phase="ta", reviewer="R1", verdict="include")
    project.screening.decide(
        1, phase="ft", reviewer="R1", verdict="include", pdf="https://example.org/a.pdf"
    )
    project.screening.decide(1, phase="ft", reviewer="R1", verdict="include", pdf="pdfs/a.pdf")
    pdfs = [d.pdf for d in project.browser.detail(1, None).decisions if d.phase == "full-text"]
    assert pdfs == ["https://example.org/a.pdf", "pdfs/a.pdf"]

    from fastapi.testclient import TestClient

    with TestClient(create_app(project), base_url="http://127.0.0.1:8000") as web:
        page = web.get("/records/1").text
        assert 'href="https://example.org/a.pdf"' in page
        assert "<code>pdfs/a.pdf</code>" in page  # a path is shown, not linked
        data = web.get("/api/records/1").json()
        assert [d["pdf"] for d in data["decisions"] if d["phase"] == "full-text"] == pdfs


def test_a_second_resolution_needs_replace(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(correction_protocol())
    project.imports.import_file(write(tmp_path, "s.ris", ris(["A paper"], database="Scopus")))
    s = project.screening
    s.decide(1, phase="ta", reviewer="R1", verdict="include")
    s.decide(1, phase="ta", reviewer="R2", verdict="exclude", criteria=["E1"])
    s.resolve(1, phase="ta", reviewer="R3", verdict="include")
    with pytest.raises(InputError, match="already resolved at title-abstract by R3 on"):
        s.resolve(1, phase="ta", reviewer="R3", verdict="exclude", criteria=["E1"])
    assert project.status().total.phases["title-abstract"].included == 1
    assert project.root is not None
    cli = run(
        "conflicts",
        "resolve",
        "1",
        "exclude",
        "--reviewer",
        "R3",
        "-c",
        "E1",
        "-p",
        str(project.root),
    )
    assert cli.exit_code == 1
    assert "give --replace to record a new resolution" in cli.stderr
    replaced = run(
        "conflicts",
        "resolve",
        "1",
        "exclude",
        "--reviewer",
        "R3",
        "-c",
        "E1",
        "--replace",
        "-p",
        str(project.root),
    )
    assert replaced.exit_code == 0, replaced.stderr
    assert project.status().total.phases["title-abstract"].excluded == 1
    history = [d for d in project.browser.detail(1, None).decisions if d.kind == "resolution"]
    assert [d.verdict for d in history] == ["include", "exclude"]  # both stay in the log
    with project.store.read() as conn:
        (latest, first) = events.listed(conn, prefix="screening.resolve")
    assert latest.payload["replaces"] == first.payload["decision"]
