"""Folding text for comparison: Unicode, case, punctuation, LaTeX and HTML.

Every field the dedup engine compares goes through :func:`fold` first, so ``Müller`` and
``M{\\"u}ller``, ``&beta;-cells`` and ``β-cells``, ``<i>In vivo</i>`` and ``In vivo`` all
become the same plain lower-case ASCII words.
"""

from __future__ import annotations

import html
import re
import unicodedata

_GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "µ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "ς": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
}
# Letters NFKD does not take apart.
_LETTERS = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l"}
_CHAR_MAP = str.maketrans(
    {
        **_GREEK,
        **{k.upper(): v for k, v in _GREEK.items()},
        **_LETTERS,
        **{k.upper(): v for k, v in _LETTERS.items() if len(k.upper()) == 1},
        "&": " and ",
    }
)

_TAG = re.compile(r"<[^<>]{0,200}>")
# \textit{x}, \emph{x}, \mathrm{x}: keep the argument.
_LATEX_COMMAND_ARG = re.compile(r"\\[a-zA-Z]+\s*\{([^{}]*)\}")
# {\"o}, \"{o}, \'e, \~n, \c{c}: the accent goes, the letter stays (accents are dropped anyway).
_LATEX_ACCENT = re.compile(r"\\(?:[`'^\"~=.]|[uvHtcdbk](?=[\s{]))\s*\{?([a-zA-Z])\}?")
_LATEX_NAMED = re.compile(r"\\(alpha|beta|gamma|delta|epsilon|kappa|lambda|mu|pi|sigma|omega)\b")
_LATEX_REST = re.compile(r"\\[a-zA-Z]+|[{}$\\]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_BRITISH = re.compile(r"(?:(?<=[a-z])|\b)(?:ae|oe)(?=[a-z])")


def strip_markup(text: str) -> str:
    """Remove HTML tags and entities and LaTeX commands, keeping the words they wrap."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "\\" in text or "{" in text or "$" in text:
        text = _LATEX_ACCENT.sub(r"\1", text)
        text = _LATEX_NAMED.sub(r"\1", text)
        for _ in range(3):  # nested commands, innermost first
            text, count = _LATEX_COMMAND_ARG.subn(r"\1", text)
            if not count:
                break
        text = _LATEX_REST.sub("", text)
    return text


def ascii_fold(text: str) -> str:
    """Lower-case ASCII: Greek letters spelled out, accents dropped, ligatures opened."""
    text = text.translate(_CHAR_MAP)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = text.translate(_CHAR_MAP).encode("ascii", "ignore").decode("ascii")
    return text.lower()


def fold(text: str) -> str:
    """Plain words: markup removed, ASCII, lower case, punctuation as single spaces."""
    if not text:
        return ""
    return _NON_WORD.sub(" ", ascii_fold(strip_markup(text))).strip()


def fold_spelling(words: str) -> str:
    """British and American spellings made alike for comparison (haem/hem, oes/es)."""
    if "ae" not in words and "oe" not in words:
        return words
    return _BRITISH.sub("e", words)
