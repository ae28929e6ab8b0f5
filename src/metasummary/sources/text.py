"""Turning a file's bytes into text, in the one place that knows about encodings.

Exports come as UTF-8 with or without a byte-order mark, UTF-16 with one (Web of Science's
"Win" exports), or a Windows code page; line ends are CRLF, LF or bare CR, sometimes mixed
in one file. Readers see ``\\n`` only, so the line numbers in messages match an editor's.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from metasummary.errors import ImportFileError

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16 BE"),
)


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded input file: its name for messages, its text with ``\\n`` line ends."""

    name: str
    text: str
    encoding: str = "UTF-8"

    def lines(self) -> list[str]:
        return self.text.split("\n")


def decode(data: bytes, name: str) -> Document:
    """Decode ``data``; refuse binary files with a message that says what to export instead."""
    text, encoding = _decode(data, name)
    if "\x00" in text:
        raise ImportFileError(
            f"{name}: holds binary data (NUL bytes), not an export; export the search results "
            "as RIS, BibTeX, CSV or the library's text format"
        )
    return Document(name=name, text=normalise_newlines(text), encoding=encoding)


def normalise_newlines(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"{name}: starts with a {label} byte-order mark but byte {exc.start} is not "
                    f"valid {label}; re-export the file or save it as UTF-8"
                ) from None
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), utf16.upper()
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252 (Latin-1)"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1 (Latin-1)"


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL in every other byte of ASCII text."""
    head = data[:4000]
    if len(head) < 4 or len(head) % 2:
        head = head[: len(head) - len(head) % 2]
    if len(head) < 4:
        return None
    even_nul = head[0::2].count(0)
    odd_nul = head[1::2].count(0)
    half = len(head) // 2
    if odd_nul > 0.4 * half and even_nul < 0.05 * half:
        return "utf-16-le"
    if even_nul > 0.4 * half and odd_nul < 0.05 * half:
        return "utf-16-be"
    return None
