"""SpringerLink "Download search results (CSV)": no abstracts, and authors run together."""

from __future__ import annotations

from collections.abc import Iterator

from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions
from metasummary.sources.table import Columns, header_cells, read_table
from metasummary.sources.text import Document

COLUMNS = Columns(
    title=("Item Title",),
    authors=("Authors",),
    split_authors=norm.split_run_together,
    year=("Publication Year",),
    venue=("Publication Title", "Book Series Title"),
    volume=("Journal Volume",),
    issue=("Journal Issue",),
    doi=("Item DOI",),
    url=("URL",),
    type=("Content Type",),
    key=("Item DOI",),
    extra=("Book Series Title",),
)


def sniff(head: str) -> bool:
    return {"item title", "item doi"} <= header_cells(head)


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    return read_table(doc, COLUMNS)
