"""The full-text step: PDFs attached and read, quotes located, quality assessed."""

from metasummary.fulltext.service import Attached, FulltextInfo, FullTexts

__all__ = ["Attached", "FullTexts", "FulltextInfo"]
