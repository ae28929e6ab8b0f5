"""Semantic Scholar Graph API ``/paper/search`` responses (``total``, ``next``, ``data``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions, set_year
from metasummary.sources.jsondoc import dig, json_sniff, read_array, text_of
from metasummary.sources.text import Document


def sniff(head: str) -> bool:
    return json_sniff(head, '"paperId"')


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    path = () if doc.text.lstrip().startswith("[") else ("data",)
    return read_array(doc, path, record)


def record(paper: dict[str, Any]) -> RecordData:
    authors = [text_of(dig(a, "name")) for a in paper.get("authors") or []]
    journal = paper.get("journal") if isinstance(paper.get("journal"), dict) else {}
    references = [
        text_of(dig(r, "title")) or text_of(dig(r, "paperId"))
        for r in paper.get("references") or []
    ]
    result = RecordData(
        title=text_of(paper.get("title")),
        abstract=text_of(paper.get("abstract")),
        authors=norm.authors(a for a in authors if a),
        venue=text_of(paper.get("venue")) or text_of(dig(journal, "name")),
        volume=text_of(dig(journal, "volume")),
        pages=norm.pages(text_of(dig(journal, "pages"))),
        doi=norm.doi(dig(paper, "externalIds", "DOI")),
        url=text_of(paper.get("url")),
        keywords=norm.unique(text_of(f) for f in paper.get("fieldsOfStudy") or []),
        type=text_of(paper.get("publicationTypes")),
        references=norm.unique(r for r in references if r),
        original_key=text_of(paper.get("paperId")),
        extra={k: paper[k] for k in ("citationCount", "corpusId") if paper.get(k) is not None},
    )
    return set_year(result, paper.get("year") or paper.get("publicationDate"))
