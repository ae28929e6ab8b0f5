"""A report as a tree of format-neutral blocks: what every writer renders.

:mod:`metasummary.report.outline` builds the one :class:`Document` of a review from its
content: the sections in order, each a heading with blocks (paragraphs, lists, tables,
figures, the bibliography) and subsections. Each format has one writer that renders every
block kind (HTML, Markdown, LaTeX) or takes the tables (the spreadsheet); a new section of
the report is a function in the outline, and every format shows it.

Text is a list of inline parts: plain strings, emphasis, citations (numbered in the reference
list, ``\\cite`` in LaTeX) and links to other sections. Writers escape and lay out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from metasummary.report.content import Citations
from metasummary.report.references import Reference
from metasummary.report.tables import Table


@dataclass(frozen=True, slots=True)
class Emphasis:
    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A link to a section of the report (``anchor``), or to a file beside it (``file``)."""

    text: str
    anchor: str = ""
    file: str = ""


Inline = str | Emphasis | Strong | Link | Citations
Text = list[Inline]


@dataclass(slots=True)
class Paragraph:
    text: Text
    style: Literal["", "note", "notice", "quote", "aside"] = ""
    """``note``: small print under a table or figure; ``notice``: the report's notice;
    ``quote``: a quotation from a paper; ``aside``: a line that places a section (its stage)."""


@dataclass(slots=True)
class ItemList:
    items: list[Text]
    ordered: bool = False


@dataclass(slots=True)
class Definitions:
    """Terms and their text (research questions)."""

    items: list[tuple[str, Text]]


@dataclass(slots=True)
class Figure:
    """A chart drawn by the report service; ``name`` is its file stem under ``figures/``."""

    name: str
    caption: str
    links: list[str] = field(default_factory=list)
    """Formats the HTML page links to besides the embedded drawing (``svg``, ``png``)."""


@dataclass(slots=True)
class Bibliography:
    """The numbered reference list of the included papers (in LaTeX, BibTeX's list)."""

    references: list[Reference]
    files: list[str] = field(default_factory=list)
    """The reference files written beside the report (``included.bib``, ``included.ris``)."""


Block = Paragraph | ItemList | Definitions | Table | Figure | Bibliography


@dataclass(slots=True)
class Section:
    title: str
    anchor: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    contents: bool = True
    """Listed in the HTML page's table of contents."""

    def walk(self, level: int = 1) -> Iterator[tuple[int, Section]]:
        yield level, self
        for child in self.sections:
            yield from child.walk(level + 1)


@dataclass(slots=True)
class Document:
    title: str
    notice: str
    summary: str
    generated: str
    sections: list[Section]
    appendix: list[Table] = field(default_factory=list)
    """Tables only the spreadsheet holds (the data behind the sections)."""

    def walk(self) -> Iterator[tuple[int, Section]]:
        for section in self.sections:
            yield from section.walk()

    def tables(self) -> list[Table]:
        """Every table of every section, in order, then the appendix."""
        found = [b for _, s in self.walk() for b in s.blocks if isinstance(b, Table)]
        return [*found, *self.appendix]
