"""arXiv API responses (Atom feeds of ``<entry>`` elements)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from xml.etree import ElementTree

from metasummary.models import RecordData
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions, build, set_year
from metasummary.sources.text import Document
from metasummary.sources.xmldoc import items, local, parse, text

_VERSION = re.compile(r"v\d+$")


def sniff(head: str) -> bool:
    return "<feed" in head and "arxiv" in head.lower()


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    root = parse(doc)
    for item in items(doc, root, "entry"):
        yield build(item.index, item.line, item.raw, partial(record, item.element))


def _children(element: ElementTree.Element, tag: str) -> list[ElementTree.Element]:
    return [child for child in element if local(child.tag) == tag]


def _child(element: ElementTree.Element, tag: str) -> ElementTree.Element | None:
    found = _children(element, tag)
    return found[0] if found else None


def record(entry: ElementTree.Element) -> RecordData:
    ident = text(_child(entry, "id"))
    arxiv_id = _VERSION.sub("", ident.rsplit("/abs/", 1)[-1]) if ident else ""
    authors = [text(_child(a, "name")) for a in _children(entry, "author")]
    categories = [c.get("term", "") for c in _children(entry, "category")]
    doi = norm.doi(text(_child(entry, "doi")))
    result = RecordData(
        title=text(_child(entry, "title")),
        abstract=text(_child(entry, "summary")),
        authors=norm.authors(a for a in authors if a),
        venue=text(_child(entry, "journal_ref")) or "arXiv",
        doi=doi or (f"10.48550/arxiv.{arxiv_id.lower()}" if arxiv_id else ""),
        url=ident,
        keywords=norm.unique(c for c in categories if c),
        type="preprint",
        original_key=arxiv_id,
        extra={"comment": text(_child(entry, "comment"))} if _child(entry, "comment") else {},
    )
    return set_year(result, text(_child(entry, "published")))
