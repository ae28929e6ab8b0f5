"""IEEE Xplore "Export > CSV" of search results."""

from __future__ import annotations

import re
from collections.abc import Iterator

from metasummary.sources.entries import Item, ReadOptions
from metasummary.sources.table import Columns, Row, header_cells, read_table
from metasummary.sources.text import Document

_ARNUMBER = re.compile(r"arnumber=(\d+)")


def _arnumber(row: Row) -> str:
    match = _ARNUMBER.search(row.get("pdf link", ""))
    return match.group(1) if match else ""


COLUMNS = Columns(
    title=("Document Title",),
    abstract=("Abstract",),
    authors=("Authors",),
    year=("Publication Year",),
    venue=("Publication Title",),
    volume=("Volume",),
    issue=("Issue",),
    first_page=("Start Page",),
    last_page=("End Page",),
    doi=("DOI",),
    url=("PDF Link",),
    keywords=("Author Keywords", "IEEE Terms"),
    type=("Document Identifier",),
    publisher=("Publisher",),
    key_of=_arnumber,
    extra=("ISSN", "ISBNs", "INSPEC Controlled Terms", "Article Citation Count", "Reference Count"),
)


def sniff(head: str) -> bool:
    return {"document title", "publication title"} <= header_cells(head)


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    return read_table(doc, COLUMNS)
