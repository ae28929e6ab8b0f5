"""OpenAlex ``/works`` responses (``meta`` + ``results``), as saved or as fetched by search."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions, set_year
from metasummary.sources.jsondoc import dig, json_sniff, read_array, text_of
from metasummary.sources.text import Document


def sniff(head: str) -> bool:
    return json_sniff(head, "openalex.org")


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    path = () if doc.text.lstrip().startswith("[") else ("results",)
    return read_array(doc, path, record)


def abstract(index: Any) -> str:
    """The abstract from OpenAlex's inverted index (word -> positions)."""
    if not isinstance(index, dict):
        return ""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int):
                placed[position] = str(word)
    return " ".join(placed[i] for i in sorted(placed))


def record(work: dict[str, Any]) -> RecordData:
    authors = []
    for authorship in work.get("authorships") or []:
        name = dig(authorship, "author", "display_name") or dig(authorship, "raw_author_name")
        if name:
            authors.append(str(name))
    biblio = work.get("biblio") if isinstance(work.get("biblio"), dict) else {}
    source = dig(work, "primary_location", "source") or {}
    keywords = [text_of(dig(k, "display_name")) for k in work.get("keywords") or []]
    result = RecordData(
        title=norm.strip_html(text_of(work.get("title") or work.get("display_name"))),
        abstract=abstract(work.get("abstract_inverted_index")),
        authors=norm.authors(authors),
        venue=text_of(dig(source, "display_name")),
        volume=text_of(dig(biblio, "volume")),
        issue=text_of(dig(biblio, "issue")),
        pages=norm.pages(dig(biblio, "first_page"), dig(biblio, "last_page")),
        doi=norm.doi(work.get("doi")),
        url=text_of(dig(work, "primary_location", "landing_page_url") or work.get("id")),
        keywords=norm.unique(keywords),
        type=text_of(work.get("type")),
        language=text_of(work.get("language")),
        publisher=text_of(dig(source, "host_organization_name")),
        references=[str(r) for r in work.get("referenced_works") or [] if r],
        original_key=text_of(work.get("id")).rsplit("/", 1)[-1],
        extra={"cited_by_count": work["cited_by_count"]} if "cited_by_count" in work else {},
    )
    return set_year(result, work.get("publication_year") or work.get("publication_date"))
