"""Every file format metasummary reads: its name, how to recognise it, and its reader.

The format is told from the content (the first 64 KB), not the extension: a Scopus CSV saved
as ``.txt`` or a RIS file called ``.ris.txt`` still reads right. Order matters only where two
formats could both claim a file; the generic CSV reader comes last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from metasummary.errors import ImportFileError
from metasummary.sources import (
    arxiv_atom,
    bibtex,
    crossref_json,
    csl_json,
    endnote_tagged,
    endnote_xml,
    generic_csv,
    ieee_csv,
    ieee_json,
    nbib,
    openalex_json,
    publishorperish_json,
    ris,
    scopus_csv,
    semanticscholar_json,
    springer_csv,
    wos,
)
from metasummary.sources.entries import Item, Reader, ReadOptions
from metasummary.sources.text import Document

SNIFF_BYTES = 65536


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    label: str
    extension: str
    sniff: Callable[[str], bool]
    read: Reader
    library: str = ""
    """The library whose source a file of this format belongs to by default, if any."""


FORMATS: tuple[Format, ...] = (
    Format("endnote-xml", "EndNote XML", "xml", endnote_xml.sniff, endnote_xml.read),
    Format("arxiv-atom", "arXiv API Atom feed", "xml", arxiv_atom.sniff, arxiv_atom.read, "arxiv"),
    Format(
        "openalex-json",
        "OpenAlex works JSON",
        "json",
        openalex_json.sniff,
        openalex_json.read,
        "openalex",
    ),
    Format(
        "semanticscholar-json",
        "Semantic Scholar JSON",
        "json",
        semanticscholar_json.sniff,
        semanticscholar_json.read,
        "semanticscholar",
    ),
    Format("ieee-json", "IEEE Xplore API JSON", "json", ieee_json.sniff, ieee_json.read, "ieee"),
    Format(
        "crossref-json",
        "Crossref works JSON",
        "json",
        crossref_json.sniff,
        crossref_json.read,
        "crossref",
    ),
    Format(
        "publishorperish-json",
        "Publish or Perish JSON",
        "json",
        publishorperish_json.sniff,
        publishorperish_json.read,
    ),
    Format("csl-json", "CSL-JSON", "json", csl_json.sniff, csl_json.read),
    Format("ris", "RIS", "ris", ris.sniff, ris.read),
    Format("nbib", "PubMed MEDLINE (nbib)", "nbib", nbib.sniff, nbib.read, "pubmed"),
    Format(
        "endnote-tagged", "EndNote tagged (enw)", "enw", endnote_tagged.sniff, endnote_tagged.read
    ),
    Format("wos", "Web of Science plain text", "txt", wos.sniff_plain, wos.read_plain, "wos"),
    Format("wos-tab", "Web of Science tab-delimited", "txt", wos.sniff_tab, wos.read_tab, "wos"),
    Format("ieee-csv", "IEEE Xplore CSV", "csv", ieee_csv.sniff, ieee_csv.read, "ieee"),
    Format("scopus-csv", "Scopus CSV", "csv", scopus_csv.sniff, scopus_csv.read, "scopus"),
    Format(
        "springer-csv",
        "SpringerLink CSV",
        "csv",
        springer_csv.sniff,
        springer_csv.read,
        "springer",
    ),
    Format("bibtex", "BibTeX", "bib", bibtex.sniff, bibtex.read),
    Format("csv", "CSV with a column map", "csv", generic_csv.sniff, generic_csv.read),
)
BY_NAME = {f.name: f for f in FORMATS}


def format_named(name: str) -> Format:
    try:
        return BY_NAME[name.strip().lower()]
    except KeyError:
        raise ImportFileError(f"unknown format '{name}'; use one of {', '.join(BY_NAME)}") from None


def sniff(doc: Document) -> Format:
    """The format of ``doc`` told from its content."""
    head = doc.text[:SNIFF_BYTES]
    if not head.strip():
        raise ImportFileError(f"{doc.name}: the file is empty")
    for fmt in FORMATS:
        if fmt.sniff(head):
            return fmt
    first = next((line for line in head.split("\n") if line.strip()), "")[:60]
    raise ImportFileError(
        f"{doc.name}:1: cannot tell the file's format from its start ({first!r}); give "
        f"--format, one of {', '.join(BY_NAME)}"
    )


def read(doc: Document, fmt: Format, options: ReadOptions | None = None) -> Iterator[Item]:
    """Records and problems of ``doc`` read as ``fmt``."""
    return fmt.read(doc, options or ReadOptions())
