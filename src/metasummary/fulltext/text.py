"""A page's text for search and for locating quotes, from the text as the PDF gives it.

PDF text layers are written for printing, not reading: ligatures are single glyphs (``ﬁ``),
words are hyphenated across lines (pdfium marks a soft hyphen with ``\\x02``), and LaTeX
sets an accent as a separate glyph beside its letter (``Franc¸ois``, ``M ´ exico``). Two
derived forms repair that and the original is kept for quoting:

* :func:`search_text`: readable text with those repaired, for the full-text index;
* :class:`Skeleton`: letters and digits only, folded to lower case and without accents, each
  one mapped back to its offset in the original. A quote and a page compared as skeletons
  match across line breaks, hyphenation, ligatures, curly quotes and split accents.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from dataclasses import dataclass

# Spacing accents as LaTeX-made PDFs set them, and the combining mark each one stands for.
# ASCII look-alikes (` ^ ~) are left out: in technical text they are code and maths.
SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # ´ acute
    "\u00a8": "\u0308",  # ¨ diaeresis
    "\u02c6": "\u0302",  # ˆ circumflex
    "\u02dc": "\u0303",  # ˜ tilde
    "\u02c7": "\u030c",  # ˇ caron
    "\u02d8": "\u0306",  # ˘ breve
    "\u02da": "\u030a",  # ˚ ring
    "\u00af": "\u0304",  # ¯ macron
    "\u02dd": "\u030b",  # ˝ double acute
}
CEDILLA = "\u00b8"  # ¸ set after its letter
SOFT_HYPHEN_MARKS = "\x02\u00ad"
_ACCENT_BEFORE = re.compile(
    "[ ]?([" + re.escape("".join(SPACING_ACCENTS)) + "])[ ]?([A-Za-z\u0131\u0237])"
)
_CEDILLA_AFTER = re.compile(r"([CcSsTtGgKkLlNnRr])[ ]?" + CEDILLA)
_LOOSE_MARK = re.compile(r"(?<=[^\W\d_]) ([\u0300-\u036f])")
"""A combining mark set apart from its letter by a space (``Pare ́``)."""
_SOFT_BREAK = re.compile("[" + SOFT_HYPHEN_MARKS + r"]\s*")
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\n[ \t]*(?=[a-z])")
_DOTLESS = {"\u0131": "i", "\u0237": "j"}


def clean_lines(text: str) -> str:
    """The extracted text with Unix line ends and no control characters but the soft-hyphen
    mark and line breaks (what is stored as the page's text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t\x02" or unicodedata.category(ch)[0] != "C")


def _accent(match: re.Match[str]) -> str:
    letter = _DOTLESS.get(match.group(2), match.group(2))
    return unicodedata.normalize("NFC", letter + SPACING_ACCENTS[match.group(1)])


def search_text(text: str) -> str:
    """``text`` with split accents joined, soft and line-end hyphens removed, ligatures and
    compatibility forms expanded (NFKC), and spaces collapsed (line breaks kept)."""
    text = _SOFT_BREAK.sub("", text)
    text = _HYPHEN_BREAK.sub("", text)
    text = _LOOSE_MARK.sub(r"\1", text)
    text = _ACCENT_BEFORE.sub(_accent, text)
    text = _CEDILLA_AFTER.sub(lambda m: unicodedata.normalize("NFC", m.group(1) + "\u0327"), text)
    text = unicodedata.normalize("NFKC", text)
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def fold_char(ch: str) -> str:
    """The letters and digits ``ch`` stands for, lower case, without accents ('' for none)."""
    if ch in _DOTLESS:
        return _DOTLESS[ch]
    if ch.isascii():
        return ch.lower() if ch.isalnum() else ""
    return "".join(d.casefold() for d in unicodedata.normalize("NFKD", ch) if d.isalnum())


def fold(text: str) -> str:
    """The skeleton of ``text`` without the offsets."""
    return "".join(fold_char(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Letters and digits of a text, folded, each with the offset of its original character."""

    text: str
    offsets: array[int]
    """Compact: a long paper's skeleton has a hundred thousand of them."""

    @classmethod
    def of(cls, text: str) -> Skeleton:
        chars: list[str] = []
        offsets: array[int] = array("I")
        for index, ch in enumerate(text):
            folded = fold_char(ch)
            if folded:
                chars.append(folded)
                offsets.extend([index] * len(folded))
        return cls("".join(chars), offsets)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original of the skeleton's ``[start, end)``."""
        return self.offsets[start], self.offsets[end - 1] + 1
