"""Words as the local search sees them: folding, tokens, plural forms and stop words.

One definition serves the Python matcher, the lint, the suggestions and the full-text index
(SQLite FTS5 ``unicode61 remove_diacritics 2`` and the PostgreSQL expression in
``store/fts_postgres.py`` split text the same way): a token is a run of letters and digits,
lower-cased, with accents removed; everything else (hyphens, slashes, quotes) separates tokens.
"""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[^\W_]+")

_STOP_WORDS = """a an and are as at be but by for from has have in into is it its of on or over
    such that the their then there these they this to under was were what when which while who will
    with within without"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
"""Words most libraries drop from a query (Web of Science, ScienceDirect, OpenAlex)."""


def fold(text: str) -> str:
    """Lower case without accents: ``Kästner`` → ``kastner``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The folded tokens of ``text``, in order."""
    return _TOKEN.findall(fold(text))


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def _singular(word: str) -> str | None:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return None


def singular(word: str) -> str:
    """The regular singular of ``word``, or ``word`` when it does not look plural."""
    if len(word) <= 3 or word.isdigit():
        return word
    return _singular(word) or word


def number_forms(word: str) -> tuple[str, ...]:
    """``word`` with its regular English singular and plural, the word itself first.

    Short words and acronyms (``ml``, ``ai``) and numbers get no other form.
    """
    if len(word) <= 3 or word.isdigit():
        return (word,)
    forms = [word]
    singular = _singular(word)
    if singular is not None:
        forms.append(singular)
    else:
        forms.append(_plural(word))
    return tuple(forms)
