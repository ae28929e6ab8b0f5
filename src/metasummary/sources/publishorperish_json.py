"""Publish or Perish JSON export: an array of results from the search engine it queried
(Google Scholar, Crossref, Scopus ...), one flat object each (``title``, ``source``,
``authors``, ``article_url``, ``cites`` ...). Zero stands for a number it did not get."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions, set_year
from metasummary.sources.jsondoc import json_sniff, read_array, text_of
from metasummary.sources.text import Document


def sniff(head: str) -> bool:
    return head.lstrip().startswith("[") and json_sniff(head, '"article_url"', '"cites"')


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    return read_array(doc, (), record)


def _known(value: Any) -> str:
    """A number Publish or Perish writes as 0 when unknown, as text ('' for unknown)."""
    text = text_of(value)
    return "" if text in ("0", "") else text


def record(item: dict[str, Any]) -> RecordData:
    url = text_of(item.get("article_url"))
    authors = item.get("authors")
    names = [text_of(a) for a in authors] if isinstance(authors, list) else []
    names = [n for n in names if n.strip(".… ")]  # "..." marks a list Google Scholar cut
    extra = {k: item[k] for k in ("cites", "rank", "fulltext_url") if item.get(k)}
    result = RecordData(
        title=norm.strip_html(text_of(item.get("title"))),
        abstract=text_of(item.get("abstract")),
        authors=norm.authors([n for n in names if n]),
        venue=text_of(item.get("source")),
        volume=_known(item.get("volume")),
        issue=_known(item.get("issue")),
        pages=norm.pages(_known(item.get("startpage")), _known(item.get("endpage"))),
        doi=norm.doi(item.get("doi")) or norm.doi(url),
        url=url,
        type=text_of(item.get("type")),
        publisher=text_of(item.get("publisher")),
        original_key=text_of(item.get("uid")),
        extra=extra,
    )
    return set_year(result, item.get("year"))
