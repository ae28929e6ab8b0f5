"""The Boolean query built from the protocol's ``query`` section.

Groups of terms are OR-ed inside and AND-ed together; an optional NOT group removes records;
a year range limits them. A term is a single word or a phrase, and any word may end in a
trailing wildcard (``deploy*``). Terms are written in ``protocol.yaml`` as plain text: quotes
around a phrase are optional and are stripped.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from metasummary.protocol import FieldScope, Query, QueryGroup
from metasummary.query.text import tokens

WILDCARD = "*"


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a group: its words as written and which of them end in a wildcard."""

    raw: str
    words: tuple[str, ...]
    prefix: tuple[bool, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    @property
    def has_wildcard(self) -> bool:
        return any(self.prefix)

    @property
    def text(self) -> str:
        """The term as libraries take it, without quotes: ``deploy* ML``."""
        return " ".join(
            w + (WILDCARD if p else "") for w, p in zip(self.words, self.prefix, strict=True)
        )

    @property
    def tokens(self) -> tuple[tuple[str, bool], ...]:
        """The term as the local index sees it: folded tokens, each with its wildcard flag.

        ``production-ready`` is two tokens; a wildcard belongs to the last token of its word.
        """
        out: list[tuple[str, bool]] = []
        for word, star in zip(self.words, self.prefix, strict=True):
            parts = tokens(word)
            out += [(part, star and i == len(parts) - 1) for i, part in enumerate(parts)]
        return tuple(out)


@dataclass(frozen=True, slots=True)
class TermGroup:
    name: str
    label: str
    terms: tuple[Term, ...]
    field: FieldScope


@dataclass(frozen=True, slots=True)
class BooleanQuery:
    """``(A1 OR A2) AND (B1 OR B2) ... AND NOT (N1 OR N2)``, within a year range."""

    groups: tuple[TermGroup, ...]
    exclude: TermGroup | None = None
    year_from: int | None = None
    year_to: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def all_groups(self) -> tuple[TermGroup, ...]:
        return (*self.groups, *((self.exclude,) if self.exclude else ()))

    def to_json(self) -> dict[str, Any]:
        """A plain, stable form: stored in ``query_versions`` and hashed for the fingerprint."""

        def group(g: TermGroup) -> dict[str, Any]:
            return {
                "name": g.name,
                "label": g.label,
                "field": g.field.value,
                "terms": [t.text for t in g.terms],
            }

        return {
            "groups": [group(g) for g in self.groups],
            "not": group(self.exclude) if self.exclude else None,
            "years": {"from": self.year_from, "to": self.year_to},
        }

    def fingerprint(self) -> str:
        """sha256 of what decides the hits (labels left out)."""
        data = self.to_json()
        for g in [*data["groups"], data["not"]]:
            if g is not None:
                g.pop("label")
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_term(raw: str) -> Term:
    """A term from its protocol text; stray quotes are dropped (``lint`` reports them)."""
    words: list[str] = []
    prefix: list[bool] = []
    for chunk in raw.replace('"', " ").replace("“", " ").replace("”", " ").split():
        star = chunk.endswith(WILDCARD)
        word = chunk.strip(WILDCARD)
        if not word:
            continue
        words.append(word)
        prefix.append(star)
    return Term(raw=raw, words=tuple(words), prefix=tuple(prefix))


def _group(spec: QueryGroup) -> TermGroup:
    terms = tuple(t for t in (parse_term(raw) for raw in spec.terms) if t.words)
    return TermGroup(name=spec.name, label=spec.label, terms=terms, field=spec.field)


def build_query(spec: Query) -> BooleanQuery:
    """The query of a protocol's ``query`` section."""
    years = spec.years
    return BooleanQuery(
        groups=tuple(_group(g) for g in spec.groups),
        exclude=_group(spec.not_) if spec.not_ else None,
        year_from=years.start if years else None,
        year_to=years.end if years else None,
    )
