"""``query lint``: mistakes and weak spots in the query, before it is run anywhere.

Each finding names the group and term and says what to do. Errors make the query wrong as
written; warnings make it weaker or longer than it needs to be; notes are worth a look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from metasummary.protocol import Query, QueryGroup
from metasummary.query.hits import HitReport
from metasummary.query.model import Term, parse_term
from metasummary.query.text import STOP_WORDS, number_forms

Level = Literal["error", "warning", "note"]
MIN_STEM = 3
"""Letters before a wildcard below which it matches too much to be useful."""

_OPERATOR = re.compile(r"(?:^|\s)(AND|OR|NOT|NEAR(?:/\d+)?|W/\d+)(?:\s|$)")
_QUOTES = ('"', "“", "”")


@dataclass(frozen=True, slots=True)
class Finding:
    level: Level
    group: str
    term: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "group": self.group,
            "term": self.term,
            "message": self.message,
        }


def _term_findings(group: str, raw: str) -> list[Finding]:
    found: list[Finding] = []

    def add(level: Level, message: str) -> None:
        found.append(Finding(level, group, raw, message))

    if sum(raw.count(q) for q in _QUOTES) % 2:
        add(
            "error",
            "unbalanced quotes; write the phrase without quotes (terms are phrases already)",
        )
    if _OPERATOR.search(raw):
        add(
            "error",
            "holds a Boolean operator; give each alternative as a term of its own "
            "(terms of a group are OR-ed)",
        )
    for word in raw.replace('"', " ").split():
        core = word.rstrip("*")
        if "*" in core or "?" in word:
            add("error", f"'{word}': only a trailing * is supported as a wildcard")
    term = parse_term(raw)
    if not term.words:
        add("error", "holds no word")
        return found
    for word, star in zip(term.words, term.prefix, strict=True):
        letters = len(re.sub(r"\W", "", word))
        if star and letters < MIN_STEM:
            add(
                "warning",
                f"'{word}*' is too short to be useful: it matches every word "
                f"starting with '{word}' (PubMed needs 4 letters, Web of Science 3)",
            )
        elif star and letters < 4:
            add("note", f"'{word}*': PubMed needs 4 letters before a wildcard; it is dropped there")
    stops = [w for w in term.words if w.lower() in STOP_WORDS]
    if stops and not term.is_phrase:
        add(
            "warning",
            "a stop word: most libraries ignore it, so it matches nothing or everything; drop it",
        )
    elif stops:
        add(
            "note",
            f"stop word(s) {', '.join(stops)} inside the phrase: Web of Science, "
            "ScienceDirect and OpenAlex skip them, so the phrase may match other "
            "words in their place",
        )
    return found


def _subsumes(general: Term, specific: Term) -> bool:
    """Whether every record ``specific`` finds is also found by ``general``."""
    g, s = general.tokens, specific.tokens
    if not g or len(g) > len(s):
        return False
    for start in range(len(s) - len(g) + 1):
        ok = True
        for (gt, gstar), (st, sstar) in zip(g, s[start : start + len(g)], strict=True):
            ok = st.startswith(gt) if gstar else gt == st and not sstar
            if not ok:
                break
        if ok:
            return True
    return False


def _number_variant(a: Term, b: Term) -> bool:
    def key(term: Term) -> tuple[tuple[frozenset[str], bool], ...]:
        return tuple((frozenset(number_forms(tok)), star) for tok, star in term.tokens)

    return key(a) == key(b)


def _group_findings(spec: QueryGroup) -> list[Finding]:
    found = [f for raw in spec.terms for f in _term_findings(spec.name, raw)]
    terms = [parse_term(raw) for raw in spec.terms]
    terms = [t for t in terms if t.words]
    for i, term in enumerate(terms):
        for j, other in enumerate(terms):
            if i == j:
                continue
            if term.tokens == other.tokens:
                if i < j:
                    found.append(
                        Finding(
                            "warning", spec.name, other.raw, f"the same as '{term.raw}'; drop one"
                        )
                    )
            elif i < j and _number_variant(term, other):
                found.append(
                    Finding(
                        "note",
                        spec.name,
                        other.raw,
                        f"a number form of '{term.raw}': Scopus, Web of Science, "
                        "ScienceDirect and OpenAlex find it already; it helps only where "
                        "plurals are not added (IEEE, ACM, PubMed, arXiv ...)",
                    )
                )
            elif _subsumes(other, term):
                found.append(
                    Finding(
                        "warning",
                        spec.name,
                        term.raw,
                        f"subsumed by '{other.raw}': every record it finds, '{other.raw}' "
                        "finds too; drop it (it only lengthens the query, and some "
                        "libraries limit the number of terms)",
                    )
                )
                break
    return found


def lint_query(spec: Query, report: HitReport | None = None) -> list[Finding]:
    """Every finding for the protocol's query; with ``report``, also what finds nothing."""
    groups = [*spec.groups, *((spec.not_,) if spec.not_ else ())]
    found = [f for g in groups for f in _group_findings(g)]
    if not spec.groups:
        found.append(Finding("error", "", "", "the protocol has no query groups"))
    if report is None:
        return found
    if report.records == 0:
        found.append(
            Finding(
                "note",
                "",
                "",
                "the project holds no records yet: import some to "
                "check which groups and terms find anything",
            )
        )
        return found
    every = [*report.groups, *((report.exclude,) if report.exclude else ())]
    for group in every:
        if group.hits.total == 0:
            found.append(
                Finding(
                    "warning",
                    group.name,
                    "",
                    f"the group matches none of the {report.records} records in "
                    "the project; check its terms and field",
                )
            )
            continue
        for term, count in group.terms.items():
            if count == 0:
                found.append(Finding("note", group.name, term, "finds no record in the project"))
    return found
