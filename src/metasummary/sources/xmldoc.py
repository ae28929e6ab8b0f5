"""XML documents whose records are repeated elements, each with its line.

ElementTree gives no line numbers, so the start tags are also found by a plain scan of the
text: that scan is the independent count, and its offsets give each record's line and raw
text. A file where the two disagree is refused with the lines in question.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree
from xml.parsers import expat

from metasummary.errors import ImportFileError
from metasummary.sources.entries import CUT_SHORT, line_of
from metasummary.sources.text import Document


@dataclass(frozen=True, slots=True)
class XmlItem:
    index: int
    line: int
    element: ElementTree.Element
    raw: str


def local(tag: str) -> str:
    """A tag without its ``{namespace}``."""
    return tag.rsplit("}", 1)[-1]


def parse(doc: Document) -> ElementTree.Element:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", doc.text, count=1)
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        line = exc.position[0]
        if _at_end(exc):
            raise ImportFileError(
                f"{doc.name}:{line}: the file ends before the XML does ({CUT_SHORT})"
            ) from None
        raise ImportFileError(f"{doc.name}:{line}: not well-formed XML ({exc})") from None
    except RecursionError:
        raise ImportFileError(f"{doc.name}: not readable XML (nested too deeply)") from None


_RAN_OUT = {
    expat.errors.codes[name]
    for name in (
        expat.errors.XML_ERROR_NO_ELEMENTS,  # elements still open at the end
        expat.errors.XML_ERROR_UNCLOSED_TOKEN,  # the end came inside a tag
        expat.errors.XML_ERROR_PARTIAL_CHAR,
        expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
}
"""Expat's errors for a text that stops before the document does."""


def _at_end(error: ElementTree.ParseError) -> bool:
    return error.code in _RAN_OUT


def items(doc: Document, root: ElementTree.Element, tag: str) -> Iterator[XmlItem]:
    """Every ``tag`` element under ``root`` (any depth), with its line and raw text."""
    elements = [e for e in root.iter() if local(e.tag) == tag]
    starts = [m.start() for m in re.finditer(rf"<(?:[\w.-]+:)?{tag}[\s>/]", doc.text)]
    if len(starts) != len(elements):
        lines = ", ".join(str(line_of(doc.text, s)) for s in starts[:20])
        raise ImportFileError(
            f"{doc.name}: {len(starts)} <{tag}> start tags in the text (lines {lines}) but "
            f"{len(elements)} records in the XML; is one inside a comment or CDATA section?"
        )
    ends = [m.end() for m in re.finditer(rf"</(?:[\w.-]+:)?{tag}\s*>", doc.text)]
    last_pos, last_line = 0, 1
    for index, (element, start) in enumerate(zip(elements, starts, strict=True)):
        last_line = line_of(doc.text, start, start=last_pos, start_line=last_line)
        last_pos = start
        end = next((e for e in ends if e > start), len(doc.text))
        yield XmlItem(index, last_line, element, doc.text[start:end])


def text(element: ElementTree.Element | None) -> str:
    """All text inside ``element`` (through EndNote's ``<style>`` wrappers), folded."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())
