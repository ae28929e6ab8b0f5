"""Where the protocol's query terms occur in a text, so a screen can highlight them.

A term is a word or a phrase (quotes are dropped) matched case-insensitively on word
boundaries, each word also in its singular or plural as ``query test`` matches it
(``query.text.number_forms``); a trailing ``*`` matches any word ending (``learn*``). The
``not`` group is highlighted too: a reviewer wants to see it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from metasummary.protocol import Query
from metasummary.query.text import number_forms


def _term_pattern(term: str) -> str:
    term = term.strip().strip('"').strip("'").strip()
    wildcard = term.endswith("*")
    words = [_word(w) for w in term.rstrip("*").split()]
    if not words:
        return ""
    if wildcard:  # the last word is a prefix, as written
        words[-1] = re.escape(term.rstrip("*").split()[-1])
    body = r"[\s\-]+".join(words)
    return rf"\b{body}\w*" if wildcard else rf"\b{body}\b"


def _word(word: str) -> str:
    forms = number_forms(word.lower())
    return re.escape(forms[0]) if len(forms) == 1 else f"(?:{'|'.join(map(re.escape, forms))})"


def query_pattern(query: Query) -> re.Pattern[str] | None:
    """One pattern matching any term of any group, longest terms first."""
    groups = [*query.groups, *([query.not_] if query.not_ else [])]
    return terms_pattern(term for group in groups for term in group.terms)


def terms_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({p for p in (_term_pattern(t) for t in terms) if p}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile("|".join(parts), re.IGNORECASE)


def spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    """Start and end of every match, in order, not overlapping."""
    if pattern is None or not text:
        return []
    return [(m.start(), m.end()) for m in pattern.finditer(text) if m.end() > m.start()]
