"""A large duplicate set built from a real one, for ``benchmarks/dedup.py --scale N``.

Each copy of the source set stands for a different body of literature: a per-copy letter
cipher rewrites titles and author names (so copies share no titles or authors, while the
spelling differences *inside* a duplicate group survive the cipher), and volumes, pages,
years and DOIs are shifted per copy. Venues are kept, as journals recur across papers. Then
every record may be hit by the noise real exports carry: a typo in the title, a lower-cased
title, a dropped field, reordered or reformatted authors, the whole author list in another
order (DBLP and the ACM DL disagree), letters written as HTML character references
(``B&#246;hm``, ``R &amp; D``), the venue abbreviated (``J. Am. Soc. Nephr.``, ``JASN``). The
ground truth follows along.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from metasummary.models import RecordData

TYPO = 0.08
LOWER_CASE = 0.1
DROP_FIELD = 0.1
REORDER_AUTHORS = 0.08
SHUFFLE_AUTHORS = 0.08
ENTITIES = 0.05
ABBREVIATE_VENUE = 0.1

# Words left as they are, so notices ("Erratum") and small words still read as such.
_KEEP = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "erratum",
        "correction",
        "reply",
        "retraction",
        "comment",
        "commentary",
        "response",
        "editorial",
        "review",
    ]
)
_WORD = re.compile(r"[A-Za-z]+")
_NUMBER = re.compile(r"\d+")
_DROPPABLE = ("pages", "volume", "issue", "doi", "venue", "abstract", "year")


class Copy:
    """One copy's cipher and shifts."""

    def __init__(self, index: int, rng: random.Random) -> None:
        self.index = index
        letters = list(string.ascii_lowercase)
        rng.shuffle(letters)
        lower = "".join(letters)
        self.table = str.maketrans(
            string.ascii_lowercase + string.ascii_uppercase, lower + lower.upper()
        )
        self.page_shift = rng.randrange(0, 5000)
        self.volume_shift = rng.randrange(0, 300)
        self.year_shift = rng.randrange(-15, 6)

    def words(self, text: str) -> str:
        return _WORD.sub(
            lambda m: (
                m.group(0) if m.group(0).lower() in _KEEP else m.group(0).translate(self.table)
            ),
            text,
        )

    def shift(self, text: str, by: int) -> str:
        return _NUMBER.sub(lambda m: str(int(m.group(0)) + by), text) if by else text

    def apply(self, data: RecordData) -> RecordData:
        return replace(
            data,
            title=self.words(data.title),
            abstract=self.words(data.abstract),
            authors=[self.words(a) for a in data.authors],
            year=None if data.year is None else data.year + self.year_shift,
            volume=self.shift(data.volume, self.volume_shift),
            pages=self.shift(data.pages, self.page_shift),
            doi=f"{data.doi}.c{self.index}" if data.doi else "",
            original_key=f"c{self.index}_{data.original_key}",
        )


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 8:
        return text
    at = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:at] + text[at + 1 :]  # a dropped letter
    if kind == 1:
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]  # two letters swapped
    return text[:at] + rng.choice(string.ascii_lowercase) + text[at + 1 :]


def _reorder(authors: list[str], rng: random.Random) -> list[str]:
    authors = list(authors)
    if len(authors) >= 3 and rng.random() < 0.5:
        k = rng.randrange(1, len(authors) - 1)
        authors[k], authors[k + 1] = authors[k + 1], authors[k]  # two co-authors swapped
    else:  # "Family, Given" written "Given Family"
        authors = [
            f"{given.strip()} {family.strip()}" if given else family
            for family, _, given in (a.partition(",") for a in authors)
        ]
    return authors


_ACCENTED = {"o": "&#246;", "u": "&#252;", "a": "&#228;", "e": "&#233;", "ss": "&#223;"}
_VENUE_STOP = frozenset(["of", "the", "and", "for", "in", "on", "&"])


def _entities(data: RecordData, rng: random.Random) -> RecordData:
    """One author's letter as a character reference (it folds back: ö is o) and "and" in the
    title as ``&amp;``."""
    authors = list(data.authors)
    if authors:
        k = rng.randrange(len(authors))
        letter = rng.choice(list(_ACCENTED))
        authors[k] = authors[k].replace(letter, _ACCENTED[letter], 1)
    return replace(data, authors=authors, title=data.title.replace(" and ", " &amp; "))


def _abbreviate(venue: str, rng: random.Random) -> str:
    """ISO 4 style (each word cut to its first letters) or an acronym of the words."""
    words = [w for w in re.findall(r"[A-Za-z]+", venue) if w.lower() not in _VENUE_STOP]
    if len(words) >= 3 and rng.random() < 0.3:
        return "".join(w[0].upper() for w in words)
    return " ".join(w if len(w) <= 4 else w[:4] + "." for w in words)


def perturb(data: RecordData, rng: random.Random) -> RecordData:
    """Export noise: a typo, a lower-cased title, a lost field, authors reordered or
    shuffled, HTML character references, an abbreviated venue."""
    if rng.random() < TYPO:
        data = replace(data, title=_typo(data.title, rng))
    if rng.random() < LOWER_CASE:
        data = replace(data, title=data.title.lower())
    if rng.random() < DROP_FIELD:
        name = rng.choice(_DROPPABLE)
        dropped: dict[str, Any] = {name: None if name == "year" else ""}
        data = replace(data, **dropped)
    if rng.random() < REORDER_AUTHORS and data.authors:
        data = replace(data, authors=_reorder(data.authors, rng))
    if rng.random() < SHUFFLE_AUTHORS and len(data.authors) > 1:
        data = replace(data, authors=rng.sample(data.authors, len(data.authors)))
    if rng.random() < ENTITIES:
        data = _entities(data, rng)
    if rng.random() < ABBREVIATE_VENUE and data.venue:
        data = replace(data, venue=_abbreviate(data.venue, rng))
    return data


def scaled(
    records: list[tuple[str, RecordData]], groups: list[list[str]], size: int, seed: int = 7
) -> tuple[Iterator[tuple[str, RecordData]], list[list[str]]]:
    """``size`` records made from copies of ``records``, and the matching ground truth."""
    copies = -(-size // len(records))
    rng = random.Random(seed)
    plans = [Copy(k, rng) for k in range(copies)]
    kept = {key for key, _ in records}
    truth: list[list[str]] = []
    made = 0
    for plan in plans:
        take = records[: size - made]
        made += len(take)
        keys = {key for key, _ in take}
        for group in groups:
            inside = [f"c{plan.index}_{key}" for key in group if key in keys and key in kept]
            if len(inside) > 1:
                truth.append(inside)

    def generate() -> Iterator[tuple[str, RecordData]]:
        noise = random.Random(seed + 1)
        left = size
        for plan in plans:
            for key, data in records[:left]:
                yield f"c{plan.index}_{key}", perturb(plan.apply(data), noise)
            left -= min(left, len(records))

    return generate(), truth
