"""Cleaning field values on import: one place for DOIs, markup, whitespace, names and years.

These helpers make an imported value readable and comparable with the same value from another
library; they are not the matching rules of deduplication, which keep their own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

_DOI = re.compile(r"10\.\d{3,9}/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://)?(?:(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DASHES = re.compile(r"\s*[-‐‑–—]+\s*")
_TAG = re.compile(r"<[^<>]{0,200}>")
_YEAR = re.compile(r"(?<!\d)([12]\d{3})(?!\d)")
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?-?){1,4}$")
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "ten",
        "ter",
        "zu",
        "st.",
        "bin",
        "ibn",
        "al",
    ]
)
_TITLES = re.compile(r"^(?:(?:Prof|Dr|Mr|Mrs|Ms|Assoc|Asst|Professor)\.?\s+)+")
# Springer Link runs names together ("Araz R. AlievNigar T. Ismayilova"): a lower-case letter
# (or a full stop after a title) directly followed by an upper-case one starts a new name,
# except after a name prefix such as Mc, Mac, De or O'.
_RUN_TOGETHER = re.compile(r"(?<=[a-zß-ÿ.)])(?=[A-ZÀ-Þ][a-zß-ÿ.])")
_NAME_PREFIXES = frozenset({"Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "Fitz"})


def fold_space(value: str) -> str:
    """Runs of whitespace (line breaks included) as one space, trimmed."""
    return " ".join(value.split())


def clean(value: object) -> str:
    """Any scalar as folded text; ``None`` as empty."""
    if value is None:
        return ""
    return fold_space(str(value))


def strip_html(value: str) -> str:
    """HTML tags removed and entities decoded (CSL and Crossref titles carry ``<i>``, ``&amp;``)."""
    if "<" in value:
        value = _TAG.sub("", value)
    if "&" in value:
        value = html.unescape(value)
    return fold_space(value)


@lru_cache(maxsize=1)
def _latex() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def decode_latex(value: str) -> str:
    """LaTeX accents, escapes and protective braces as plain Unicode text."""
    if "\\" in value:
        try:
            value = _latex().latex_to_text(value)
        except Exception:  # pylatexenc gives up on some malformed input; keep the text
            value = value.replace("\\", "")
    if "{" in value or "}" in value:
        value = value.replace("{", "").replace("}", "")
    return fold_space(value)


def doi(value: object) -> str:
    """A bare lower-case DOI (``10.1234/abc``) from a DOI, ``doi:`` form or doi.org URL; else ''."""
    text = clean(value)
    if not text:
        return ""
    text = _DOI_PREFIX.sub("", text)
    match = _DOI.search(text)
    if match is None:
        return ""
    found = match.group(0).rstrip(".,;)]}>\"'")
    return found.lower()


def year(value: object) -> int | None:
    """The first plausible four-digit year in ``value`` (``2015/03/01``, ``Mar 2015``)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1000 <= value <= 2999 else None
    match = _YEAR.search(clean(value))
    return int(match.group(1)) if match else None


def pages(first: object, last: object = None) -> str:
    """``first-last`` from one range or a start and an end page."""
    start = _DASHES.sub("-", clean(first))
    end = clean(last)
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


def unique(values: Iterable[str]) -> list[str]:
    """Non-empty values, each once, in first-seen order."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out


def split_list(value: object, separators: str | tuple[str, ...] = ";") -> list[str]:
    """A delimited field as a list of folded, non-empty, distinct items.

    ``separators`` is a string of one-character separators or a tuple of longer ones.
    """
    text = "" if value is None else str(value)
    if not text.strip():
        return []
    pattern = "|".join(re.escape(s) for s in separators)
    return unique(fold_space(part) for part in re.split(pattern, text))


def author_name(value: str) -> str:
    """One author as ``Family, Given`` where the parts can be told apart.

    ``Kogge, P.`` stays; ``P. Kogge`` and ``Ludwig van Beethoven`` are turned round; Scopus's
    ``Phillips J.C.`` (family first, initials last) becomes ``Phillips, J.C.``.
    """
    name = fold_space(_TITLES.sub("", fold_space(value)))
    if not name or "," in name:
        return ", ".join(part.strip() for part in name.split(",", 1)) if name else ""
    tokens = name.split(" ")
    if len(tokens) == 1:
        return name
    if len(tokens) == 2 and _INITIALS.match(tokens[1]) and not _INITIALS.match(tokens[0]):
        return f"{tokens[0]}, {tokens[1]}"
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return f"{' '.join(tokens[start:])}, {' '.join(tokens[:start])}"


def authors(values: Iterable[str]) -> list[str]:
    """Names as ``Family, Given``, each once, in order."""
    return unique(author_name(v) for v in values if v and v.strip())


def split_authors(value: object, separator: str = ";") -> list[str]:
    """An author field joined by ``separator`` (``;`` or `` and ``) as ``Family, Given`` names."""
    return authors(split_list(value, (separator,)))


def split_semicolon_authors(value: object) -> list[str]:
    return split_authors(value, ";")


def split_run_together(value: object) -> list[str]:
    """Names a library ran together without a separator, split where a new name begins."""
    text = clean(value)
    if not text:
        return []
    names: list[str] = []
    start = 0
    for match in _RUN_TOGETHER.finditer(text):
        cut = match.start()
        word = text[start:cut].rsplit(" ", 1)[-1]
        if word in _NAME_PREFIXES or word.endswith("'"):
            continue
        if word.endswith(".") and len(word.rstrip(".")) <= 2 and not _TITLES.match(word + " "):
            continue  # an initial such as "R." directly before the family name
        names.append(text[start:cut])
        start = cut
    names.append(text[start:])
    return authors(names)
