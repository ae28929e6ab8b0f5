"""What a rendering is, and the steps every library shares: adapting terms, splitting.

A :class:`Rendering` holds one or more searches to paste, what had to change from the
protocol's query and why, what to set in the library's form, and how to combine the counts
when the query had to be split.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from metasummary.query.libraries import Library
from metasummary.query.model import BooleanQuery, Term, TermGroup
from metasummary.query.text import number_forms, tokens

_PLAIN_WORD = re.compile(r"^[\w]+\*?$")


@dataclass(frozen=True, slots=True)
class Search:
    """One string to paste (and a link that runs it, where the library has one)."""

    query: str
    url: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class Rendering:
    library: Library
    searches: tuple[Search, ...]
    changes: tuple[str, ...] = ()
    """What differs from the protocol's query, and why."""
    settings: tuple[str, ...] = ()
    """What to set in the library's form (years, database, collection)."""
    combine: str = ""
    """How to combine the counts of several searches."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "library": self.library.id,
            "name": self.library.name,
            "searches": [{"label": s.label, "query": s.query, "url": s.url} for s in self.searches],
            "changes": list(self.changes),
            "settings": list(self.settings),
            "combine": self.combine,
            "help": self.library.help,
        }

    def text(self) -> str:
        """Plain text: what ``query show --for`` prints and the golden files hold."""
        lines = [f"# {self.library.name} [{self.library.id}]", ""]
        for i, search in enumerate(self.searches, 1):
            if len(self.searches) > 1:
                lines.append(f"## search {i} of {len(self.searches)}: {search.label}")
            lines.append(search.query)
            if search.url:
                lines.append(f"link: {search.url}")
            lines.append("")
        for title, items in (("set in the form", self.settings), ("changes", self.changes)):
            if items:
                lines.append(f"{title}:")
                lines += [f"- {item}" for item in items]
        if self.combine:
            lines.append(f"combine: {self.combine}")
        return "\n".join(lines).rstrip() + "\n"


def quoted(term: Term) -> str:
    """A phrase (or a word with punctuation) in double quotes; a plain word as it is."""
    text = term.text
    return text if _PLAIN_WORD.match(text) else f'"{text}"'


def or_list(items: Sequence[str], op: str = "OR") -> str:
    return "(" + f" {op} ".join(items) + ")"


def _strip_wildcards(term: Term, keep: Callable[[str, bool], bool]) -> Term:
    pairs = zip(term.words, term.prefix, strict=True)
    prefix = tuple(star and keep(word, star) for word, star in pairs)
    return replace(term, prefix=prefix)


def adapt(query: BooleanQuery, lib: Library) -> tuple[BooleanQuery, list[str]]:
    """The query with what ``lib`` cannot take removed, and one line per change."""
    changes: list[str] = []

    def fix(term: Term) -> Term:
        if not term.has_wildcard:
            return term
        if not lib.wildcard:
            new = _strip_wildcards(term, lambda w, s: False)
            changes.append(
                f"{term.text} → {new.text}: {lib.name} takes no wildcards (it matches plural "
                "forms only); add the other forms you need as terms of their own"
            )
            return new
        if term.is_phrase and not lib.wildcard_in_phrase:
            new = _strip_wildcards(term, lambda w, s: False)
            changes.append(
                f"{term.text} → {new.text}: {lib.name} takes no wildcard inside a phrase"
            )
            return new
        pairs = zip(term.words, term.prefix, strict=True)
        short = [w for w, s in pairs if s and len(w) < lib.min_stem]
        if short:
            new = _strip_wildcards(term, lambda w, s: len(w) >= lib.min_stem)
            changes.append(
                f"{term.text} → {new.text}: {lib.name} needs {lib.min_stem} letters before *"
            )
            return new
        return term

    def group(g: TermGroup) -> TermGroup:
        return replace(g, terms=tuple(fix(t) for t in g.terms))

    adapted = replace(
        query,
        groups=tuple(group(g) for g in query.groups),
        exclude=group(query.exclude) if query.exclude else None,
    )
    if not lib.plurals:
        bare = [
            t.text
            for g in adapted.groups
            for t in g.terms
            if not t.has_wildcard and any(len(number_forms(tok)) > 1 for tok in tokens(t.text))
        ]
        if bare:
            shown = ", ".join(bare[:4]) + (f" and {len(bare) - 4} more" if len(bare) > 4 else "")
            changes.append(
                f"no automatic plurals here: {shown} find only the form written (the local test "
                "also matches the plural or singular); add forms or a wildcard where it matters"
            )
    return adapted, changes


def split(
    query: BooleanQuery, fits: Callable[[BooleanQuery], bool]
) -> list[tuple[BooleanQuery, str]] | None:
    """The fewest searches, each a slice of every group's terms, that all ``fit``.

    The union of their results is the query's result (OR-ed terms split across searches;
    the NOT group and the years stay whole in each). None when even one term per group
    does not fit.
    """
    if fits(query):
        return [(query, "")]
    sizes = [len(g.terms) for g in query.groups]
    ranges = [range(1, n + 1) for n in sizes]
    if math.prod(sizes) > 20_000:  # huge queries: one chunk size for all groups
        ranges = [range(1, max(sizes) + 1)]
        candidates = [tuple(min(k, n) for n in sizes) for (k,) in itertools.product(*ranges)]
    else:
        candidates = list(itertools.product(*ranges))

    def searches(ks: Sequence[int]) -> int:
        return math.prod(math.ceil(n / k) for n, k in zip(sizes, ks, strict=True))

    for ks in sorted(candidates, key=lambda ks: (searches(ks), -sum(ks))):
        parts = _parts(query, ks)
        if all(fits(part) for part, _ in parts):
            return parts
    return None


def _parts(query: BooleanQuery, ks: Sequence[int]) -> list[tuple[BooleanQuery, str]]:
    per_group: list[list[tuple[TermGroup, str]]] = []
    for group, k in zip(query.groups, ks, strict=True):
        n = len(group.terms)
        chunks = []
        for start in range(0, n, k):
            end = min(start + k, n)
            label = group.name if (start, end) == (0, n) else f"{group.name}[{start + 1}-{end}]"
            chunks.append((replace(group, terms=group.terms[start:end]), label))
        per_group.append(chunks)
    parts = []
    for combo in itertools.product(*per_group):
        part = replace(query, groups=tuple(g for g, _ in combo))
        parts.append((part, " × ".join(label for _, label in combo)))
    return parts


def union_note(n: int) -> str:
    return (
        f"run all {n} searches and import every result into this one source; metasummary's "
        "dedup merges records that several searches found. Report the deduplicated count: the "
        "sum of the searches' counts is only an upper bound, since a record matching terms of "
        "two searches is counted twice."
    )


def years_text(query: BooleanQuery) -> str | None:
    if query.year_from is None and query.year_to is None:
        return None
    start = query.year_from if query.year_from is not None else "any"
    end = query.year_to if query.year_to is not None else "now"
    return f"{start}–{end}"


def assemble(
    lib: Library,
    query: BooleanQuery,
    one: Callable[[BooleanQuery], Search],
    *,
    changes: list[str],
    settings: list[str],
    fits: Callable[[BooleanQuery], bool] | None = None,
    limit: str = "",
) -> Rendering:
    """Render ``query`` with ``one``, split first when it does not ``fit`` the ``limit``."""
    parts: list[tuple[BooleanQuery, str]] = [(query, "")]
    if fits is not None:
        found = split(query, fits)
        if found is None:
            changes.append(
                f"even one term per group is over {limit}: {lib.name} will refuse this search; "
                "shorten the NOT group or use fewer groups"
            )
        else:
            parts = found
            if len(parts) > 1:
                changes.append(f"split into {len(parts)} searches: {limit}")
    searches = tuple(replace(one(q), label=label) for q, label in parts)
    combine = union_note(len(parts)) if len(parts) > 1 else ""
    return Rendering(lib, searches, tuple(changes), tuple(settings), combine)
