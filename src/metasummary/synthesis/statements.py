"""Splitting a spreadsheet cell that holds several challenge statements into findings.

Extraction sheets often keep one row per paper with every challenge in one cell, one per line
or as a bulleted list (the CAIN 2023 sheet did). A bullet (``-``, ``*``, ``•``, ``1.``, ``a)``)
starts a statement and lines after it continue it; without bullets each line is one. A
statement wrapped in quotation marks is a verbatim quote; a percentage in parentheses
(``(36%)``) is the share the paper reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from metasummary.errors import InputError

KINDS = ("paraphrase", "quote")
_BULLET = re.compile(r"^\s*(?:[-*•‣◦–]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s+")
_PERCENT = re.compile(r"\((\d{1,3}(?:[.,]\d+)?\s?%)\)")
_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "'": "'", "‘": "’"}


class Split(StrEnum):
    """How a findings cell is cut into statements."""

    NONE = "none"
    LINES = "lines"


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    kind: str  # quote | paraphrase
    value: str  # a reported percentage, or ''


def split_cell(text: str, how: Split = Split.NONE, *, separator: str = "") -> list[Statement]:
    """The statements in one cell (empty parts are dropped)."""
    if separator:
        parts = text.split(separator)
    elif how is Split.LINES:
        parts = _by_lines(text)
    else:
        parts = [text]
    return [_statement(p) for p in parts if p.strip()]


def _by_lines(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not any(_BULLET.match(line) for line in lines):
        return lines
    parts: list[str] = []
    for line in lines:
        if _BULLET.match(line) or not parts:
            parts.append(_BULLET.sub("", line, count=1))
        else:
            parts[-1] += " " + line.strip()
    return parts


def _statement(text: str) -> Statement:
    cleaned = " ".join(text.split())
    kind = "paraphrase"
    if len(cleaned) > 2 and _QUOTES.get(cleaned[0]) == cleaned[-1]:
        cleaned, kind = cleaned[1:-1].strip(), "quote"
    match = _PERCENT.search(cleaned)
    return Statement(cleaned, kind, match.group(1).replace(" ", "") if match else "")


def check_kind(kind: str) -> str:
    """``quote`` or ``paraphrase``, whatever the case it was typed in."""
    cleaned = kind.strip().casefold()
    if cleaned not in KINDS:
        raise InputError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    return cleaned
