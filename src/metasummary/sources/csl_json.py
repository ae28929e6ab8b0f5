"""CSL-JSON (Zotero, Better BibTeX, Mendeley, pandoc): an array of items."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions, set_year
from metasummary.sources.jsondoc import dig, json_sniff, read_array, text_of
from metasummary.sources.text import Document


def sniff(head: str) -> bool:
    return (
        head.lstrip().startswith("[")
        and json_sniff(head, '"type"')
        and ('"container-title"' in head or '"issued"' in head or '"author"' in head)
    )


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    return read_array(doc, (), record)


def names(people: Any) -> list[str]:
    out: list[str] = []
    for person in people if isinstance(people, list) else []:
        if not isinstance(person, dict):
            continue
        family = text_of(person.get("family"))
        given = text_of(person.get("given"))
        literal = text_of(person.get("literal") or person.get("name"))
        if family:
            particle = text_of(person.get("non-dropping-particle"))
            family = f"{particle} {family}".strip()
            out.append(f"{family}, {given}" if given else family)
        elif literal:
            out.append(literal)
    return norm.authors(out)


def date_year(value: Any) -> object:
    """The year of a CSL / Crossref date (``date-parts`` or ``raw``)."""
    return dig(value, "date-parts", 0, 0) or dig(value, "raw") or dig(value, "literal")


def record(item: dict[str, Any]) -> RecordData:
    url = text_of(item.get("URL"))
    result = RecordData(
        title=norm.strip_html(text_of(item.get("title"))),
        abstract=norm.strip_html(text_of(item.get("abstract"))),
        authors=names(item.get("author")),
        venue=norm.strip_html(text_of(item.get("container-title"))),
        volume=text_of(item.get("volume")),
        issue=text_of(item.get("issue")),
        pages=norm.pages(text_of(item.get("page"))),
        doi=norm.doi(item.get("DOI")) or norm.doi(url),
        url=url,
        keywords=norm.split_list(text_of(item.get("keyword")), ",;"),
        type=text_of(item.get("type")),
        language=text_of(item.get("language")),
        publisher=text_of(item.get("publisher")),
        original_key=text_of(item.get("id")),
    )
    return set_year(result, date_year(item.get("issued")))
