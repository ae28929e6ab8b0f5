"""Crossref REST API works: one response, a list of responses, or a search page of items."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.csl_json import date_year, names
from metasummary.sources.entries import Item, ReadOptions, build, set_year
from metasummary.sources.jsondoc import dig, json_sniff, load, read_array, text_of
from metasummary.sources.text import Document


def sniff(head: str) -> bool:
    return json_sniff(head, '"message') and ('"message-type"' in head or '"DOI"' in head)


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    data = load(doc)
    if isinstance(data, dict) and isinstance(dig(data, "message", "items"), list):
        yield from read_array(doc, ("message", "items"), record)
    elif isinstance(data, dict):
        yield build(0, 1, doc.text, lambda: record(data))
    else:
        yield from read_array(doc, (), record)


def record(item: dict[str, Any]) -> RecordData:
    work = item["message"] if isinstance(item.get("message"), dict) else item
    references = []
    for ref in work.get("reference") or []:
        text = norm.doi(dig(ref, "DOI")) or text_of(dig(ref, "unstructured"))
        if text:
            references.append(text)
    url = text_of(work.get("URL"))
    result = RecordData(
        title=norm.strip_html(text_of(work.get("title"))),
        abstract=norm.strip_html(text_of(work.get("abstract"))),
        authors=names(work.get("author")),
        venue=norm.strip_html(text_of(work.get("container-title"))),
        volume=text_of(work.get("volume")),
        issue=text_of(work.get("issue")),
        pages=norm.pages(text_of(work.get("page"))),
        doi=norm.doi(work.get("DOI")) or norm.doi(url),
        url=url,
        keywords=norm.unique(text_of(s) for s in work.get("subject") or []),
        type=text_of(work.get("type")),
        language=text_of(work.get("language")),
        publisher=text_of(work.get("publisher")),
        references=norm.unique(references),
        original_key=norm.doi(work.get("DOI")),
    )
    date = work.get("issued") or work.get("published-print") or work.get("published-online")
    return set_year(result, date_year(date))
