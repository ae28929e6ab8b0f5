"""EndNote XML (``<xml><records><record>``), as written by EndNote, Bookends and Zotero."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from xml.etree import ElementTree

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions, build, set_year
from metasummary.sources.text import Document
from metasummary.sources.xmldoc import items, parse, text


def sniff(head: str) -> bool:
    return "<records" in head and "<record" in head and not head.lstrip().startswith(("{", "["))


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    root = parse(doc)
    for item in items(doc, root, "record"):
        yield build(item.index, item.line, item.raw, partial(record, item.element))


def _all(element: ElementTree.Element, path: str) -> list[str]:
    return [t for e in element.findall(path) if (t := text(e))]


def _one(element: ElementTree.Element, *paths: str) -> str:
    for path in paths:
        value = text(element.find(path))
        if value:
            return value
    return ""


def record(rec: ElementTree.Element) -> RecordData:
    urls = _all(rec, "urls/related-urls/url") + _all(rec, "urls/web-urls/url")
    ref_type = rec.find("ref-type")
    result = RecordData(
        title=_one(rec, "titles/title"),
        abstract=_one(rec, "abstract"),
        authors=norm.authors(_all(rec, "contributors/authors/author")),
        venue=_one(rec, "titles/secondary-title", "periodical/full-title", "titles/alt-title"),
        volume=_one(rec, "volume"),
        issue=_one(rec, "number", "issue"),
        pages=norm.pages(_one(rec, "pages")),
        doi=norm.doi(_one(rec, "electronic-resource-num"))
        or next((d for u in urls if (d := norm.doi(u))), ""),
        url=urls[0] if urls else "",
        keywords=norm.unique(_all(rec, "keywords/keyword")),
        type=ref_type.get("name", "") if ref_type is not None else "",
        language=_one(rec, "language"),
        publisher=_one(rec, "publisher"),
        original_key=_one(rec, "rec-number"),
        extra={"isbn": v} if (v := _one(rec, "isbn")) else {},
    )
    return set_year(result, _one(rec, "dates/year", "dates/pub-dates/date"))
