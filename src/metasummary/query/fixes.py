"""For each seed paper a group misses, the smallest change to that group that finds it.

Tried in order, from the least change of meaning to the most:

1. **truncation** — a word of one of the group's terms, cut to the stem it shares with a
   word of the seed (``prediction`` → ``predict*`` finds "Predicting");
2. **proximity** — a two-word phrase of the group whose words the seed uses a few words apart
   (``software engineering`` ↔ "engineering of ML software"), rendered for the libraries
   that have a proximity operator; the local test cannot run it;
3. **a term** from the seed's own title, abstract or keywords: its best-separating phrase that
   belongs with the group (``placement.py``). When none does, there is no fix: the seed may
   not be about the group's concept, and adding an unrelated term would change what the
   group means.

Each change says what it adds to the whole query over the project's records, and, per
library, how to write it or why it cannot be written there.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import sqlalchemy as sa

from metasummary.query.concepts import Scored, SeedText, concepts_of, score
from metasummary.query.coverage import covered
from metasummary.query.libraries import LIBRARIES
from metasummary.query.matcher import Document, group_matches
from metasummary.query.model import WILDCARD, BooleanQuery, Term, TermGroup, parse_term
from metasummary.query.placement import place
from metasummary.query.plan import SCOPE_FIELDS, query_filter
from metasummary.query.text import number_forms
from metasummary.store import fulltext

Kind = Literal["truncation", "proximity", "term"]
MIN_STEM = 4
"""Letters a truncated stem keeps at least (PubMed's minimum; shorter stems match too much)."""
STEM_SHARE = 0.6
"""Share of the longer word a stem keeps at least."""
MAX_GAP = 4
"""Words allowed between the two words of a phrase for a proximity hint."""
TERMS_TRIED = 8
"""A seed's best terms placed before settling on one."""
OWN_COUNTED = 40
"""A seed's own phrases (that no other seed uses) counted at most, the longest first."""
_VOWELS = frozenset("aeiou")


@dataclass(frozen=True, slots=True)
class LibraryHint:
    library: str
    text: str
    """How to write the change there; empty when the library cannot."""
    warning: str = ""
    """Why it cannot, and what to do instead."""

    def to_dict(self) -> dict[str, str]:
        return {"library": self.library, "text": self.text, "warning": self.warning}


@dataclass(frozen=True, slots=True)
class Fix:
    kind: Kind
    group: str
    term: str
    """The term to write in the group (for proximity, the phrase whose words may stand apart)."""
    widens: str = ""
    """The group's term it replaces (truncation, proximity)."""
    matches: str = ""
    """What it matches in the seed paper."""
    adds: int | None = None
    """Records the whole query would gain (None when not counted)."""
    note: str = ""
    libraries: tuple[LibraryHint, ...] = ()

    def describe(self) -> str:
        """The change in words: ``C: survey → survey* (finds 'surveyed'; ...)``."""
        adds = "" if self.adds is None else f"; the query gains {self.adds} record(s)"
        if self.kind == "truncation":
            return f"{self.group}: {self.widens} → {self.term} (finds '{self.matches}'{adds})"
        if self.kind == "proximity":
            return f"{self.group}: {self.term} as words apart ({self.matches})"
        return f"{self.group}: add '{self.term}'{adds}"

    def per_library(self) -> str:
        """How each library takes it: ``survey* in all but sciencedirect, openalex; ...``."""
        if not self.libraries:
            return self.note
        done = [h for h in self.libraries if h.text]
        missing = [h for h in self.libraries if not h.text]
        forms = list(dict.fromkeys(h.text for h in done))
        if len(forms) == 1 and len(done) >= len(missing):
            where = "every library"
            if missing:
                where = "all but " + ", ".join(h.library for h in missing)
            parts = [f"{forms[0]} in {where}"]
        else:
            parts = [
                f"{', '.join(h.library for h in done if h.text == form)}: {form}" for form in forms
            ]
        for warning in dict.fromkeys(h.warning for h in missing):
            names = ", ".join(h.library for h in missing if h.warning == warning)
            parts.append(f"{names}: {warning}")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "group": self.group,
            "term": self.term,
            "widens": self.widens,
            "matches": self.matches,
            "adds": self.adds,
            "note": self.note,
            "libraries": [h.to_dict() for h in self.libraries],
        }


def stem(word: str, other: str) -> str | None:
    """The stem two different words share, as a librarian truncates it, or None.

    The common prefix loses trailing vowels (``predicti`` → ``predict``), must keep
    :data:`MIN_STEM` letters and most of both words (``software`` and ``softly`` share only
    ``soft``, too little of either).
    """
    if word == other or other in number_forms(word):
        return None
    common = "".join(
        a for a, _ in itertools.takewhile(lambda p: p[0] == p[1], zip(word, other, strict=False))
    )
    while common and common[-1] in _VOWELS:
        common = common[:-1]
    if len(common) < MIN_STEM or len(common) < STEM_SHARE * max(len(word), len(other)):
        return None
    return common


def _with_term(query: BooleanQuery, group: TermGroup, term: Term) -> BooleanQuery:
    changed = replace(group, terms=(*group.terms, term))
    return replace(query, groups=tuple(changed if g is group else g for g in query.groups))


def _adds(conn: sa.Connection, query: BooleanQuery, changed: BooleanQuery) -> int | None:
    if not fulltext.unique_records(conn):
        return None
    before = fulltext.count_unique(conn, query_filter(query))
    return fulltext.count_unique(conn, query_filter(changed)) - before


def truncation_hints(term: Term, seen: str) -> tuple[LibraryHint, ...]:
    """Per library: the truncated term, or why it cannot be written there (and that the
    word ``seen`` in the seed is then a term to add)."""
    hints: list[LibraryHint] = []
    short = min(len(w) for w, s in zip(term.words, term.prefix, strict=True) if s)
    add = f"add '{seen}' (and the other forms you need) as terms"
    for lib in LIBRARIES:
        if not lib.wildcard:
            warning = f"no wildcards: {add}"
        elif term.is_phrase and not lib.wildcard_in_phrase:
            warning = f"no wildcard inside a phrase: {add}"
        elif short < lib.min_stem:
            warning = f"needs {lib.min_stem} letters before *: {add}"
        else:
            hints.append(LibraryHint(lib.id, term.text))
            continue
        hints.append(LibraryHint(lib.id, "", warning))
    return tuple(hints)


def _quoted(words: str) -> str:
    return words if words.isalnum() else f'"{words}"'


def proximity_hints(first: str, second: str, gap: int) -> tuple[LibraryHint, ...]:
    """Per library: ``first`` within ``gap`` words of ``second``, or why it cannot be."""
    hints: list[LibraryHint] = []
    for lib in LIBRARIES:
        if lib.proximity:
            text = lib.proximity.format(a=_quoted(first), b=_quoted(second), n=gap)
            if '"' in lib.proximity:  # the template quotes the words itself
                text = lib.proximity.format(a=first, b=second, n=gap)
            hints.append(LibraryHint(lib.id, text))
        else:
            hints.append(
                LibraryHint(lib.id, "", "no proximity operator: only the phrase itself finds it")
            )
    return tuple(hints)


def _truncation(
    conn: sa.Connection, query: BooleanQuery, group: TermGroup, doc: Document
) -> Fix | None:
    words = {w for f in SCOPE_FIELDS[group.field] for w in doc.fields[f]}
    options: list[tuple[int, Fix]] = []
    for term in group.terms:
        for index, (word, star) in enumerate(zip(term.words, term.prefix, strict=True)):
            if star or len(term.tokens) != len(term.words):  # hyphenated words: leave them
                continue
            for seen in sorted(words):
                root = stem(word.lower(), seen)
                if root is None:
                    continue
                new_words = (*term.words[:index], root, *term.words[index + 1 :])
                prefix = tuple(p or i == index for i, p in enumerate(term.prefix))
                text = " ".join(
                    w + (WILDCARD if p else "") for w, p in zip(new_words, prefix, strict=True)
                )
                new = parse_term(text)
                changed = _with_term(query, group, new)
                found = next(g for g in changed.groups if g.name == group.name)
                if not group_matches(doc, found):
                    continue
                adds = _adds(conn, query, changed)
                fix = Fix(
                    "truncation",
                    group.name,
                    new.text,
                    widens=term.text,
                    matches=seen,
                    adds=adds,
                    libraries=truncation_hints(new, seen),
                )
                options.append((adds if adds is not None else 0, fix))
    if not options:
        return None
    return min(options, key=lambda o: (o[0], len(o[1].term)))[1]


def _gap(first: str, second: str, words: Sequence[str]) -> int | None:
    """Fewest words between ``first`` and ``second`` (any order, number forms) in ``words``."""
    a_forms, b_forms = set(number_forms(first)), set(number_forms(second))
    a_at = [i for i, w in enumerate(words) if w in a_forms]
    b_at = [i for i, w in enumerate(words) if w in b_forms]
    gaps = [abs(i - j) - 1 for i in a_at for j in b_at if i != j]
    return min(gaps) if gaps else None


def _proximity(group: TermGroup, doc: Document) -> Fix | None:
    for term in group.terms:
        toks = term.tokens
        if len(toks) != 2 or any(star for _, star in toks):
            continue
        (first, _), (second, _) = toks
        for field in SCOPE_FIELDS[group.field]:
            gap = _gap(first, second, doc.fields[field])
            if gap is not None and 0 < gap <= MAX_GAP:
                return Fix(
                    "proximity",
                    group.name,
                    term.text,
                    widens=term.text,
                    matches=f"'{first}' and '{second}' {gap} word(s) apart ({field})",
                    note="the local test cannot run proximity: count it in the library",
                    libraries=proximity_hints(first, second, gap),
                )
    return None


def _own_concepts(
    conn: sa.Connection, seed: SeedText, seeds: Sequence[SeedText], scores: dict[str, Scored]
) -> list[Scored]:
    """The seed's concepts, scored over every seed (counted now when not counted yet)."""
    every = concepts_of(seeds)
    mine = concepts_of([seed])
    known = [scores[key] for key in mine if key in scores]
    fresh = [every[key] for key in mine if key not in scores and key in every]
    fresh.sort(key=lambda c: (-len(c.tokens), -sum(c.surfaces.values()), c.key))
    return [*known, *score(conn, fresh[:OWN_COUNTED], seeds, len(seeds))]


def _term(
    conn: sa.Connection,
    query: BooleanQuery,
    group: TermGroup,
    seed: SeedText,
    seeds: Sequence[SeedText],
    scores: dict[str, Scored],
) -> Fix | None:
    doc = seed.document()
    ranked = sorted(
        _own_concepts(conn, seed, seeds, scores), key=lambda s: (-s.score, s.concept.text)
    )
    usable = []
    for item in ranked:
        term = parse_term(" ".join(item.concept.tokens))
        changed = _with_term(query, group, term)
        found = next(g for g in changed.groups if g.name == group.name)
        if group_matches(doc, found) and not covered(item.concept.tokens, query):
            usable.append((item, changed))
    if not usable:
        return None
    docs = [s.document() for s in seeds]
    for item, changed in usable[:TERMS_TRIED]:
        placement = place(conn, query, item.concept.tokens, item.concept.clause(), docs)
        if placement.group == group.name:
            return Fix(
                "term",
                group.name,
                item.concept.text,
                matches=item.concept.text,
                adds=_adds(conn, query, changed),
                note=placement.reason,
            )
    return None


def fix_for(
    conn: sa.Connection,
    query: BooleanQuery,
    group_name: str,
    seed: SeedText,
    seeds: Sequence[SeedText],
    scores: dict[str, Scored],
) -> Fix | None:
    """The smallest change to ``group_name`` that makes it find ``seed`` (one of ``seeds``;
    ``scores`` are the suggestions' scored concepts by key), or None."""
    group = next(g for g in query.groups if g.name == group_name)
    doc = seed.document()
    return (
        _truncation(conn, query, group, doc)
        or _proximity(group, doc)
        or _term(conn, query, group, seed, seeds, scores)
    )


def concept_scores(scored: Sequence[Scored]) -> dict[str, Scored]:
    """Scored concepts by key, for :func:`fix_for`."""
    return {s.concept.key: s for s in scored}
