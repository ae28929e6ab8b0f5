"""IEEE Xplore Metadata API responses (``total_records``, ``articles``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions, set_year
from metasummary.sources.jsondoc import dig, json_sniff, read_array, text_of
from metasummary.sources.text import Document


def sniff(head: str) -> bool:
    return json_sniff(head, '"articles"') and (
        '"total_records"' in head or '"article_number"' in head
    )


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    return read_array(doc, ("articles",), record)


def record(article: dict[str, Any]) -> RecordData:
    authors = [text_of(dig(a, "full_name")) for a in dig(article, "authors", "authors") or []]
    keywords: list[str] = []
    for group in ("author_terms", "ieee_terms"):
        terms = dig(article, "index_terms", group, "terms")
        keywords.extend(text_of(t) for t in terms or [])
    result = RecordData(
        title=norm.strip_html(text_of(article.get("title"))),
        abstract=norm.strip_html(text_of(article.get("abstract"))),
        authors=norm.authors(a for a in authors if a),
        venue=text_of(article.get("publication_title")),
        volume=text_of(article.get("volume")),
        issue=text_of(article.get("issue")),
        pages=norm.pages(article.get("start_page"), article.get("end_page")),
        doi=norm.doi(article.get("doi")),
        url=text_of(article.get("html_url") or article.get("pdf_url")),
        keywords=norm.unique(k for k in keywords if k),
        type=text_of(article.get("content_type")),
        publisher=text_of(article.get("publisher")),
        original_key=text_of(article.get("article_number")),
        extra={"isbn": article["isbn"]} if article.get("isbn") else {},
    )
    return set_year(result, article.get("publication_year") or article.get("publication_date"))
