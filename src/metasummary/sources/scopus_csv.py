"""Scopus CSV export, in each of its header generations.

Before 2020 the ``Authors`` column joined names with commas (``Phillips J.C., Braun R.``);
later with semicolons; since 2023 an ``Author full names`` column adds full names with their
Scopus ids (``Phillips, James C. (57202138757)``), used when present.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions
from metasummary.sources.table import Columns, header_cells, read_table
from metasummary.sources.text import Document

_SCOPUS_ID = re.compile(r"\s*\(\d+\)\s*$")
_NO_AUTHOR = "[No author name available]"


def split_authors(value: str) -> list[str]:
    if not value or value.strip() == _NO_AUTHOR:
        return []
    value = norm.entities(value)
    if ";" in value:
        return norm.authors(_SCOPUS_ID.sub("", part) for part in value.split(";"))
    return norm.authors(part for part in value.split(", "))


def _columns(header: list[str]) -> Columns:
    names = {h.strip().casefold() for h in header}
    authors = ("Author full names",) if "author full names" in names else ("Authors",)
    return Columns(
        title=("Title",),
        abstract=("Abstract",),
        authors=authors,
        split_authors=split_authors,
        year=("Year",),
        venue=("Source title", "Source Title"),
        volume=("Volume",),
        issue=("Issue",),
        first_page=("Page start", "Art. No."),
        last_page=("Page end",),
        doi=("DOI",),
        url=("Link",),
        keywords=("Author Keywords", "Index Keywords"),
        type=("Document Type",),
        language=("Language of Original Document",),
        publisher=("Publisher",),
        references=("References",),
        key=("EID",),
        extra=("ISSN", "ISBN", "PubMed ID", "Cited by", "Open Access", "Source"),
        empty_values=frozenset({"[No abstract available]", _NO_AUTHOR}),
    )


def widen(names: list[str], width: int) -> list[str] | None:
    """Scopus writes ``Funding Text 2, 3 ...`` cells under a header naming only the first."""
    if "funding text 1" not in names:
        return None
    at = names.index("funding text 1") + 1
    extra = [f"funding text {n}" for n in range(2, 2 + width - len(names))]
    return [*names[:at], *extra, *names[at:]]


def sniff(head: str) -> bool:
    cells = header_cells(head)
    return "source title" in cells and bool({"eid", "link", "authors"} & cells)


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    return read_table(doc, _columns, widen=widen)
