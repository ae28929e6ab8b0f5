"""Reading a PDF: its pages' text and its metadata, with pypdfium2.

pypdfium2 binds PDFium, the PDF engine of Chromium: it reads broken and compressed files the
way a browser does, extracts a 46-page paper in about a second, and is permissively licensed
(Apache-2.0 / BSD-3-Clause) with wheels for every platform. pdfminer.six and pdfplumber (built
on it) give finer layout (characters with their boxes) but are pure Python and about ten
times slower per page, and their text order on two-column pages is no better for quoting
(see ``docs/guide/10-fulltext.md``).

A broken or encrypted file is refused with one line naming it; a page without a text layer
(a scan) is reported, never an error.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from metasummary.errors import ImportFileError
from metasummary.fulltext.text import clean_lines, search_text

MAX_BYTES = 512 * 1024 * 1024
"""Larger files are refused: no paper is this big, and reading one would exhaust memory."""
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True, slots=True)
class PageText:
    number: int  # 1-based
    start: int
    """Offset of the page in the document's text (the pages joined in order)."""
    text: str
    search: str

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass(slots=True)
class PdfText:
    """What a PDF holds for the review: its bytes' hash, pages and metadata."""

    name: str
    sha256: str
    size: int
    pages: list[PageText]
    metadata: dict[str, str] = field(default_factory=dict)
    data: bytes = field(default=b"", repr=False)

    @property
    def empty_pages(self) -> list[int]:
        return [p.number for p in self.pages if p.empty]

    def warnings(self) -> list[str]:
        """One line per page without text, as a person fixes it."""
        if self.pages and len(self.empty_pages) == len(self.pages):
            return [f"{self.name} has no text on any page: scanned? OCR it and attach it again"]
        return [
            f"page {n} of {self.name} has no text: scanned? OCR it and attach again"
            for n in self.empty_pages
        ]

    def head(self, pages: int = 1) -> str:
        return "\n".join(p.text for p in self.pages[:pages])


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    """A PDF file's bytes; a missing, huge or non-PDF file raises :class:`ImportFileError`."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ImportFileError(
                f"{path}: {size // (1024 * 1024)} MB is more than a paper holds; "
                f"the limit is {MAX_BYTES // (1024 * 1024)} MB"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path}: a folder, not a PDF") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror})") from None
    return data


def read_pdf(data: bytes, name: str) -> PdfText:
    """The text of every page of the PDF in ``data`` (``name`` is used in messages).

    Raises:
        ImportFileError: The data is not a PDF, is damaged, or needs a password.
    """
    if PDF_MAGIC not in data[:1024]:
        raise ImportFileError(f"{name}: not a PDF (it does not start with %PDF-)")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ImportFileError(_why(name, str(exc))) from None
    try:
        metadata = {k: v.strip() for k, v in document.get_metadata_dict().items() if v.strip()}
        pages: list[PageText] = []
        start = 0
        for index in range(len(document)):
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = clean_lines(textpage.get_text_bounded())
                finally:
                    textpage.close()
            finally:
                page.close()
            pages.append(PageText(index + 1, start, text, search_text(text)))
            start += len(text) + 1  # the pages are joined by a line break
    except pdfium.PdfiumError as exc:
        raise ImportFileError(_why(name, str(exc))) from None
    finally:
        document.close()
    return PdfText(name, sha256_of(data), len(data), pages, metadata, data)


def read_file(path: Path) -> PdfText:
    return read_pdf(read_bytes(path), str(path))


def _why(name: str, detail: str) -> str:
    if "password" in detail.lower() or "security" in detail.lower():
        return f"{name}: the PDF is encrypted; save a copy without a password and attach that"
    return f"{name}: the PDF is damaged and cannot be read ({detail}); get a fresh copy"
