"""Bounded input: request size, text lengths, integer ranges, NUL characters, the plain 500.

Issue 23, failures 5 and 6: a 50 MB note or theme label was stored; 2^64 as an id gave a 500
without the security headers; a NUL in a report file's path gave a 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import TypeAdapter

from metasummary import InputError, Project
from metasummary.store.limits import INT_MAX
from metasummary.store.schema import LABEL, NOTE
from metasummary.web import WebSettings, create_app
from metasummary.web.limits import BodyLimitMiddleware
from metasummary.web.routes import ROUTERS
from metasummary.web.settings import MAX_BODY
from tests.fulltextdata import minimal_pdf
from tests.webdata import Workshop, build_workshop, workshop_protocol

pytestmark = pytest.mark.anyio
TOKEN = "test-token"
JSON = {"X-CSRF-Token": TOKEN, "X-Metasummary-Reviewer": "R1"}
HUGE = 2**64
SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.fixture
def shop(make_project: Callable[..., Project]) -> Workshop:
    return build_workshop(make_project(workshop_protocol()))


@pytest.fixture
def app(shop: Workshop) -> FastAPI:
    return create_app(shop.project, WebSettings(csrf_token=TOKEN))


def vote(shop: Workshop, **changes: object) -> dict[str, object]:
    return {"record_id": shop.open[0], "reviewer": "R1", "verdict": "include", **changes}


# -- size -------------------------------------------------------------------------------------


async def test_a_50_mb_note_or_label_is_refused_with_413(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    big = "x" * 50_000_000
    before = shop.project.data_version()
    note = await client.post("/api/screening/decisions", json=vote(shop, note=big), headers=JSON)
    assert note.status_code == 413
    assert f"larger than {MAX_BODY:,} bytes" in note.json()["detail"]
    assert all(name in note.headers for name in SECURITY)
    label = await client.post(
        "/api/board/themes", json={"stage": "REQ", "label": big}, headers=JSON
    )
    assert label.status_code == 413
    assert shop.project.data_version() == before  # nothing was stored
    board = (await client.get("/board")).text
    assert len(board) < 100_000


async def test_a_streamed_body_is_counted_as_it_comes(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked
        yield b'{"stage": "REQ", "label": "'
        for _ in range(30):
            yield b"x" * 100_000
        yield b'"}'

    answer = await client.post("/api/board/themes", content=chunks(), headers=JSON)
    assert answer.status_code == 413


async def test_a_form_is_held_to_the_same_limit(client: httpx.AsyncClient, shop: Workshop) -> None:
    answer = await client.post(
        "/board/themes",
        data={"stage": "REQ", "label": "x" * (MAX_BODY + 10)},
        headers={**JSON, "HX-Request": "true"},
    )
    assert answer.status_code == 413


async def test_fields_are_held_to_their_column_sizes(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    long_note = await client.post(
        "/api/screening/decisions", json=vote(shop, note="n" * (NOTE + 1)), headers=JSON
    )
    assert long_note.status_code == 422
    assert long_note.json()["detail"][0]["loc"] == ["body", "note"]
    label = await client.post(
        "/api/board/themes", json={"stage": "REQ", "label": "l" * (LABEL + 1)}, headers=JSON
    )
    assert label.status_code == 422
    assert label.json()["detail"][0]["loc"] == ["body", "label"]
    fits = await client.post(
        "/api/board/themes", json={"stage": "REQ", "label": "l" * LABEL}, headers=JSON
    )
    assert fits.status_code == 200


def test_the_store_refuses_an_overlong_text_whoever_writes_it(shop: Workshop) -> None:
    with pytest.raises(InputError, match=r"themes\.label: 1,001 characters; at most 1,000"):
        shop.project.synthesis.sorting.create_theme("REQ", "l" * (LABEL + 1))
    with pytest.raises(InputError, match=r"decisions\.note"):
        shop.project.screening.decide(
            shop.open[0], phase="title-abstract", reviewer="R1", verdict="include", note="n" * 20001
        )


# -- integers ---------------------------------------------------------------------------------


def huge_requests(shop: Workshop) -> list[tuple[str, str, dict[str, Any]]]:
    """The endpoints that answered 500 to 2^64, and the field each names."""
    theme = shop.themes["Unclear requirements"]
    return [
        ("POST", "/api/screening/decisions", {"json": vote(shop, record_id=HUGE)}),
        ("POST", "/api/conflicts/resolutions", {"json": vote(shop, record_id=HUGE)}),
        ("POST", "/api/board/moves", {"json": {"findings": [HUGE], "theme_id": theme}}),
        ("POST", "/api/board/moves", {"json": {"findings": [1], "theme_id": HUGE}}),
        ("POST", f"/api/board/themes/{theme}/merge", {"json": {"into": HUGE}}),
        ("POST", f"/api/board/themes/{HUGE}/rename", {"json": {"label": "x"}}),
        ("POST", f"/api/dedup/pairs/{HUGE}", {"json": {"accept": True}}),
        ("GET", f"/api/records/{HUGE}", {}),
        ("GET", f"/api/records?year_from={HUGE}", {}),
        ("GET", f"/api/records?page={HUGE}", {}),
    ]


async def test_integers_beyond_the_store_are_422_naming_the_field(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    for method, url, extra in huge_requests(shop):
        answer = await client.request(method, url, headers=JSON, **extra)
        assert answer.status_code == 422, (url, answer.text)
        detail = answer.json()["detail"][0]
        assert detail["type"] == "less_than_equal", url
        assert f"{INT_MAX}" in detail["msg"]
        assert all(name in answer.headers for name in SECURITY)


async def test_pages_name_the_field_too(client: httpx.AsyncClient, shop: Workshop) -> None:
    page = await client.get(f"/records/{HUGE}")
    assert page.status_code == 400
    assert "record_id" in page.text
    form = await client.post(
        "/screening/decide",
        data={"record": str(HUGE), "phase": "title-abstract", "reviewer": "R1", "verdict": "x"},
        headers={**JSON, "HX-Request": "true"},
    )
    assert form.status_code == 400
    assert "record" in form.text
    skipped = await client.get(f"/screening?reviewer=R1&skip=1,{HUGE}")
    assert skipped.status_code == 400
    assert "skip" in skipped.text


def _schema_problems(schema: Any, where: str) -> list[str]:
    """Integers without both bounds and strings without a length limit, anywhere in it."""
    found: list[str] = []
    if isinstance(schema, dict):
        kind = schema.get("type")
        if kind == "integer" and ("maximum" not in schema or "minimum" not in schema):
            found.append(f"{where}: unbounded integer")
        bounded = {"maxLength", "enum", "const"} & set(schema)
        # A file: held to its path's body limit (see web/limits.py).
        uploaded = schema.get("format") == "binary" or "contentMediaType" in schema
        if kind == "string" and not bounded and not uploaded:
            found.append(f"{where}: unbounded string")
        for key, value in schema.items():
            found += _schema_problems(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found += _schema_problems(value, f"{where}[{i}]")
    return found


def test_every_number_and_string_a_route_takes_is_bounded() -> None:
    """Pages and forms too (they are not in the OpenAPI schema)."""
    problems: list[str] = []
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 30
    for route in routes:
        stack = [route.dependant]
        while stack:
            dependant = stack.pop()
            stack.extend(dependant.dependencies)
            params = [
                *dependant.path_params,
                *dependant.query_params,
                *dependant.body_params,
                *dependant.header_params,
            ]
            for param in params:
                info = param.field_info
                if info.annotation is bool:
                    continue
                kind = info.annotation
                if info.metadata:
                    kind = Annotated[kind, *info.metadata]  # type: ignore[valid-type]
                adapter = TypeAdapter(kind)
                problems += _schema_problems(adapter.json_schema(), f"{route.path} {param.name}")
    assert problems == [], "\n".join(problems)


# -- NUL and the 500 --------------------------------------------------------------------------


async def test_a_nul_in_a_path_is_not_a_500(client: httpx.AsyncClient, shop: Workshop) -> None:
    shop.project.report.write()
    assert (await client.get("/report/files/index.html")).status_code == 200
    assert (await client.get("/report/files/index.html%00.png")).status_code in (400, 404)
    assert (await client.get("/api/records?q=a%00b")).status_code == 400
    nul = await client.post(
        "/api/screening/decisions", json=vote(shop, note="a\x00b"), headers=JSON
    )
    assert nul.status_code == 422
    assert nul.json()["detail"][0]["loc"] == ["body", "note"]


async def test_an_unexpected_error_is_a_plain_500_with_the_headers(
    client: httpx.AsyncClient,
    shop: Workshop,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(type(shop.project.browser), "detail", broken)
    with caplog.at_level(logging.ERROR, logger="metasummary.web"):
        for url in (f"/api/records/{shop.open[0]}", f"/records/{shop.open[0]}"):
            answer = await client.get(url)
            assert answer.status_code == 500
            assert all(name in answer.headers for name in SECURITY)
            assert "Traceback" not in answer.text
            assert "unexpected OverflowError" in answer.json()["detail"]
    lines = [r for r in caplog.records if r.name == "metasummary.web"]
    assert len(lines) == 2
    assert not lines[0].exc_info  # one line; --debug logs the traceback
    assert "GET /api/records/" in lines[0].getMessage()


# -- uploads ----------------------------------------------------------------------------------


async def test_a_pdf_drop_may_be_larger_than_a_form(
    client: httpx.AsyncClient, shop: Workshop
) -> None:
    big = minimal_pdf() + b"%" + b"x" * (MAX_BODY + 500_000) + b"\n"
    answer = await client.post(
        "/api/fulltext/attach",
        files=[("files", ("big.pdf", big, "application/pdf"))],
        data={"record": str(shop.papers[0])},
        headers=JSON,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["files"][0]["status"] == "attached"


async def test_an_upload_says_its_length_and_stays_within_its_limit() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    limited = BodyLimitMiddleware(app, max_body=10, uploads={"/up": 100})
    answers: list[int] = []

    async def send(message: Any) -> None:
        if message["type"] == "http.response.start":
            answers.append(message["status"])

    async def receive() -> Any:
        return {"type": "http.request", "body": b"x" * 50, "more_body": False}

    for length in (b"50", b"101", None):
        headers = [(b"content-length", length)] if length else []
        scope = {"type": "http", "method": "POST", "path": "/up", "headers": headers}
        await limited(scope, receive, send)
    assert answers == [204, 413, 411]
    assert seen == ["/up"]
