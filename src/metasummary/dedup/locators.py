"""Where a paper sits: DOI, volume, issue and page range, normalised for comparison."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Protocol
from urllib.parse import unquote

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_TAIL = re.compile(r"(\[doi\]|[.,;:)\]}>'\"])+$")
_PAGE_PREFIX = re.compile(r"^\s*(pp?\.?|pages?)\s*", re.IGNORECASE)
_RANGE = re.compile(r"\s*(?:-+|–|—|‐|‑|−|\bto\b)\s*")
_PAGE_TOKEN = re.compile(r"[a-z]*\d+[a-z]*")
_FIRST_NUMBER = re.compile(r"\d+")


class Locator(Protocol):
    """What carries a volume, an issue and a page range (an entry of the dedup engine)."""

    volume: str
    issue: str
    pages: tuple[str, str]


class Agreement(StrEnum):
    """How two values of one field compare."""

    SAME = "same"
    DIFFERENT = "different"
    UNKNOWN = "unknown"  # missing on one side, or not comparable


def normalise_doi(text: str) -> str:
    """The bare DOI in lower case (no resolver URL, ``doi:`` prefix or trailing marks)."""
    if not text:
        return ""
    if "%" in text:
        text = unquote(text)
    found = _DOI.search(text.lower())
    return _DOI_TAIL.sub("", found.group(0)) if found else ""


def _page(token: str) -> str:
    found = _PAGE_TOKEN.search(token.lower())
    if not found:
        return ""
    page = found.group(0)
    stripped = page.lstrip("0")
    return stripped or page


_SIMPLE_RANGE = re.compile(r"(\d+)(?:\s*[-–]\s*(\d+))?")


def normalise_pages(text: str) -> tuple[str, str]:
    """First and last page (``1844-59`` → ``1844``, ``1859``); ``""`` where unknown."""
    if not text:
        return "", ""
    simple = _SIMPLE_RANGE.fullmatch(text.strip())
    if simple and not text.startswith("0") and not (simple.group(2) or "").startswith("0"):
        first, last = simple.group(1), simple.group(2) or simple.group(1)
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        return first, last
    text = _PAGE_PREFIX.sub("", text)
    parts = [p for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:
        return "", ""
    first_range = _RANGE.split(parts[0].strip(), maxsplit=1)
    last_range = _RANGE.split(parts[-1].strip(), maxsplit=1)
    first = _page(first_range[0]) if any(c.isdigit() for c in first_range[0]) else ""
    last = _page(last_range[-1]) if len(last_range) > 1 or len(parts) > 1 else first
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last  # 1844-59 → 1859
    return first, last


def normalise_number(text: str) -> str:
    """A volume or issue: its first number (``Suppl 2`` → ``s2``), else the folded text."""
    if not text:
        return ""
    if text.isdigit() and text[0] != "0":
        return text
    lowered = str(text).lower()
    found = _FIRST_NUMBER.search(lowered)
    if not found:
        return "s" if "sup" in lowered else re.sub(r"[^a-z]", "", lowered)
    number = found.group(0).lstrip("0") or "0"
    return f"s{number}" if re.match(r"\s*s(up|\d)", lowered) else number


_NUMERIC_PAGE = re.compile(r"^[a-z]{0,2}(\d+)$")


def _value(page: str) -> int | None:
    if page.isdigit():
        return int(page)
    found = _NUMERIC_PAGE.match(page)
    return int(found.group(1)) if found else None


def _is_article_number(first: str, last: str) -> bool:
    """An e-locator (``e0123456``, ``a1754``) rather than a printed page."""
    return first == last and (
        (len(first) >= 3 and first[0].isalpha()) or (first.isdigit() and len(first) >= 5)
    )


def compare_pages(a: tuple[str, str], b: tuple[str, str]) -> Agreement:
    """Same first page (``c37`` and ``37`` too), or the same end of a page range.

    Overlapping ranges, and an e-locator against printed pages, say nothing either way.
    """
    if a[0] and a[0] == b[0]:
        return Agreement.SAME
    (a_first, a_last), (b_first, b_last) = _valid(a), _valid(b)
    if a_first and b_first:
        if a_first == b_first:
            return Agreement.SAME
        av, bv = _value(a_first), _value(b_first)
        if av is not None and av == bv:
            return Agreement.SAME  # a letter prefix on one side only
        if _is_article_number(a_first, a_last) != _is_article_number(b_first, b_last):
            return Agreement.UNKNOWN
        if a_first != a_last and b_first != b_last and a_last == b_last:
            return Agreement.SAME  # a typo in the first page
        al, bl = _value(a_last), _value(b_last)
        if None not in (av, bv, al, bl) and av <= bl and bv <= al:  # type: ignore[operator]
            return Agreement.UNKNOWN
        return Agreement.DIFFERENT
    if a_last and b_last and (a_last.endswith(b_last) or b_last.endswith(a_last)):
        return Agreement.SAME
    return Agreement.UNKNOWN


def _valid(pages: tuple[str, str]) -> tuple[str, str]:
    first, last = pages
    fv, lv = _value(first), _value(last)
    if fv is not None and lv is not None and fv > lv:
        return "", last  # 2297-2108: the first page is a typo
    return first, last


def compare_issues(a: str, b: str) -> Agreement:
    """Like :func:`compare_values`, but a bare supplement (``s``) matches any supplement."""
    if (a == "s" and b.startswith("s")) or (b == "s" and a.startswith("s")):
        return Agreement.UNKNOWN
    return compare_values(a, b)


def compare_values(a: str, b: str) -> Agreement:
    if not a or not b:
        return Agreement.UNKNOWN
    return Agreement.SAME if a == b else Agreement.DIFFERENT


def misplaced(a: Locator, b: Locator) -> bool:
    """Volume, issue and page numbers that agree once put in the right fields.

    Some exports shift them (the issue in the volume field, the issue number as the page);
    when one record's numbers are all among the other's, and at least two of them, they do
    not contradict each other.
    """
    mine = {n for n in (a.volume, a.issue, a.pages[0]) if n}
    theirs = {n for n in (b.volume, b.issue, b.pages[0]) if n}
    return len(mine & theirs) >= 2 and (mine <= theirs or theirs <= mine)
