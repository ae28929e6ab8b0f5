"""Where a legal open-access PDF of a paper is: OpenAlex, Unpaywall and arXiv, asked in turn.

* OpenAlex: ``/works/doi:…`` and its ``best_oa_location.pdf_url`` (then any other location's);
* Unpaywall: ``/v2/{doi}?email=…`` and its ``best_oa_location.url_for_pdf`` (Unpaywall asks
  every caller for an email address);
* arXiv: the paper's arXiv id (an arXiv DOI or URL), else a title search whose best hit has
  the same title, and its ``/pdf/`` link.

Every answer goes through the review's response cache, so a re-run (or one resumed after a
stop) asks the network only for what it has not asked yet.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from rapidfuzz import fuzz

from metasummary.errors import NetworkError
from metasummary.fulltext.text import fold
from metasummary.imports.search.api import document
from metasummary.imports.search.cache import ResponseCache, request_key
from metasummary.sources import arxiv_atom
from metasummary.sources.entries import ReadOptions

OPENALEX = "https://api.openalex.org/works/"
UNPAYWALL = "https://api.unpaywall.org/v2/"
ARXIV = "https://export.arxiv.org/api/query"
ARXIV_PDF = "https://arxiv.org/pdf/"
INTERVALS = {"openalex": 0.2, "unpaywall": 0.2, "arxiv": 3.0}
TITLE_MATCH = 95.0
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Lead:
    """A URL that should serve the paper's PDF, and who said so."""

    service: str
    url: str


@dataclass(frozen=True, slots=True)
class Wanted:
    """A paper to find: its record id, DOI, title and URL."""

    record_id: int
    doi: str
    title: str
    url: str


def _json(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


def _get(cache: ResponseCache, service: str, url: str, params: dict[str, str | int]) -> str:
    """The body of a GET through the cache; a 404 (the service does not know the paper) is
    kept as an empty answer, so it is not asked again."""

    def call() -> httpx.Response:
        try:
            return cache.fetcher().get(service, url, params, interval=INTERVALS[service])
        except NetworkError as exc:
            if " answered 404" in str(exc):
                return httpx.Response(404, text="")
            raise

    body, _ = cache.fetch(service, request_key(url, params), call)
    return body


def openalex(cache: ResponseCache, paper: Wanted) -> list[Lead]:
    if not paper.doi:
        return []
    url = OPENALEX + "doi:" + quote(paper.doi, safe="/")
    body = _get(cache, "openalex", url, {})
    work = _json(body)
    if not isinstance(work, dict):
        return []
    leads: list[Lead] = []
    best = work.get("best_oa_location") or {}
    locations = [best, *(work.get("locations") or [])]
    for location in locations:
        if isinstance(location, dict) and location.get("is_oa", True) and location.get("pdf_url"):
            leads.append(Lead("openalex", str(location["pdf_url"])))
    return _unique(leads)


def unpaywall(cache: ResponseCache, paper: Wanted, email: str) -> list[Lead]:
    if not paper.doi or not email:
        return []
    url = UNPAYWALL + quote(paper.doi, safe="/")
    body = _get(cache, "unpaywall", url, {"email": email})
    answer = _json(body)
    if not isinstance(answer, dict):
        return []
    leads: list[Lead] = []
    locations = [answer.get("best_oa_location") or {}, *(answer.get("oa_locations") or [])]
    for location in locations:
        if isinstance(location, dict) and location.get("url_for_pdf"):
            leads.append(Lead("unpaywall", str(location["url_for_pdf"])))
    return _unique(leads)


def arxiv_id(paper: Wanted) -> str:
    """The paper's arXiv id from its DOI or URL, or ''."""
    match = _ARXIV_DOI.match(paper.doi or "")
    if match:
        return match.group(1)
    match = _ARXIV_URL.search(paper.url or "")
    return match.group(1) if match else ""


def arxiv(cache: ResponseCache, paper: Wanted) -> list[Lead]:
    known = arxiv_id(paper)
    if known:
        return [Lead("arxiv", ARXIV_PDF + known)]
    words = " ".join(re.sub(r"[^\w\s]", " ", paper.title).split())
    if len(fold(words)) < 12:
        return []
    params: dict[str, str | int] = {"search_query": f'ti:"{words}"', "max_results": 3}
    body = _get(cache, "arxiv", ARXIV, params)
    wanted = fold(paper.title)
    for entry in arxiv_atom.read(document("arXiv answer", body), ReadOptions()):
        title = getattr(entry, "title", "")
        key = getattr(entry, "original_key", "")
        if key and title and fuzz.ratio(fold(title), wanted) >= TITLE_MATCH:
            return [Lead("arxiv", ARXIV_PDF + key)]
    return []


def _unique(leads: list[Lead]) -> list[Lead]:
    seen: set[str] = set()
    kept = []
    for lead in leads:
        if lead.url not in seen:
            seen.add(lead.url)
            kept.append(lead)
    return kept
