"""A team's server in-process: signing in and out, sessions that end, CSRF per session, and
every route refused to an account whose role does not allow it, with nothing written."""

from __future__ import annotations

import base64
import html
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import APIRoute

from metasummary import Project
from metasummary.accounts import Permission
from metasummary.accounts.throttle import Throttle
from metasummary.store.schema import screening_claims
from metasummary.web.access import PUBLIC, WRITES, needed
from metasummary.web.routes import ROUTERS
from metasummary.web.security import UNSAFE_METHODS
from metasummary.web.session import COOKIE, Session, SessionSigner
from tests.teamdata import PASSWORD, Team, build_team, sign_in, team_app

pytestmark = pytest.mark.anyio
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def team(make_project: Callable[..., Project]) -> Team:
    return build_team(make_project)


@pytest.fixture
def app(team: Team) -> FastAPI:
    built = team_app(team.project)
    assert isinstance(built, FastAPI)
    return built


@pytest.fixture
def clients(app: FastAPI) -> Callable[[], httpx.AsyncClient]:
    def make() -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)

    return make


@pytest.fixture
async def client(clients: Callable[[], httpx.AsyncClient]) -> AsyncIterator[httpx.AsyncClient]:
    async with clients() as c:
        yield c


def written(project: Project) -> tuple[int, ...]:
    """Changes with any write (every change is logged)."""
    return project.data_version()


def vote(record: int, reviewer: str, verdict: str = "include") -> dict[str, object]:
    criteria = ["E1"] if verdict == "exclude" else []
    return {"record_id": record, "reviewer": reviewer, "verdict": verdict, "criteria": criteria}


# -- signing in ---------------------------------------------------------------------------------


async def test_nothing_but_signing_in_is_open_before_sign_in(
    client: httpx.AsyncClient, team: Team
) -> None:
    page = await client.get("/records?source=Manual")
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=%2Frecords%3Fsource%3DManual"
    assert (await client.get("/api/records")).status_code == 401
    fragment = await client.get("/board", headers={"HX-Request": "true"})
    assert (fragment.status_code, fragment.headers["hx-redirect"]) == (401, "/signin?next=%2Fboard")
    signin = await client.get("/signin")
    assert signin.status_code == 200
    assert 'hx-post="/signin"' in signin.text
    assert 'aria-label="Pages"' not in signin.text  # no navigation before sign-in
    token = (await client.get("/api/session")).json()["csrf_token"]
    before = written(team.project)
    refused = await client.post(
        "/api/screening/decisions",
        json=vote(team.records[0], "R1"),
        headers={"X-CSRF-Token": token},
    )
    assert refused.status_code == 401
    no_token = await client.post("/api/screening/decisions", json=vote(team.records[0], "R1"))
    assert no_token.status_code == 403
    assert written(team.project) == before


async def test_sign_in_sets_a_signed_cookie_and_a_new_csrf_token(
    client: httpx.AsyncClient,
) -> None:
    anonymous = await client.get("/api/session")
    cookie = anonymous.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback; https behind a proxy sets it
    before = anonymous.json()["csrf_token"]
    token = await sign_in(client, "rita")
    assert token != before
    me = (await client.get("/api/session")).json()
    assert (me["account"], me["role"], me["reviewer"]) == ("rita", "reviewer", "R1")
    assert me["expires"] > time.time() + 3000
    page = (await client.get("/")).text
    assert 'id="account"' in page
    assert "rita · reviewer (R1)" in page
    assert f'content="{token}"' in page
    # the anonymous session's token no longer passes, the new one does
    stale = await client.post("/api/board/undo", headers={"X-CSRF-Token": before})
    assert stale.status_code == 403


async def test_the_sign_in_form_redirects_back(client: httpx.AsyncClient) -> None:
    token = (await client.get("/api/session")).json()["csrf_token"]
    form = {"name": "otto", "password": PASSWORD, "next": "/records"}
    done = await client.post("/signin", data=form, headers={"X-CSRF-Token": token})
    assert (done.status_code, done.headers["hx-redirect"]) == (204, "/records")
    elsewhere = {**form, "next": "//evil.example/"}
    token = (await client.get("/api/session")).json()["csrf_token"]
    again = await client.post("/signin", data=elsewhere, headers={"X-CSRF-Token": token})
    assert again.headers["hx-redirect"] == "/"  # never a redirect off the server
    token = (await client.get("/api/session")).json()["csrf_token"]  # a new session's
    wrong = await client.post(
        "/signin", data={**form, "password": "nope nope nope"}, headers={"X-CSRF-Token": token}
    )
    assert wrong.status_code == 401


async def test_wrong_passwords_are_refused_then_limited(
    client: httpx.AsyncClient, team: Team
) -> None:
    team.project.accounts.throttle = Throttle(per_name=2, window=timedelta(minutes=5))
    token = (await client.get("/api/session")).json()["csrf_token"]
    headers = {"X-CSRF-Token": token}
    for _ in range(2):
        wrong = await client.post(
            "/api/session", json={"name": "rob", "password": "guess guess"}, headers=headers
        )
        assert wrong.status_code == 401
        assert wrong.json()["detail"] == "wrong account name or password"
    limited = await client.post(
        "/api/session", json={"name": "rob", "password": PASSWORD}, headers=headers
    )
    assert limited.status_code == 429
    assert 0 < int(limited.headers["retry-after"]) <= 301


async def test_sign_out_ends_the_session(client: httpx.AsyncClient) -> None:
    await sign_in(client, "otto")
    assert (await client.get("/api/records")).status_code == 200
    out = await client.delete("/api/session")
    assert out.status_code == 204
    assert "Max-Age=0" in out.headers["set-cookie"]
    assert (await client.get("/api/records")).status_code == 401


# -- sessions that must not work ----------------------------------------------------------------


def _cookie(client: httpx.AsyncClient) -> str:
    value = client.cookies.get(COOKIE)
    assert value
    return value


def _replace_cookie(client: httpx.AsyncClient, value: str) -> None:
    client.cookies.clear()
    client.cookies.set(COOKIE, value)


async def test_a_forged_cookie_is_a_stranger(client: httpx.AsyncClient, team: Team) -> None:
    await sign_in(client, "rita")
    payload, signature = _cookie(client).split(".")
    sid, _account, generation, expires = json.loads(base64.urlsafe_b64decode(payload + "=="))
    olga = team.project.accounts.get("olga")
    forged = base64.urlsafe_b64encode(
        json.dumps([sid, olga.id, generation, expires], separators=(",", ":")).encode()
    ).rstrip(b"=")
    _replace_cookie(client, f"{forged.decode()}.{signature}")
    before = written(team.project)
    refused = await client.post(
        "/api/conflicts/resolutions", json=vote(team.records[0], "R3", "exclude")
    )
    assert refused.status_code == 403  # a new anonymous session: the CSRF token is not its
    assert (await client.get("/api/records")).status_code == 401
    _replace_cookie(client, "garbage")
    assert (await client.get("/api/records")).status_code == 401
    assert written(team.project) == before


async def test_an_expired_cookie_is_refused(client: httpx.AsyncClient, team: Team) -> None:
    await sign_in(client, "rita")
    rita = team.project.accounts.get("rita")
    signer = SessionSigner(team.project.accounts.session_secret())
    old = Session("old-session-id", rita.id, rita.generation, int(time.time()) - 1)
    _replace_cookie(client, signer.encode(old))
    before = written(team.project)
    refused = await client.post(
        "/api/screening/decisions",
        json=vote(team.records[0], "R1"),
        headers={"X-CSRF-Token": signer.csrf_token(old)},
    )
    assert refused.status_code in (401, 403)
    assert (await client.get("/api/records")).status_code == 401
    assert written(team.project) == before


async def test_a_new_password_ends_sessions_on_every_worker(
    client: httpx.AsyncClient, team: Team
) -> None:
    await sign_in(client, "rob")
    team.project.accounts.set_password("rob", "a brand new passphrase")
    assert (await client.get("/api/records")).status_code == 401
    team.project.accounts.disable("rob")
    token = (await client.get("/api/session")).json()["csrf_token"]
    disabled = await client.post(
        "/api/session",
        json={"name": "rob", "password": "a brand new passphrase"},
        headers={"X-CSRF-Token": token},
    )
    assert (disabled.status_code, disabled.json()["detail"]) == (
        401,
        "account 'rob' is disabled; ask the review's owner",
    )


# -- roles ----------------------------------------------------------------------------------------


async def test_an_observer_reads_but_writes_nothing(client: httpx.AsyncClient, team: Team) -> None:
    await sign_in(client, "otto")
    for path in ("/", "/records", f"/records/{team.records[0]}", "/board", "/api/dashboard"):
        assert (await client.get(path)).status_code == 200, path
    before = written(team.project)
    attempts = [
        ("/api/screening/decisions", vote(team.records[0], "R1")),
        ("/api/conflicts/resolutions", vote(team.records[0], "R3", "exclude")),
        ("/api/board/themes", {"stage": "S1", "label": "x"}),
        ("/api/board/undo", {}),
    ]
    for path, body in attempts:
        refused = await client.post(path, json=body)
        assert refused.status_code == 403, path
        assert "otto" in refused.json()["detail"]
        assert "an observer" in refused.json()["detail"]
    page = await client.post("/report/write", headers={"HX-Request": "true"})
    assert page.status_code == 403
    assert written(team.project) == before


async def test_a_reviewer_screens_but_does_not_resolve(
    client: httpx.AsyncClient, team: Team
) -> None:
    await sign_in(client, "rita")
    done = await client.post("/api/screening/decisions", json=vote(team.records[0], "R1"))
    assert done.status_code == 200, done.text
    before = written(team.project)
    for path in ("/api/conflicts/resolutions", "/api/dedup/pairs/1"):
        refused = await client.post(path, json={**vote(team.records[0], "R1"), "accept": True})
        assert refused.status_code == 403, path
        assert "may not" in refused.json()["detail"]
    assert written(team.project) == before


async def test_the_owner_may_resolve(clients: Callable[[], httpx.AsyncClient], team: Team) -> None:
    record = team.records[1]
    for name, reviewer, verdict in (("rita", "R1", "include"), ("rob", "R2", "exclude")):
        async with clients() as c:
            await sign_in(c, name)
            done = await c.post("/api/screening/decisions", json=vote(record, reviewer, verdict))
            assert done.status_code == 200, done.text
    async with clients() as owner:
        await sign_in(owner, "olga")
        done = await owner.post("/api/conflicts/resolutions", json=vote(record, "R3", "exclude"))
        assert done.status_code == 200, done.text
        assert done.json()["by"] == "third reviewer"


def test_every_route_is_public_or_needs_a_permission() -> None:
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 40
    unsafe = {(m, r.path) for r in routes for m in r.methods & UNSAFE_METHODS}
    unlisted = {(m, p) for m, p in unsafe if p not in PUBLIC and (m, p) not in WRITES}
    assert unlisted == set(), "give each write a permission in web/access.py WRITES"
    assert set(WRITES) <= unsafe, "WRITES names routes that do not exist"
    assert needed("GET", "/records") is Permission.READ
    assert needed("POST", "/no/such/route") is None  # closed until listed


async def test_a_reviewer_cannot_act_as_another(client: httpx.AsyncClient, team: Team) -> None:
    """rita (R1) names R2, R3 or rob's sort in her changes: 403 each time, nothing written."""
    await sign_in(client, "rita")
    record = team.records[2]
    before = written(team.project)
    attempts = [
        ("/api/screening/decisions", {"json": vote(record, "R2")}),
        ("/api/screening/undo", {"json": {"phase": "title-abstract", "reviewer": "R2"}}),
        ("/api/board/moves", {"json": {"findings": [1], "theme_id": None, "coder": "R2"}}),
        ("/screening/decide", {"data": {"record": record, "phase": "title-abstract",
                                        "reviewer": "R2", "verdict": "include"}}),
        ("/board/undo", {"data": {"coder": "R2"}}),
        ("/api/screening/decisions?reviewer=R2", {"json": vote(record, "R1")}),
    ]  # fmt: skip
    for path, body in attempts:
        refused = await client.post(path, **body)  # type: ignore[arg-type]
        assert refused.status_code == 403, (path, refused.text)
        assert "cannot act as" in refused.text
    assert written(team.project) == before
    # her own name, or none where the route allows it, goes through
    done = await client.post("/api/screening/decisions", json=vote(record, "R1"))
    assert done.status_code == 200, done.text


async def test_an_observer_cannot_name_a_reviewer_either(
    client: httpx.AsyncClient, team: Team
) -> None:
    await sign_in(client, "otto")
    before = written(team.project)
    refused = await client.post("/api/screening/decisions", json=vote(team.records[3], "R1"))
    assert refused.status_code == 403
    assert written(team.project) == before


async def test_no_account_looks_through_another_reviewers_eyes(
    client: httpx.AsyncClient, team: Team
) -> None:
    """Naming a reviewer in a page's query is acting as them (the screening page claims
    records for its reviewer): an observer, and a reviewer naming another, are refused."""
    team.project.screening.decide(team.records[0], phase="ta", reviewer="R1", verdict="include")
    before = written(team.project)
    pages = [
        "/api/screening?reviewer=R1",
        f"/screening?reviewer=R1&front={team.records[1]}",
        "/conflicts?reviewer=R1",
        "/conflicts/count?reviewer=R1",
        "/api/conflicts?reviewer=R1",
    ]
    for name, own in (("otto", "votes as nobody"), ("rob", "votes as R2")):
        await sign_in(client, name)
        for path in pages:
            refused = await client.get(path)
            assert refused.status_code == 403, (name, path)
            assert f"account '{name}' {own}; it cannot act as R1" in html.unescape(refused.text)
        client.cookies.clear()
    assert written(team.project) == before
    with team.project.store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(screening_claims)).scalar() == 0
