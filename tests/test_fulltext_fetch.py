"""``fulltext fetch`` replayed: answers written by hand in the documented formats of OpenAlex
(a work's ``best_oa_location.pdf_url``), Unpaywall (``best_oa_location.url_for_pdf``) and the
arXiv API (an Atom feed), the PDFs served from ``../shared/data/pdfs``; never the network."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from metasummary import Project, RecordData
from metasummary.models import SourceKind
from metasummary.report.diagram import grid
from tests.clirunner import run
from tests.helpers import protocol_text
from tests.test_search import Replay

OA_PDF = "https://repository.example.org/bitstream/dsde2010.pdf"
UNPAYWALL_PDF = "https://eprints.example.ac.uk/0807.3577.pdf"


def openalex_work(doi: str, pdf_url: str | None) -> dict[str, object]:
    location = {
        "is_oa": pdf_url is not None,
        "landing_page_url": f"https://doi.org/{doi}",
        "pdf_url": pdf_url,
        "source": {"display_name": "A repository"},
        "license": "cc-by" if pdf_url else None,
        "version": "acceptedVersion",
    }
    return {
        "id": "https://openalex.org/W2000000001",
        "doi": f"https://doi.org/{doi}",
        "open_access": {"is_oa": pdf_url is not None, "oa_url": pdf_url},
        "best_oa_location": location if pdf_url else None,
        "locations": [location],
    }


def unpaywall_answer(doi: str, pdf_url: str | None) -> dict[str, object]:
    best = {"url": pdf_url, "url_for_pdf": pdf_url, "host_type": "repository"} if pdf_url else None
    return {
        "doi": doi,
        "is_oa": pdf_url is not None,
        "best_oa_location": best,
        "oa_locations": [best] if best else [],
    }


def arxiv_feed(entries: list[tuple[str, str]]) -> str:
    items = "".join(
        f"<entry><id>http://arxiv.org/abs/{ident}</id><title>{title}</title>"
        "<summary>An abstract.</summary><published>2009-08-03T00:00:00Z</published>"
        "<author><name>A. Author</name></author></entry>"
        for ident, title in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">'
        f"<title>arXiv Query</title><opensearch:totalResults>{len(entries)}"
        f"</opensearch:totalResults>{items}</feed>"
    )


def handler(pdfs: Path) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        host = request.url.host
        if host == "api.openalex.org":
            if "10.1109/dsde.2010.49" in url:
                return httpx.Response(200, json=openalex_work("10.1109/dsde.2010.49", OA_PDF))
            if "10.9999/closed" in url:
                return httpx.Response(200, json=openalex_work("10.9999/closed", None))
            return httpx.Response(404, json={"error": "not found"})
        if host == "api.unpaywall.org":
            assert request.url.params["email"] == "team@example.org"
            if "10.1088/1475-7516/2008/10/003" in url:
                return httpx.Response(200, json=unpaywall_answer("10.1088/x", UNPAYWALL_PDF))
            return httpx.Response(200, json=unpaywall_answer("10.9999/closed", None))
        if host == "export.arxiv.org":
            if "Ultra light bosonic" in request.url.params["search_query"]:
                return httpx.Response(
                    200,
                    text=arxiv_feed([("0908.0054v2", "Ultra light bosonic dark matter and CMB")]),
                )
            return httpx.Response(200, text=arxiv_feed([]))
        files = {
            OA_PDF: "test_Grobid_1_05452615.pdf",
            UNPAYWALL_PDF: "0807.3577.pdf",
            "https://arxiv.org/pdf/0908.0054": "1001._0908.0054.pdf",
        }
        if url in files:
            return httpx.Response(
                200,
                content=(pdfs / files[url]).read_bytes(),
                headers={"content-type": "application/pdf"},
            )
        return httpx.Response(404, text="no such page")

    return answer


@pytest.fixture
def sought(make_project: Callable[..., Project], shared_data: Path) -> tuple[Project, list[int]]:
    project = make_project(protocol_text(email="team@example.org"))
    ids = project.add_records(
        "IEEE",
        [
            RecordData(title="A New Requirement Prioritization Model", doi="10.1109/DSDE.2010.49"),
            RecordData(
                title="Apparent and average accelerations of the Universe",
                doi="10.1088/1475-7516/2008/10/003",
            ),
            RecordData(title="Ultra light bosonic dark matter and CMB"),
            RecordData(title="A paper behind a paywall nobody shares", doi="10.9999/closed"),
            RecordData(title="Generalized Markdown Architectural Decision Records"),
            RecordData(title="Excluded at title and abstract"),
        ],
        kind=SourceKind.LIBRARY,
    )
    for record in ids[:5]:
        project.screening.decide(record, phase="title-abstract", reviewer="R1", verdict="include")
    project.screening.decide(
        ids[5], phase="title-abstract", reviewer="R1", verdict="exclude", criteria=["E1"]
    )
    project.fulltexts.attach([shared_data / "pdfs" / "gadr.pdf"])
    return project, ids


def test_open_access_copies_are_found_attached_and_the_rest_listed(
    sought: tuple[Project, list[int]], shared_data: Path
) -> None:
    project, ids = sought
    replay = Replay(handler(shared_data / "pdfs"))
    seen: list[tuple[int, int]] = []
    report = project.fulltexts.fetching.run(
        fetcher=replay.fetcher(),
        progress=lambda done, total, _t: seen.append((done, total)),
        actor="R1",
    )
    assert report.sought == 5
    assert report.already == 1
    found = {o.record_id: o.service for o in report.outcomes if o.status == "found"}
    assert found == {ids[0]: "openalex", ids[1]: "unpaywall", ids[2]: "arxiv"}
    assert [o.record_id for o in report.not_found] == [ids[3]]
    assert "no open-access copy" in report.not_found[0].detail
    assert seen[-1] == (5, 5)
    held = {info.paper: info.row for info in project.fulltexts.list()}
    assert held[ids[2]].matched_by == "fetch"
    assert held[ids[2]].origin == "https://arxiv.org/pdf/0908.0054"
    assert held[ids[0]].pages == 8
    assert 3.0 in [round(s, 1) for s in replay.sleeps]  # arXiv asks for 3 s between requests
    # PRISMA: one report sought and not retrieved, in the databases arm of the diagram.
    prisma = project.report.content().prisma
    assert prisma.not_retrieved == 1
    (arm,) = prisma.arms
    assert arm.not_retrieved == 1
    assert arm.assessed == arm.sought - 1
    rows, _ = grid(prisma)
    missing = rows[2][1]  # the row of reports sought, the box to its right
    assert missing is not None
    assert missing.lines == ["Reports not retrieved", "(n = 1)"]


def test_a_second_run_resumes_from_the_cache(
    sought: tuple[Project, list[int]], shared_data: Path
) -> None:
    project, ids = sought
    project.fulltexts.fetching.run(fetcher=Replay(handler(shared_data / "pdfs")).fetcher())

    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"asked the network for {request.url}")

    again = project.fulltexts.fetching.run(fetcher=Replay(refuse).fetcher(), offline=True)
    assert again.already == 4
    assert [o.record_id for o in again.not_found] == [ids[3]]
    result = run("fulltext", "fetch", "--offline", "--json", "-p", str(project.root))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [o["record_id"] for o in data["not_retrieved"]] == [ids[3]]


def test_offline_without_answers_fails_for_that_paper_only(
    sought: tuple[Project, list[int]],
) -> None:
    project, _ids = sought
    report = project.fulltexts.fetching.run(offline=True)
    assert {o.status for o in report.outcomes} == {"failed"}
    assert "not in the review's cache" in report.outcomes[0].detail
    assert project.fulltexts.list()[0].title.startswith("Generalized")  # nothing else came
