"""The JSON API fuzzed from the OpenAPI schema it serves: no generated request gets a 500.

Schemathesis turns every operation of ``/openapi.json`` into Hypothesis strategies, in both of
its modes: positive (requests the schema allows) and negative (requests it forbids: wrong
types, missing fields, 2^64, NUL characters, bytes that are not JSON). Each request goes to
the real app over ASGI, on a real review, with the CSRF token (without it every POST would
stop at 403 before reaching a route). The review's database is a parameter: SQLite here,
PostgreSQL when a server is there (``METASUMMARY_REQUIRE_PG=1`` makes it required).

Examples per operation and mode: ``FUZZ_EXAMPLES`` (25), deterministic under the suite's
profile; ``HYPOTHESIS_PROFILE=explore`` draws new ones.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, reject, settings
from schemathesis import APIOperation, GenerationMode
from starlette import testclient
from starlette.testclient import TestClient

from metasummary import Project
from metasummary.web import WebSettings, create_app
from tests.pgserver import PgServer
from tests.webdata import build_workshop, workshop_protocol

TOKEN = "fuzz-token"
BASE = "http://127.0.0.1"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
OPENAPI = create_app(lambda: None, WebSettings()).openapi()
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


def _takes_input(label: str) -> bool:
    """Whether an operation has parameters or a body (else there is nothing to negate)."""
    method, path = label.split(" ", 1)
    spec = OPENAPI["paths"][path][method.lower()]
    return bool(spec.get("parameters") or spec.get("requestBody"))


CASES = [
    pytest.param(label, mode, id=f"{label}-{mode}")
    for label in sorted(OPERATIONS)
    for mode in GenerationMode
    if mode is GenerationMode.POSITIVE or _takes_input(label)
]
SENT: Counter[tuple[str, int]] = Counter()
"""(engine, status) of every request sent, for the summary."""


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, TestClient]]:
    """A client of the app serving a review built like the web tests' (on each engine)."""
    db = None
    if request.param == "postgresql":
        server: PgServer = request.getfixturevalue("pg_server")
        db = server.new_database()
    root: Path = tmp_path_factory.mktemp("fuzz") / "review"
    project = Project.init(root, protocol_text=workshop_protocol(), db=db)
    build_workshop(project)
    app = create_app(project, WebSettings(csrf_token=TOKEN))
    with TestClient(app, base_url=BASE, raise_server_exceptions=True) as client:
        yield request.param, client
    project.close()
    sent = {status: n for (engine, status), n in SENT.items() if engine == request.param}
    print(f"\n{request.param}: {sum(sent.values())} generated requests, by status {sent}")


def _send(client: TestClient, case: Any) -> Any:
    kwargs = case.as_transport_kwargs(base_url=BASE, headers={"X-CSRF-Token": TOKEN})
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        body["content"] = data.encode() if isinstance(data, str) else data
    return client.request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params") or None,
        headers=kwargs.get("headers"),
        **body,
    )


@pytest.mark.slow
@pytest.mark.parametrize(("label", "mode"), CASES)
def test_no_generated_request_gets_a_500(
    api: tuple[str, TestClient], label: str, mode: GenerationMode
) -> None:
    engine, client = api
    operation: APIOperation = OPERATIONS[label]

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        try:
            response = _send(client, case)
        except testclient.httpx.InvalidURL:  # over 64 KB: no client sends it, no server reads it
            reject()
        SENT[(engine, response.status_code)] += 1
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.query} {case.body!r:.300}: "
            f"{response.status_code} {response.text[:300]}"
        )
        if mode is GenerationMode.POSITIVE and label.startswith("GET"):
            assert response.status_code in (200, 400, 404, 422), response.text[:300]

    check()


def test_the_fuzz_covers_every_operation() -> None:
    """Every JSON route is in the schema the fuzz reads (none hidden from it)."""
    assert len(OPERATIONS) >= 20
    assert {"POST /api/screening/decisions", "POST /api/board/themes"} <= set(OPERATIONS)
