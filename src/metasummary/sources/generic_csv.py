"""Any CSV or tab-delimited table, its columns guessed from common names or given by the user.

Zotero's and Mendeley's CSV exports, a spreadsheet someone made by hand, a peer tool's
output: a column map (``title=Titel``) names the header holding each field; columns the map
does not name are guessed from usual names (``Title``, ``Abstract Note``, ``Author`` ...).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from metasummary.errors import ImportFileError
from metasummary.sources import normalise as norm
from metasummary.sources.entries import Item, ReadOptions
from metasummary.sources.table import Columns, header_cells, read_table, require
from metasummary.sources.text import Document

ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "document title", "item title", "article title", "primary title", "ti"),
    "abstract": ("abstract", "abstract note", "abstracts", "ab", "summary"),
    "authors": ("authors", "author", "author names", "au", "creators"),
    "year": ("year", "publication year", "py", "date", "publication date"),
    "venue": ("journal", "venue", "source title", "publication title", "booktitle", "source"),
    "volume": ("volume", "vl"),
    "issue": ("issue", "number", "is"),
    "pages": ("pages", "page", "pg"),
    "doi": ("doi", "item doi", "di"),
    "url": ("url", "link", "pdf link"),
    "keywords": ("keywords", "author keywords", "manual tags", "tags", "de"),
    "type": ("type", "item type", "document type", "content type"),
    "language": ("language", "la"),
    "publisher": ("publisher", "pu"),
    "key": ("key", "id", "record id", "citation key"),
}
FIELDS = tuple(ALIASES)


def split_authors(value: str) -> list[str]:
    if ";" in value:
        return norm.split_authors(value, ";")
    if " and " in value:
        return norm.split_authors(value, " and ")
    return norm.authors(norm.comma_separated_names(value) or [value])


def columns_for(header: list[str], given: Mapping[str, str]) -> Columns:
    """The column map: the user's choices, then the usual names for the rest."""
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise ImportFileError(
            f"unknown field(s) in the column map: {', '.join(unknown)}; use {', '.join(FIELDS)}"
        )
    present = {h.strip().casefold(): h.strip() for h in header}
    chosen: dict[str, tuple[str, ...]] = {}
    for fld, aliases in ALIASES.items():
        if fld in given:
            chosen[fld] = (given[fld],)
        else:
            chosen[fld] = tuple(present[a] for a in aliases if a in present)[:1]
    return Columns(
        title=chosen["title"],
        abstract=chosen["abstract"],
        authors=chosen["authors"],
        split_authors=split_authors,
        year=chosen["year"],
        venue=chosen["venue"],
        volume=chosen["volume"],
        issue=chosen["issue"],
        pages=chosen["pages"],
        doi=chosen["doi"],
        url=chosen["url"],
        keywords=chosen["keywords"],
        type=chosen["type"],
        language=chosen["language"],
        publisher=chosen["publisher"],
        key=chosen["key"],
    )


def sniff(head: str) -> bool:
    cells = header_cells(head)
    return len(cells) > 1 and any(a in cells for a in ALIASES["title"])


def read(doc: Document, options: ReadOptions) -> Iterator[Item]:
    def mapping(header: list[str]) -> Columns:
        require(doc, header, options.columns)
        columns = columns_for(header, options.columns)
        if not columns.title:
            raise ImportFileError(
                f"{doc.name}:1: no title column found; name it with a column map, "
                "e.g. --column title=HEADER"
            )
        return columns

    return read_table(doc, mapping)
