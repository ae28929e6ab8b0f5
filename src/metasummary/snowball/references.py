"""Cited references as exports carry them, turned into minimal records without the network.

Web of Science writes one line per reference (``CR`` field): ``Ahuja G, 2000, ADMIN SCI
QUART, V45, P425, DOI 10.2307/2667105`` — author, year, abbreviated source, volume, page,
DOI, no title. Scopus writes ``Lien, Y.E., A note on transition systems (1976) J. Inform.
Sci., 10 (4), pp. 347-362`` — authors, title, year in brackets, source, volume (issue),
pages; books put their title after the year. Anything else (a bare DOI from Crossref, a
title from Semantic Scholar, an unstructured string) keeps its DOI, year and text.
"""

from __future__ import annotations

import hashlib
import re

from metasummary.models import RecordData
from metasummary.sources import normalise as norm

OPENALEX_WORK = re.compile(r"^(?:https?://openalex\.org/)?(W\d+)$", re.IGNORECASE)
_WOS = re.compile(r"^(?P<author>[^,]*), (?P<year>[12]\d{3})(?:, (?P<rest>.*))?$")
_WOS_DOI = re.compile(r",?\s*DOI\s+(\[[^\]]*\]|\S+)", re.IGNORECASE)
_SCOPUS = re.compile(r"^(?P<head>.*?)\s*\((?P<year>[12]\d{3})\)\s*,?\s*(?P<tail>.*)$")
_INITIALS_WOS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
_INITIALS = re.compile(r"^(?:[A-ZÀ-Þ][a-zß-ÿ]?\.\s?-?)+$")
_SURNAME = re.compile(r"^[^\d()]{1,40}$")
_SOURCE_END = re.compile(r",\s*(?:\d|pp?\.\s|,)")
_VOLUME = re.compile(r"^,\s*(\d+[A-Za-z]?)\b")
_ISSUE = re.compile(r"^,\s*\d+[A-Za-z]?\s*\(([^)]{1,12})\)")
_PAGES = re.compile(r"\bpp?\.\s*([A-Za-z]?\d+(?:\s*-\s*[A-Za-z]?\d+)?)")
_CITED = re.compile(r"\.?\s*Cited \d+ times?\.?", re.IGNORECASE)
_SCOPUS_DOI = re.compile(r"[.,]?\s*DOI:?\s*10\.\S+", re.IGNORECASE)
MIN_TEXT = 12
MIN_WORDS = 5


def openalex_id(reference: str) -> str:
    """``W123`` when the reference is an OpenAlex work (as OpenAlex exports list them)."""
    match = OPENALEX_WORK.match(reference.strip())
    return match.group(1).upper() if match else ""


def reference_key(data: RecordData, text: str) -> str:
    """How a reference is known across runs: its DOI, else a digest of its folded text."""
    if data.doi:
        return f"doi:{data.doi}"
    digest = hashlib.sha256(norm.fold_space(text).casefold().encode()).hexdigest()[:20]
    return f"ref:{digest}"


def parse_reference(text: str) -> RecordData | None:
    """A minimal record from one reference string; ``None`` when it names no paper."""
    text = norm.fold_space(text)
    if not text or openalex_id(text):
        return None
    wos = _WOS.match(text)
    if wos and "(" not in (wos.group("rest") or "")[:1]:
        data = _wos(wos)
    elif (scopus := _SCOPUS.match(text)) is not None:
        data = _scopus(scopus, text)
    else:
        data = _generic(text)
    if not (data.doi or len(data.title or data.venue) >= MIN_TEXT or (data.year and data.venue)):
        return None
    data.raw = text
    return data


def _wos_author(value: str) -> list[str]:
    """Web of Science's ``Family GF`` (family name first, then initials or given names)."""
    value = value.strip()
    if not value or value.startswith(("[", "*")) or "anonymous" in value.casefold():
        return []
    tokens = value.split(" ")
    start = len(tokens)
    while start > 1 and _INITIALS_WOS.match(tokens[start - 1]):
        start -= 1
    if start == len(tokens) and len(tokens) > 1:
        start = 1  # "Funahashi Akira": the family name comes first
    family, given = " ".join(tokens[:start]), " ".join(tokens[start:])
    return [f"{family}, {given}" if given else family]


def _wos(match: re.Match[str]) -> RecordData:
    rest = match.group("rest") or ""
    doi = ""
    found = _WOS_DOI.search(rest)
    if found:
        doi = norm.doi(found.group(1).strip("[]").split(",")[0])
        rest = rest[: found.start()]
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    venue = parts[0] if parts else ""
    volume = pages = ""
    for part in parts[1:]:
        if re.match(r"^V\w+$", part):
            volume = part[1:]
        elif re.match(r"^[Pp]\w+", part):
            pages = part[1:]
    return RecordData(
        authors=_wos_author(match.group("author")),
        year=int(match.group("year")),
        venue=venue,
        volume=volume,
        pages=pages,
        doi=doi,
    )


def _scopus(match: re.Match[str], text: str) -> RecordData:
    found = _SCOPUS_DOI.search(text)
    doi = norm.doi(found.group(0)) if found else ""
    tail = _CITED.sub("", _SCOPUS_DOI.sub("", match.group("tail"))).strip()
    authors, title = _split_head(match.group("head").strip().rstrip(","))
    end = _SOURCE_END.search(tail)
    source = (tail[: end.start()] if end else tail).strip(" .,")
    locators = tail[end.start() :] if end else ""
    volume = _VOLUME.match(locators)
    issue = _ISSUE.match(locators)
    pages = _PAGES.search(locators)
    book = not title and not volume and not pages
    return RecordData(
        title=source if book else title,
        authors=authors,
        year=int(match.group("year")),
        venue="" if book else source,
        volume=volume.group(1) if volume else "",
        issue=issue.group(1) if issue else "",
        pages=norm.pages(pages.group(1)) if pages else "",
        doi=doi,
    )


def _split_head(head: str) -> tuple[list[str], str]:
    """Scopus's ``Family, I., Family, I., Title`` into authors and title."""
    tokens = [t.strip() for t in head.split(", ")]
    authors: list[str] = []
    i = 0
    while (
        i + 1 < len(tokens)
        and _SURNAME.match(tokens[i])
        and _INITIALS.match(tokens[i + 1].rstrip(","))
    ):
        authors.append(f"{tokens[i]}, {tokens[i + 1].rstrip(',')}")
        i += 2
    return authors, ", ".join(tokens[i:]).strip(" ,")


def _generic(text: str) -> RecordData:
    doi = norm.doi(text)
    title = text
    if doi:
        title = re.sub(r"(?:https?://(?:dx\.)?doi\.org/|doi:?\s*)?10\.\S+", "", text, flags=re.I)
    title = title.strip(" .,;")
    year = norm.year(title)
    if not (doi or year or len(title.split()) >= MIN_WORDS):
        title = ""  # a place or a publisher, not a paper
    return RecordData(title=title[:300], year=year, doi=doi)
