"""The reference list of a PDF, read by a GROBID server (optional).

GROBID's ``/api/processReferences`` takes the PDF as a form field named ``input`` and answers
TEI XML whose ``listBibl`` holds one ``biblStruct`` per reference. The answer is cached under
the PDF's sha256, so a round re-run later reads it back without the server.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from xml.etree import ElementTree

from metasummary.errors import NetworkError
from metasummary.imports.search.cache import ResponseCache
from metasummary.models import RecordData
from metasummary.sources import normalise as norm

SERVICE = "grobid"
ENDPOINT = "/api/processReferences"
TEI = "{http://www.tei-c.org/ns/1.0}"


class Grobid:
    """A GROBID server at ``url`` (``http://localhost:8070``), through the response cache."""

    def __init__(self, url: str, cache: ResponseCache) -> None:
        self.url = url.rstrip("/")
        self.cache = cache

    def references(self, pdf: Path) -> list[RecordData]:
        """The references GROBID finds in ``pdf``, as minimal records."""
        content = pdf.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        request = f"{self.url}{ENDPOINT}?sha256={digest}"
        body, _ = self.cache.fetch(
            SERVICE,
            request,
            lambda: self.cache.fetcher().post(
                SERVICE,
                f"{self.url}{ENDPOINT}",
                files={"input": (pdf.name, content, "application/pdf")},
                data={"consolidateCitations": "0", "includeRawCitations": "1"},
            ),
        )
        try:
            return parse_tei(body)
        except ElementTree.ParseError as exc:
            self.cache.forget(SERVICE, request)
            raise NetworkError(f"grobid: the answer for {pdf} is not TEI XML ({exc})") from None


def parse_tei(text: str) -> list[RecordData]:
    """One record per ``biblStruct`` that names a title or a DOI."""
    root = ElementTree.fromstring(text)
    found = []
    for bibl in root.iterfind(f".//{TEI}listBibl/{TEI}biblStruct"):
        data = _record(bibl)
        if data.title or data.doi:
            found.append(data)
    return found


def _text(element: ElementTree.Element | None) -> str:
    return norm.fold_space("".join(element.itertext())) if element is not None else ""


def _pages(scope: ElementTree.Element | None) -> str:
    if scope is None:
        return ""
    if scope.get("from"):
        return norm.pages(scope.get("from"), scope.get("to"))
    return norm.pages(_text(scope))


def _record(bibl: ElementTree.Element) -> RecordData:
    analytic = bibl.find(f"{TEI}analytic")
    monogr = bibl.find(f"{TEI}monogr")
    article = _text(analytic.find(f"{TEI}title")) if analytic is not None else ""
    host = _text(monogr.find(f"{TEI}title")) if monogr is not None else ""
    people = (
        analytic if analytic is not None and analytic.find(f"{TEI}author") is not None else monogr
    )
    authors = []
    for pers in people.iter(f"{TEI}persName") if people is not None else []:
        family = _text(pers.find(f"{TEI}surname"))
        given = " ".join(_text(f) for f in pers.findall(f"{TEI}forename"))
        if family:
            authors.append(f"{family}, {given}" if given else family)
    doi = ""
    for idno in bibl.iter(f"{TEI}idno"):
        if idno.get("type", "").upper() == "DOI":
            doi = norm.doi(_text(idno))
    date = bibl.find(f".//{TEI}imprint/{TEI}date")
    scope = {s.get("unit"): s for s in bibl.iter(f"{TEI}biblScope")}
    page = scope.get("page")
    raw = bibl.find(f"{TEI}note[@type='raw_reference']")
    return RecordData(
        title=article or host,
        authors=authors,
        year=norm.year(date.get("when", "") or _text(date)) if date is not None else None,
        venue=host if article else "",
        volume=_text(scope.get("volume")),
        issue=_text(scope.get("issue")),
        pages=_pages(page),
        doi=doi,
        raw=_text(raw) or ElementTree.tostring(bibl, encoding="unicode"),
    )
