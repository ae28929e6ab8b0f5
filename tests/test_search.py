"""API searches replayed from recorded responses: paging, back-off, caching and resuming."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from metasummary import Project
from metasummary.errors import InputError, NetworkError
from metasummary.imports.search import Fetcher, Searches
from metasummary.imports.search import service as search_service
from metasummary.imports.search.protocol_query import render
from metasummary.protocol import parse_protocol
from metasummary.store import records as store_records
from metasummary.store.catalog import source_by_name
from tests.clirunner import run
from tests.helpers import protocol_text

Handler = Callable[[httpx.Request], httpx.Response]


class Replay:
    """A mock transport answering from a list of (predicate, response) rules; records calls."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def fetcher(self) -> Fetcher:
        def handle(request: httpx.Request) -> httpx.Response:
            self.requests.append(request)
            return self.handler(request)

        return Fetcher(
            client=httpx.Client(transport=httpx.MockTransport(handle)),
            sleep=self.sleeps.append,
            clock=lambda: sum(self.sleeps),  # time passes only by sleeping
        )


def searches(project: Project, handler: Handler) -> tuple[Searches, Replay]:
    replay = Replay(handler)
    return Searches(project.review, fetcher=replay.fetcher()), replay


def openalex_page(ids: list[str], cursor: str | None, count: int = 3) -> str:
    results = [
        {
            "id": f"https://openalex.org/{i}",
            "title": f"Paper {i}",
            "publication_year": 2021,
            "doi": f"https://doi.org/10.1000/{i}",
        }
        for i in ids
    ]
    return json.dumps({"meta": {"count": count, "next_cursor": cursor}, "results": results})


def test_openalex_replay_of_the_recorded_response(project: Project, shared_data: Path) -> None:
    body = (shared_data / "exports/openalex/sample_response.json").read_text(encoding="utf-8")
    service, replay = searches(project, lambda r: httpx.Response(200, text=body))
    result = service.run("openalex", query="machine learning", max_records=30)
    assert (result.imported, result.total, result.pages) == (30, 65899, 1)
    (request,) = replay.requests
    assert request.url.params["search"] == "machine learning"
    assert request.url.params["per-page"] == "30"
    with project.store.read() as conn:
        source = source_by_name(conn, "OpenAlex search")
        assert source is not None
        assert store_records.count(conn, source_id=source.id) == 30
    assert (source.kind, source.query_text, source.library) == (
        "api",
        "machine learning",
        "openalex",
    )
    assert source.searched_at is not None
    assert source.details["total"] == 65899


def test_openalex_pages_by_cursor(project: Project) -> None:
    pages = {"*": openalex_page(["W1", "W2"], "c2"), "c2": openalex_page(["W3"], None)}
    service, replay = searches(
        project, lambda r: httpx.Response(200, text=pages[r.url.params["cursor"]])
    )
    result = service.run("openalex", query="x", source="OA")
    assert (result.imported, result.pages) == (3, 2)
    assert [r.url.params["cursor"] for r in replay.requests] == ["*", "c2"]
    assert replay.sleeps == [0.2]  # polite pacing between the two requests, not slept for real


def test_back_off_on_429_and_5xx(project: Project) -> None:
    answers = [
        httpx.Response(429, headers={"Retry-After": "7"}),
        httpx.Response(503),
        httpx.Response(200, text=openalex_page(["W1"], None)),
    ]
    service, replay = searches(project, lambda r: answers.pop(0))
    assert service.run("openalex", query="x").imported == 1
    assert replay.sleeps == [7.0, 4.0]


def test_giving_up_stores_nothing_but_resumes_from_the_cache(project: Project) -> None:
    fail = True

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params["cursor"] == "*":
            return httpx.Response(200, text=openalex_page(["W1", "W2"], "c2"))
        return (
            httpx.Response(500) if fail else httpx.Response(200, text=openalex_page(["W3"], None))
        )

    service, replay = searches(project, handler)
    with pytest.raises(NetworkError, match="answered 500"):
        service.run("openalex", query="x", source="OA")
    with project.store.read() as conn:
        assert store_records.count(conn) == 0
    fail = False
    replay.requests.clear()
    result = service.run("openalex", query="x", source="OA")
    assert (result.imported, result.cached_pages) == (3, 1)
    assert [r.url.params["cursor"] for r in replay.requests] == ["c2"]  # page 1 not refetched


def test_network_failure_is_one_error(project: Project) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    service, _ = searches(project, handler)
    with pytest.raises(NetworkError, match="cannot reach"):
        service.run("crossref", query="x")


def test_arxiv_replay_pages_by_offset(project: Project, shared_data: Path) -> None:
    body = (shared_data / "exports/arxiv/sample_response.xml").read_text(encoding="utf-8")
    service, replay = searches(project, lambda r: httpx.Response(200, text=body))
    result = service.run("arxiv", query="all:nlp", max_records=120)
    assert (result.imported, result.total) == (120, 96778)
    assert [r.url.params["start"] for r in replay.requests] == ["0", "50", "100"]
    assert replay.sleeps == [3.0, 3.0]


def test_semanticscholar_replay(project: Project, shared_data: Path) -> None:
    path = shared_data / "exports/semantic_scholar/relevance_search_response.json"
    body = path.read_text(encoding="utf-8")
    service, replay = searches(project, lambda r: httpx.Response(200, text=body))
    result = service.run("semanticscholar", query="nlp", max_records=50)
    assert (result.imported, result.total) == (50, 11626)
    assert replay.requests[0].url.params["limit"] == "50"


def test_crossref_search_page(project: Project, shared_data: Path) -> None:
    work = json.loads((shared_data / "exports/crossref/crossref_ex_1.json").read_text())[0]
    page = {
        "status": "ok",
        "message": {"total-results": 1, "items": [work["message"]], "next-cursor": "n"},
    }
    empty = {"status": "ok", "message": {"total-results": 1, "items": [], "next-cursor": "m"}}
    bodies = [json.dumps(page), json.dumps(empty)]
    service, _ = searches(project, lambda r: httpx.Response(200, text=bodies.pop(0)))
    result = service.run("crossref", query="usability", source="CR")
    assert result.imported == 1
    with project.store.read() as conn:
        (record,) = list(store_records.iter_all(conn))
    assert record.data.doi == "10.14257/ijseia.2016.10.1.16"


def test_query_choice_and_existing_source(project: Project) -> None:
    service, _ = searches(project, lambda r: httpx.Response(200, text=openalex_page(["W1"], None)))
    with pytest.raises(InputError, match="either --query"):
        service.run("openalex")
    with pytest.raises(InputError, match="unknown API 'google'"):
        service.run("google", query="x")
    service.run("openalex", query="x", source="OA")
    with pytest.raises(InputError, match="already holds 1 records"):
        service.run("openalex", query="x", source="OA")


def test_from_protocol_renders_the_query_groups(make_project: Callable[..., Project]) -> None:
    text = protocol_text(
        query={
            "groups": [
                {"name": "A", "terms": ["machine learning", "AI"]},
                {"name": "B", "terms": ["software engineering"], "field": "title"},
            ],
            "years": {"from": 2015, "to": 2022},
        }
    )
    query = parse_protocol(text).query
    assert render(query, "openalex").text == '("machine learning" OR AI) AND "software engineering"'
    assert render(query, "openalex").params == {"filter": "publication_year:2015-2022"}
    assert render(query, "arxiv").text == (
        '(all:"machine learning" OR all:AI) AND (ti:"software engineering") '
        "AND submittedDate:[201501010000 TO 202212312359]"
    )
    assert render(query, "crossref").params == {"filter": "from-pub-date:2015,until-pub-date:2022"}
    assert render(query, "semanticscholar").params == {"year": "2015-2022"}
    project = make_project(text)
    service, replay = searches(
        project, lambda r: httpx.Response(200, text=openalex_page(["W1"], None))
    )
    service.run("openalex", from_protocol=True)
    assert replay.requests[0].url.params["filter"] == "publication_year:2015-2022"


def test_cli_search(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    replay = Replay(lambda r: httpx.Response(200, text=openalex_page(["W1", "W2"], None)))
    monkeypatch.setattr(search_service, "make_fetcher", replay.fetcher)
    review = tmp_path / "review"
    Project.init(review).close()
    result = run("search", "openalex", "-p", str(review), "--query", "x", "--max", "5")
    assert result.exit_code == 0, result.stderr
    assert "openalex: 2 records of 3 hits into 'OpenAlex search'" in result.stdout
    as_json = run(
        "search", "openalex", "-p", str(review), "--query", "x", "--source", "B", "--json"
    )
    assert json.loads(as_json.stdout)["imported"] == 2


def test_unreadable_page_is_not_kept_in_the_cache(project: Project) -> None:
    bodies = ["<html>maintenance</html>", openalex_page(["W1"], None)]
    service, replay = searches(project, lambda r: httpx.Response(200, text=bodies.pop(0)))
    with pytest.raises(NetworkError, match="the response could not be read"):
        service.run("openalex", query="x")
    assert service.run("openalex", query="x").imported == 1
    assert len(replay.requests) == 2
