"""Where the protocol's query terms occur in a text, so a screen can highlight them.

Deliberately small and separate from the query package: a term is a word or a phrase
(quotes are dropped) matched case-insensitively on word boundaries; a trailing ``*`` matches
any word ending (``learn*``). The ``not`` group is highlighted too: a reviewer wants to see it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from metasummary.protocol import Query


def _term_pattern(term: str) -> str:
    term = term.strip().strip('"').strip("'").strip()
    wildcard = term.endswith("*")
    words = [re.escape(w) for w in term.rstrip("*").split()]
    if not words:
        return ""
    body = r"[\s\-]+".join(words)
    return rf"\b{body}\w*" if wildcard else rf"\b{body}\b"


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
