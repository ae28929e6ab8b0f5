"""The two suggesters ``query_suggest.py`` compares ours with.

- :func:`previous` is metasummary's term suggester as it stood before the keyword-phrase
  suggester replaced it (commit 50784ca, ``query/suggest.py``): the words and two-word phrases
  of the seed papers, scored by the share of seeds using them times an inverse document
  frequency counted by the full-text index. Kept here, unchanged in substance, so the
  comparison can be re-run.
- :func:`litsearchr` follows the published description of litsearchr (Grames, Stillman,
  Tingley and Elphick 2019, *Methods in Ecology and Evolution* 10: 1645–1654) and its
  documented defaults: candidate phrases of 2–5 words by "fakerake" (runs between stop words
  and punctuation, hyphens kept) from the titles and abstracts of every record of the naive
  search (here: every record of the project), kept when they occur at least twice, plus
  author/index keywords of 2–5 words occurring twice; a document-feature matrix of those terms
  over titles and abstracts; a co-occurrence network without the terms found in fewer than 3
  documents; node strength; the cumulative cut-off that keeps the strongest nodes holding 80 %
  of the total strength. Its stop list is our general-English one (litsearchr ships its own
  English list; ours is of the same kind).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from metasummary.query.coverage import covered
from metasummary.query.matcher import Document, group_matches
from metasummary.query.model import BooleanQuery, parse_term
from metasummary.query.plan import term_phrases
from metasummary.query.stopwords import FUNCTION_WORDS
from metasummary.query.text import STOP_WORDS, fold, tokens
from metasummary.query.variants import concept_key
from metasummary.store import fulltext
from metasummary.store.fulltext import Clause, Filter

PREVIOUS_CANDIDATES = 60


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    score: float


# -- metasummary's previous suggester ------------------------------------------------------


def _content(word: str) -> bool:
    return len(word) >= 3 and word not in STOP_WORDS and not word.isdigit()


def _grams(doc: Document) -> set[str]:
    out: set[str] = set()
    for words in doc.fields.values():
        for i, word in enumerate(words):
            if _content(word):
                out.add(word)
                if i + 1 < len(words) and _content(words[i + 1]):
                    out.add(f"{word} {words[i + 1]}")
    return out


def _previously_covered(text: str, query: BooleanQuery) -> bool:
    doc = Document.of(title=text)
    if any(group_matches(doc, g) for g in query.groups):
        return True
    words = set(text.split())
    return any(words <= {tok for tok, _ in t.tokens} for g in query.all_groups() for t in g.terms)


def previous(
    conn: sa.Connection,
    query: BooleanQuery,
    seeds: Sequence[tuple[Document, int | None]],
    limit: int,
) -> list[Term]:
    counts = Counter(gram for doc, _ in seeds for gram in _grams(doc))
    floor = 2 if len(seeds) >= 3 else 1
    # Ties in order of the gram (the original took Counter's order, which follows string
    # hashing and so changed from run to run).
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    candidates = [g for g, n in ranked if n >= floor and not _previously_covered(g, query)][
        :PREVIOUS_CANDIDATES
    ]
    total = fulltext.unique_records(conn)
    in_project = [rid for _, rid in seeds if rid is not None]
    out: list[Term] = []
    for gram in candidates:
        share = counts[gram] / len(seeds)
        flt = Filter(clauses=(Clause(phrases=term_phrases(parse_term(gram))),))
        seeds_here = len(fulltext.record_ids(conn, flt, among=in_project)) if in_project else 0
        others = fulltext.count_unique(conn, flt) - seeds_here
        rest = max(total - len(in_project), 0)
        out.append(Term(gram, round(share * math.log((rest + 1) / (others + 1)), 4)))
    out.sort(key=lambda t: (-t.score, t.text))
    return out[:limit]


# -- litsearchr-style baseline ---------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
MIN_FREQ = 2
MIN_N, MAX_N = 2, 5
MIN_STUDIES = 3
CUMULATIVE = 0.8


def fakerake(text: str) -> list[tuple[str, ...]]:
    """Every 2–5-word n-gram inside the runs between stop words and punctuation."""
    out: list[tuple[str, ...]] = []
    folded = fold(text)
    run: list[str] = []
    end = 0

    def flush() -> None:
        for n in range(MIN_N, MAX_N + 1):
            out.extend(tuple(run[i : i + n]) for i in range(len(run) - n + 1))
        run.clear()

    for match in _WORD.finditer(folded):
        if folded[end : match.start()].strip():
            flush()
        end = match.end()
        word = match.group()
        if word in FUNCTION_WORDS or word.isdigit():
            flush()
        else:
            run.append(word)
    flush()
    return out


@dataclass(frozen=True, slots=True)
class Network:
    """litsearchr's keyword network over a corpus: term keys with their strength, strongest
    first, cut at the cumulative 80 % of strength."""

    kept: list[tuple[str, str, float]]
    """(key, term as written, strength)."""


def network(texts: Sequence[tuple[str, str, Sequence[str]]]) -> Network:
    """``texts``: (title, abstract, keywords) of every record of the naive search."""
    occurrences: Counter[str] = Counter()
    written: dict[str, str] = {}
    docs_keys: list[set[str]] = []
    for title, abstract, _ in texts:
        grams = fakerake(title) + fakerake(abstract)
        for gram in grams:
            key = concept_key([t for w in gram for t in tokens(w)])
            occurrences[key] += 1
            written.setdefault(key, " ".join(gram))
    tagged: Counter[str] = Counter()
    for _, _, keywords in texts:
        for keyword in keywords:
            words = tokens(keyword)
            if len(keyword) >= 3 and MIN_N <= len(keyword.split()) <= MAX_N and words:
                key = concept_key(words)
                tagged[key] += 1
                written.setdefault(key, keyword.lower())
    terms = {k for k, n in occurrences.items() if n >= MIN_FREQ}
    terms |= {k for k, n in tagged.items() if n >= MIN_FREQ}
    # The document-feature matrix: which terms each title + abstract holds.
    for title, abstract, _ in texts:
        keys: set[str] = set()
        for field in (title, abstract):
            toks = tokens(field)
            for n in range(1, 9):
                for i in range(len(toks) - n + 1):
                    key = concept_key(toks[i : i + n])
                    if key in terms:
                        keys.add(key)
        docs_keys.append(keys)
    studies = Counter(k for keys in docs_keys for k in keys)
    nodes = {k for k, n in studies.items() if n >= MIN_STUDIES}
    strength: Counter[str] = Counter()
    for keys in docs_keys:
        present = keys & nodes
        for key in present:
            strength[key] += len(present) - 1
    ranked = sorted(strength.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(s for _, s in ranked)
    running, cut = 0.0, 0.0
    for _, s in ranked:
        running += s
        if running >= CUMULATIVE * total:
            cut = s
            break
    kept = [(k, written[k], float(s)) for k, s in ranked if s >= cut and s > 0]
    return Network(kept)


def litsearchr(net: Network, query: BooleanQuery, limit: int) -> list[Term]:
    """The strongest kept terms the query does not already find (litsearchr does not know the
    query; the same rule as ours leaves out what a group already finds)."""
    out: list[Term] = []
    for _, text, strength in net.kept:
        if covered(tuple(tokens(text)), query):
            continue
        out.append(Term(text, strength))
        if len(out) == limit:
            break
    return out
