"""Cleaning field values on import: one place for DOIs, markup, whitespace, names and years.

These helpers make an imported value readable and comparable with the same value from another
library; they are not the matching rules of deduplication, which keep their own.
"""

from __future__ import annotations

import html
import re
import unicodedata
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
_TITLE_STARTS = ("Prof", "Dr", "Mr", "Ms", "Assoc", "Asst")
_TITLES = re.compile(r"^(?:(?:Prof|Dr|Mr|Mrs|Ms|Assoc|Asst|Professor)\.?\s+)+")
# Springer Link runs names together ("Araz R. AlievNigar T. Ismayilova"): a lower-case letter
# (or a full stop after a title) directly followed by an upper-case one starts a new name,
# except after a name prefix such as Mc, Mac, De or O'.
_RUN_TOGETHER = re.compile(r"(?<=[a-zß-ÿ.)])(?=[A-ZÀ-Þ][a-zß-ÿ.])")
_NAME_PREFIXES = frozenset({"Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "Fitz"})


def fold_space(value: str) -> str:
    """Runs of whitespace (line breaks included) as one space, trimmed."""
    if not (  # most values are clean already, and these scans are cheaper than a fold
        "  " in value or "\n" in value or "\t" in value or "\r" in value or "\xa0" in value
    ) and len(value.strip()) == len(value):  # no space at either end
        return value
    return " ".join(value.split())


def clean(value: object) -> str:
    """Any scalar as folded text; ``None`` as empty."""
    if value is None:
        return ""
    return fold_space(value if type(value) is str else str(value))


def strip_html(value: str) -> str:
    """HTML tags removed and entities decoded (CSL and Crossref titles carry ``<i>``, ``&amp;``)."""
    if "<" in value:
        value = _TAG.sub("", value)
    if "&" in value:
        value = html.unescape(value)
    return fold_space(value)


# Character references (&#246; &#x3B2;) and named entities (&ouml; &amp;); a bare "&" is text.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# A real tag (<i>, </sup>, <jats:p>, <span class="x">), not "p < .001" or "a<b".
_MARKUP_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9:_-]*(?:\s[^<>]{0,200})?/?>")
_BLOCK_TAG = re.compile(r"</?(?:p|br|div|li|ul|ol|h\d|jats:p|jats:title|jats:sec)\b[^<>]{0,200}>")
# LaTeX that needs decoding: a command or accent, or a group in braces ({USDL}, {\"o}).
_LATEX = re.compile(r"\\[A-Za-z'`^\"~=.&%$#_{}]|\{[^{}]*\}")
_ABSTRACT_WORD = re.compile(r"^(?:abstract|ABSTRACT|Abstract)(?:\s*[:.\-–—]\s*|\s+(?=[A-Z0-9]))")


def needs_decoding(value: str) -> bool:
    """Whether ``value`` has a character markup could start with (``&``, ``<``, ``\\``, ``{``)."""
    return "&" in value or "<" in value or "\\" in value or "{" in value  # memchr, no regex


def entities(value: str) -> str:
    """HTML/XML character references and named entities decoded (twice-encoded ones too)."""
    for _ in range(2):  # "&amp;#246;" was encoded twice on its way through two systems
        if "&" not in value or not _ENTITY.search(value):
            break
        value = html.unescape(value)
    return value


def decode_markup(value: str) -> str:
    """Plain text from a value carrying HTML or LaTeX markup, whichever reader read it.

    Entities and character references are decoded (``B&#246;hm`` is ``Böhm``), tags removed
    (``<i>``, an encoded ``&lt;span&gt;``), LaTeX accents, commands and protective braces
    turned into the letters they stand for (``{\\"o}``, ``{USDL}``). Clean values come back
    unchanged, cheaply.
    """
    if not value or not needs_decoding(value):
        return value
    value = entities(value)
    if "<" in value:
        value = _BLOCK_TAG.sub(" ", value)
        value = _MARKUP_TAG.sub("", value)
    if ("\\" in value or "{" in value) and _LATEX.search(value):
        value = decode_latex(value)
    return fold_space(value)


def decode_abstract(value: str) -> str:
    """An abstract without markup and without the word "Abstract" some libraries put first."""
    value = decode_markup(value)
    if value[:8].lower() == "abstract":
        value = _ABSTRACT_WORD.sub("", value, count=1)
    return value


# The accents and symbols exports use, decoded without a LaTeX parser: pylatexenc takes ~0.4 ms
# a value, which at 100,000 records with accented names is most of an import.
_COMBINING = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_ACCENT = re.compile(
    r"\\(['`^\"~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))"
    r"|\\([uvHckrdb])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))"
)
_SYMBOLS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "textendash": "–",
    "textemdash": "—",
    "textquoteright": "’",
    "textquoteleft": "‘",
    "ldots": "…",
    "dots": "…",
    "textregistered": "®",
    "texttrademark": "™",
    "copyright": "©",
    "textcopyright": "©",
    "S": "§",
    "P": "¶",
}
_SYMBOL = re.compile(
    r"\\(" + "|".join(sorted(_SYMBOLS, key=len, reverse=True)) + r")(?![A-Za-z])\s?"
)
_ESCAPED = re.compile(r"\\([&%$#_{}])")
_KEEP = {"{": "\ue000", "}": "\ue001"}  # escaped braces survive the removal of the others


def _accent(match: re.Match[str]) -> str:
    quote, letter, bare, command, braced, spaced = match.groups()
    if quote:
        return _accented(quote, letter or bare)
    return _accented(command, braced or spaced)


@lru_cache(maxsize=4096)  # a few marks times a few letters: most names repeat them
def _accented(mark: str, letter: str) -> str:
    if letter.startswith("\\"):  # \i and \j are the dotless letters accents sit on
        letter = {"\\i": "i", "\\j": "j"}.get(letter, _SYMBOLS.get(letter[1:], letter[1:]))
    return unicodedata.normalize("NFC", letter + _COMBINING[mark])


@lru_cache(maxsize=1)
def _latex() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def decode_latex(value: str) -> str:
    """LaTeX accents, escapes and protective braces as plain Unicode text."""
    if "\\" in value:
        value = _ACCENT.sub(_accent, value)
        value = _SYMBOL.sub(lambda m: _SYMBOLS[m.group(1)], value)
        value = _ESCAPED.sub(lambda m: _KEEP.get(m.group(1), m.group(1)), value)
    if "\\" in value:
        try:
            value = _latex().latex_to_text(value)
        except Exception:  # pylatexenc gives up on some malformed input; keep the text
            value = value.replace("\\", "")
    if "{" in value or "}" in value:
        value = value.replace("{", "").replace("}", "")
    if "--" in value:
        value = value.replace("---", "—").replace("--", "–")
    if "\ue000" in value or "\ue001" in value:
        value = value.replace("\ue000", "{").replace("\ue001", "}")
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
    start = clean(first)
    if not start.isdigit():  # a lone first page has no dash to tidy
        start = _DASHES.sub("-", start)
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
    if "&" in text:  # "B&#246;hm; Kie&#946;ling": decode before splitting at ";"
        text = entities(text)
    if len(separators) == 1 and separators[0]:
        if separators[0] not in text:
            text = fold_space(text)
            return [text] if text else []
        parts = text.split(separators[0])  # what re.split does, without the regex
    elif not any(s in text for s in separators):
        text = fold_space(text)
        return [text] if text else []
    else:
        parts = _separators(tuple(separators)).split(text)
    return unique([fold_space(part) for part in parts])


@lru_cache(maxsize=32)
def _separators(separators: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(s) for s in separators))


def author_name(value: str) -> str:
    """One author as ``Family, Given`` where the parts can be told apart.

    ``Kogge, P.`` stays; ``P. Kogge`` and ``Ludwig van Beethoven`` are turned round; Scopus's
    ``Phillips J.C.`` (family first, initials last) becomes ``Phillips, J.C.``.
    """
    name = fold_space(value)
    if name.startswith(_TITLE_STARTS):
        name = _TITLES.sub("", name)
    if not name:
        return ""
    if "," in name:
        family, _, given = name.partition(",")
        return f"{family.strip()}, {given.strip()}"
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
    return unique([author_name(v) for v in values if v and v.strip()])


def split_authors(value: object, separator: str = ";") -> list[str]:
    """An author field joined by ``separator`` (``;`` or `` and ``) as ``Family, Given`` names."""
    return authors(split_list(value, (separator,)))


def split_semicolon_authors(value: object) -> list[str]:
    return split_authors(value, ";")


_INITIAL_WORD = re.compile(r"^(?:[A-Z]\.?-?){1,3}$")


def comma_separated_names(value: str) -> list[str] | None:
    """``Yong Yao, Johannes Gehrke`` (DBLP, many CSVs) as two names; ``None`` for one name.

    A comma also separates a family name from given names (``Zipfel, P. F.``, ``van den
    Brule, Adriaan J. C.``), so the text is a list only when every part is a whole name of
    two words or more and no part after the first is only given names (ending in an
    initial).
    """
    if "," not in value:
        return None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) < 2 or any(len(part.split()) < 2 for part in parts):
        return None
    if any(_INITIAL_WORD.match(part.split()[-1]) and "." in part for part in parts[1:]):
        return None  # "Brule, Adriaan J. C.": the given names of one person
    return parts


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
