"""Candidate search terms in a text: keyword phrases, split RAKE-style.

Rapid Automatic Keyword Extraction (Rose et al. 2010) takes the runs of words between stop
words and punctuation as candidate keywords. Here the runs end at the general-English and
academic stop lists of ``stopwords.py`` and at any punctuation except a hyphen or an
apostrophe inside a word, so ``fault-prone`` stays one word and ``input/output`` is two. Every
stretch of up to :data:`MAX_WORDS` words of a run is a candidate ("software fault prediction
models" gives "fault prediction", "software fault prediction" ...), since a searcher may want
any of them; a single word only when it can stand alone (not "study", not "large").

Author keywords and index terms (RIS ``KW``, Scopus Author/Index Keywords, WoS ``DE``/``ID``,
IEEE Author Keywords/IEEE Terms: the importers keep them together in a record's ``keywords``)
are split the same way, one keyword at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from metasummary.query.stopwords import is_break, stands_alone
from metasummary.query.text import fold, tokens

MAX_WORDS = 4
"""Words (hyphenated compounds count as one) in the longest candidate."""

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrase as written (lower case, hyphens kept) and the tokens the index sees."""

    surface: str
    tokens: tuple[str, ...]


def _runs(text: str) -> Iterator[list[str]]:
    """Runs of words between punctuation and stop words, lower case."""
    run: list[str] = []
    end = 0
    folded = fold(text)
    for match in _WORD.finditer(folded):
        if folded[end : match.start()].strip() and run:  # punctuation between the words
            yield run
            run = []
        end = match.end()
        word = _POSSESSIVE.sub("", match.group())
        if is_break(word):
            if run:
                yield run
            run = []
        else:
            run.append(word)
    if run:
        yield run


def _acronym(original: str, word: str) -> bool:
    return len(word) == 2 and word.upper() in original


def phrases(text: str, *, max_words: int = MAX_WORDS) -> list[Candidate]:
    """Every candidate of ``text`` in order of appearance (repeats kept)."""
    out: list[Candidate] = []
    for run in _runs(text):
        for size in range(1, max_words + 1):
            for start in range(len(run) - size + 1):
                words = run[start : start + size]
                if size == 1 and not (
                    stands_alone(words[0]) and (len(words[0]) >= 3 or _acronym(text, words[0]))
                ):
                    continue
                toks = tuple(t for w in words for t in tokens(w))
                if toks:
                    out.append(Candidate(" ".join(words), toks))
    return out


def keyword_phrases(keywords: Iterable[str]) -> list[Candidate]:
    """The candidates of each keyword or index term, one keyword at a time."""
    return [c for keyword in keywords for c in phrases(keyword)]
