"""Reading search results: one module per file format, a registry that tells them apart.

Every reader takes a decoded :class:`Document` and yields, entry by entry, a
:class:`~metasummary.models.RecordData` (with ``entry_index``, ``entry_line``, ``raw`` and
``original_key``) or a located :class:`Problem`; whole-file failures raise
:class:`~metasummary.errors.ImportFileError`. API searches live in ``metasummary.imports.search``.
"""

from metasummary.sources.entries import Item, Problem, ReadOptions
from metasummary.sources.registry import BY_NAME, FORMATS, Format, format_named, read, sniff
from metasummary.sources.text import Document, decode

__all__ = [
    "BY_NAME",
    "FORMATS",
    "Document",
    "Format",
    "Item",
    "Problem",
    "ReadOptions",
    "decode",
    "format_named",
    "read",
    "sniff",
]
