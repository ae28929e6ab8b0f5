"""The web app in-process (httpx's ASGI transport): JSON twins, escaping, security."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from metasummary import Project, RecordData
from metasummary.errors import NotFoundError
from metasummary.web import WebSettings, create_app
from metasummary.web.holder import ProjectHolder
from metasummary.web.security import safe_path, safe_url
from tests.reviewdata import SCRIPT_ABSTRACT, SCRIPT_TITLE, Review, build_review, review_protocol

pytestmark = pytest.mark.anyio
VENDOR = Path(__file__).resolve().parent.parent / "src/metasummary/web/static/vendor"
TOKEN = "test-token"


@pytest.fixture
def review(make_project: Callable[..., Project]) -> Review:
    return build_review(make_project(review_protocol()))


@pytest.fixture
def app(review: Review) -> FastAPI:
    app = create_app(review.project, WebSettings(csrf_token=TOKEN))

    @app.post("/api/_probe", include_in_schema=False)
    def probe() -> dict[str, bool]:
        return {"ok": True}

    return app


def body(html: str) -> str:
    return html.split("<body>", 1)[1]


async def test_dashboard_json_is_the_status(client: httpx.AsyncClient, review: Review) -> None:
    data = (await client.get("/api/dashboard")).json()
    assert data["status"] == review.project.status().to_dict()
    panels = {p["key"]: p for p in data["panels"]}
    assert set(panels) == {
        "screening-progress",
        "stopping",
        "agreement",
        "dedup-pairs",
        "synthesis",
    }
    assert panels["synthesis"]["data"] == {"findings": 0, "sorted": 0, "unsorted": 0, "themes": 0}
    assert panels["dedup-pairs"]["data"] == {"waiting": 0, "duplicates": 1}
    progress = {p["phase"]: p for p in panels["screening-progress"]["data"]["phases"]}
    ta = {r["reviewer"]: r for r in progress["title-abstract"]["reviewers"]}
    assert (ta["R1"]["votes"], ta["R1"]["included"], ta["R1"]["excluded"]) == (3, 2, 1)
    assert (ta["R2"]["votes"], ta["R2"]["included"]) == (1, 1)  # on the duplicate: its group
    assert progress["full-text"]["reviewers"][0]["votes"] == 1
    (ta_agreement, _) = panels["agreement"]["data"]
    assert ta_agreement["items"] == 1  # R1 and R2 both voted on the duplicate group


async def test_dashboard_page_shows_flow_and_marked_slots(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    html = response.text
    assert 'data-source="IEEE"' in html
    assert 'data-source="ACM"' in html
    for slot in ("screening-progress", "agreement", "dedup-pairs"):  # loaded after the page
        assert f'hx-get="/panels/{slot}"' in html
    assert 'data-figure="unsorted">0<' in html
    panel = (await client.get("/panels/screening-progress")).text
    assert 'data-reviewer="R1" data-phase="title-abstract"' in panel
    assert "<html" not in panel
    assert (await client.get("/api/panels/agreement")).json()["key"] == "agreement"
    assert (await client.get("/api/panels/nope")).status_code == 404


async def test_dashboard_counts_match_the_records_they_link_to(
    client: httpx.AsyncClient,
) -> None:
    status = (await client.get("/api/dashboard")).json()["status"]
    html = (await client.get("/")).text
    links = re.findall(r'href="(/records\?duplicates=canonical[^"]*)">(\d+)<', html)
    assert len(links) >= 20
    for href, shown in links:
        query = href.split("?", 1)[1].replace("&amp;", "&")
        listed = (await client.get(f"/api/records?{query}")).json()["page"]["total"]
        assert listed == int(shown), href
    assert status["total"]["phases"]["title-abstract"]["included"] == 2


async def test_records_json_filters_sorts_and_pages(
    client: httpx.AsyncClient, review: Review
) -> None:
    data = (await client.get("/api/records")).json()
    assert data["page"]["total"] == 12
    assert [s["name"] for s in data["choices"]["sources"]] == ["IEEE", "ACM"]
    acm = (await client.get("/api/records", params={"source": "ACM"})).json()["page"]
    assert [r["id"] for r in acm["rows"]] == review.acm
    # Blank form fields mean "any".
    blank = {"source": "", "title-abstract": "", "year_from": "", "q": "", "sort": ""}
    assert (await client.get("/api/records", params=blank)).json()["page"]["total"] == 12
    conflict = (await client.get("/api/records?title-abstract=conflict")).json()["page"]
    assert [r["id"] for r in conflict["rows"]] == [review.canonical, review.duplicate]
    assert conflict["rows"][1]["duplicate_of"] == review.canonical
    paged = (await client.get("/api/records?per_page=5&page=2&sort=year&order=desc")).json()
    assert (paged["page"]["pages"], len(paged["page"]["rows"])) == (3, 5)
    years = [r["year"] for r in paged["page"]["rows"]]
    assert years == sorted(years, reverse=True)


async def test_bad_parameters(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/records?title-abstract=sorted")).status_code == 422
    assert (await client.get("/api/records?per_page=5000")).status_code == 422
    unknown = await client.get("/api/records?source=Scopus")
    assert unknown.status_code == 400
    assert "no such source" in unknown.json()["detail"]
    page = await client.get("/records?year_from=soon")
    assert page.status_code == 400
    assert "year_from" in page.text
    assert "<!doctype html>" in page.text


async def test_records_page_and_its_htmx_fragment(client: httpx.AsyncClient) -> None:
    full = await client.get("/records?source=ACM")
    assert 'id="filters"' in full.text
    assert 'data-total="4"' in full.text
    fragment = await client.get(
        "/records?source=ACM", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "<html" not in fragment.text
    assert 'id="filters"' not in fragment.text
    assert 'data-total="4"' in fragment.text


async def test_record_json_and_page(client: httpx.AsyncClient, review: Review) -> None:
    data = (await client.get(f"/api/records/{review.duplicate}")).json()
    assert data["canonical_id"] == review.canonical
    assert [m["id"] for m in data["group"]] == [review.canonical, review.duplicate]
    assert [d["reviewer"] for d in data["decisions"]] == ["R1", "R2"]
    assert data["provenance"]["source"] == "ACM"
    ieee = (await client.get(f"/api/records/{review.ieee[3]}")).json()
    assert ieee["provenance"]["batch"]["file_name"] == "ieee-export.ris"
    assert ieee["provenance"]["entry_line"] == 31
    page = await client.get(f"/records/{review.ieee[3]}")
    assert "ieee-export.ris" in page.text
    assert "line 31" in page.text
    assert (await client.get("/api/records/424242")).status_code == 404
    missing = await client.get("/records/424242")
    assert missing.status_code == 404
    assert "no such record" in missing.text


async def test_imported_markup_is_escaped(client: httpx.AsyncClient, review: Review) -> None:
    for path in (f"/records/{review.script}", "/records", "/records?q=sneaky"):
        html = body((await client.get(path)).text)
        assert "<script>" not in html, path
        assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html, path
    record = body((await client.get(f"/records/{review.script}")).text)
    assert "&lt;b&gt;bold?&lt;/b&gt;" in record
    (marked,) = review.project.add_records(
        "ACM", [RecordData(title="t", authors=["<i>Evil</i>, A."], venue="<u>V</u>", pages="<p>")]
    )
    meta = body((await client.get(f"/records/{marked}")).text)
    assert "&lt;i&gt;Evil&lt;/i&gt;, A. · &lt;u&gt;V&lt;/u&gt; · pp. &lt;p&gt;" in meta
    data = (await client.get(f"/api/records/{review.script}")).json()
    assert (data["data"]["title"], data["data"]["abstract"]) == (SCRIPT_TITLE, SCRIPT_ABSTRACT)


async def test_only_web_links_become_links(client: httpx.AsyncClient, review: Review) -> None:
    (bad,) = review.project.add_records("ACM", [RecordData(title="x", url="javascript:alert(1)")])
    (good,) = review.project.add_records("ACM", [RecordData(title="y", url="https://e.org/p")])
    assert 'href="javascript' not in (await client.get(f"/records/{bad}")).text
    assert 'href="https://e.org/p"' in (await client.get(f"/records/{good}")).text
    assert safe_url(" JavaScript:alert(1)") == ""
    assert safe_url("HTTP://example.org") == "HTTP://example.org"


async def test_report_not_written_yet(client: httpx.AsyncClient) -> None:
    data = (await client.get("/api/report")).json()
    assert data["available"] is False
    assert "metasummary report" in data["message"]
    assert 'data-slot="report"' in (await client.get("/report")).text
    assert (await client.get("/report/files/index.html")).status_code == 404


async def test_every_page_links_its_json_twin(client: httpx.AsyncClient, review: Review) -> None:
    pages = ("/", "/records?source=IEEE", f"/records/{review.canonical}", "/report", "/query")
    for path in pages:
        html = (await client.get(path)).text
        (twin,) = re.findall(r'href="([^"]+)" class="json-link"', html)
        response = await client.get(twin.replace("&amp;", "&"))
        assert response.status_code == 200, twin
        assert response.headers["content-type"] == "application/json"


async def test_openapi_documents_the_json_twins(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    assert set(schema["paths"]) == {
        "/api/dashboard",
        "/api/panels/{key}",
        "/api/query",
        "/api/records",
        "/api/records/{record_id}",
        "/api/screening",
        "/api/screening/decisions",
        "/api/screening/undo",
        "/api/screening/progress",
        "/api/conflicts",
        "/api/conflicts/resolutions",
        "/api/dedup/pairs",
        "/api/dedup/pairs/{pair_id}",
        "/api/dedup/pairs/{pair_id}/undo",
        "/api/board",
        "/api/board/suggestions",
        "/api/board/moves",
        "/api/board/themes",
        "/api/board/themes/{theme_id}/rename",
        "/api/board/themes/{theme_id}/merge",
        "/api/board/themes/{theme_id}/move",
        "/api/board/undo",
        "/api/report",
        "/api/acting",
        "/api/imports",
        "/api/imports/{batch_id}/undo",
        "/api/imports/{batch_id}/redo",
        "/api/report/progress",
        "/api/fulltext",
        "/api/fulltext/attach",
        "/api/fulltext/{record_id}",
        "/api/fulltext/{record_id}/findings",
        "/api/fulltext/{record_id}/quality",
        "/api/session",
    }
    assert all(path.startswith("/api/") for path in schema["paths"])  # pages stay out
    params = {p["name"] for p in schema["paths"]["/api/records"]["get"]["parameters"]}
    assert {"q", "source", "title-abstract", "full-text", "duplicates", "sort"} <= params
    assert (await client.get("/docs")).status_code == 404  # Swagger UI would load a CDN


async def test_state_changes_need_the_csrf_token(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/_probe")).status_code == 403
    wrong = await client.post("/api/_probe", headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    assert "CSRF" in wrong.json()["detail"]
    ok = await client.post("/api/_probe", headers={"X-CSRF-Token": TOKEN})
    assert ok.status_code == 200
    assert ok.json() == {"ok": True}
    assert (await client.delete("/records/1")).status_code == 403


async def test_pages_carry_the_token_and_a_strict_policy(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert f'<meta name="csrf-token" content="{TOKEN}">' in response.text
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert re.fullmatch(r"app;dur=[\d.]+", response.headers["server-timing"])


async def test_only_local_host_names_are_answered(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    for host, expected in [
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("[::1]:8000", 200),
        ("evil.example", 400),
        ("127.0.0.1.evil.example:80", 400),
    ]:
        async with httpx.AsyncClient(transport=transport, base_url="http://x") as c:
            response = await c.get("/api/report", headers={"Host": host})
            assert response.status_code == expected, host
    assert WebSettings.for_host("0.0.0.0").allowed_hosts == frozenset({"*"})
    assert WebSettings.for_host("127.0.0.1").allowed_hosts == WebSettings().allowed_hosts
    # Any loopback address keeps the Host check (DNS rebinding reaches those too).
    assert WebSettings.for_host("127.0.0.2").allowed_hosts == {
        "127.0.0.1",
        "localhost",
        "::1",
        "127.0.0.2",
    }
    assert WebSettings.for_host("[::1]").allowed_hosts == WebSettings().allowed_hosts


async def test_static_files_stay_in_their_folder(client: httpx.AsyncClient) -> None:
    assert (await client.get("/static/vendor/htmx.min.js")).status_code == 200
    for path in ("/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/vendor/..%2F..%2Fapp.py"):
        assert (await client.get(path)).status_code == 404, path


def test_safe_path(tmp_path: Path) -> None:
    root = tmp_path / "exports"
    (root / "charts").mkdir(parents=True)
    (root / "charts" / "flow.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("no")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert safe_path(root, "charts/flow.svg") == (root / "charts" / "flow.svg").resolve()
    for bad in ("../secret.txt", "charts/../../secret.txt", "/etc/passwd", "link.txt", "charts"):
        with pytest.raises(NotFoundError):
            safe_path(root, bad)


def test_vendored_files_match_their_readme() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\S+) \| ([\d.]+) \| (\S+) \| .+ \| ([0-9a-f]{64}) \|$", readme, re.M)
    fonts = "pdfjs/standard_fonts/"  # a folder copied whole, with its licences inside
    files = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()}
    assert {row[2] for row in rows} == {
        f for f in files if f != "README.md" and not f.startswith(fonts)
    }
    assert f"| {fonts} |" in readme
    for package, version, name, digest in rows:
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
        if name.endswith((".js", ".mjs")):
            assert package in {"htmx.org", "sortablejs", "pdfjs-dist"}
            assert version.count(".") == 2
    htmx = (VENDOR / "htmx.min.js").read_text(encoding="utf-8")
    assert 'version:"2.0.11"' in htmx


def test_holder_opens_once_and_closes_what_it_opened(tmp_path: Path) -> None:
    Project.init(tmp_path / "r").close()
    opened: list[Project] = []

    def opener() -> Project:
        opened.append(Project.open(tmp_path / "r"))
        return opened[-1]

    holder = ProjectHolder(opener)
    assert opened == []
    assert holder.get() is holder.get()
    assert len(opened) == 1
    holder.close()
    assert holder.get() is not opened[0]  # reopened after close
    holder.close()


async def test_records_by_decision(client: httpx.AsyncClient, review: Review) -> None:
    group = [review.canonical, review.duplicate]
    by_code = (await client.get("/api/records?criterion=E1")).json()
    assert [r["id"] for r in by_code["page"]["rows"]] == group
    assert by_code["choices"]["criteria"] == ["I1", "E1", "E2"]
    assert by_code["choices"]["reviewers"] == ["R1", "R2"]
    r2 = (await client.get("/api/records?reviewer=R2")).json()["page"]
    assert [r["id"] for r in r2["rows"]] == group  # R2 voted on the duplicate: its group
    r1 = (await client.get("/api/records?reviewer=R1")).json()["page"]
    # ieee[3]'s vote was retracted: no standing decision of R1 there.
    assert [r["id"] for r in r1["rows"]] == [
        review.ieee[0],
        review.canonical,
        review.ieee[4],
        review.duplicate,
    ]
    both = (await client.get("/api/records?reviewer=R2&criterion=E1")).json()["page"]
    assert both["total"] == 0  # R2 included; R1 cited E1
    narrowed = await client.get("/api/records?reviewer=R1&title-abstract=included")
    assert [r["id"] for r in narrowed.json()["page"]["rows"]] == [review.ieee[0], review.ieee[4]]
    unknown = await client.get("/api/records?reviewer=R9")
    assert unknown.status_code == 400
    html = (await client.get("/records?criterion=E1")).text
    assert '<option value="E1" selected>E1</option>' in html
