"""What a venue is called for short: the acronyms that name one conference or journal.

Libraries name a venue their own way: DBLP writes ``SIGMOD Conference``, the ACM Digital
Library ``Proceedings of the 2001 ACM SIGMOD International Conference on Management of
Data`` or just ``International Conference on Management of Data``, IEEE ``2017 IEEE
Symposium on Computers and Communications (ISCC)``. Each venue name gives a set of *ids*:

- the acronyms written in it (``SIGMOD``, ``ISCC``, ``SoCC '10``), publishers left out;
- the initials of its words (``Very Large Data Bases`` is ``vldb``; ``International
  Conference on Software Engineering`` is ``icse``);
- the acronyms a small table pairs with its words (``dedup/venue_aliases.csv``: names and
  acronyms seen together in real exports, such as an ACM DL entry's ``series`` beside its
  ``booktitle``), for the venues whose acronym is not their initials.

Two venues sharing an id are one venue.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files

from metasummary.dedup.text import fold

# Words a venue name carries that are not the venue: its kind, its edition, its publisher.
_NOISE = frozenset(
    [
        "proceedings",
        "proc",
        "international",
        "intl",
        "int",
        "conference",
        "conf",
        "annual",
        "symposium",
        "symp",
        "workshop",
        "workshops",
        "acm",
        "ieee",
        "usenix",
        "siam",
        "ifip",
        "springer",
        "lncs",
        "ceur",
        "joint",
        "companion",
        "volume",
        "vol",
        "part",
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "the",
        "of",
        "on",
        "and",
        "in",
        "for",
        "at",
        "to",
        "a",
        "an",
        "de",
        "la",
        "der",
        "und",
        "et",
        "y",
        "th",
        "st",
        "nd",
        "rd",
    ]
)
_PUBLISHERS = frozenset(
    [
        "acm",
        "ieee",
        "usenix",
        "siam",
        "ifip",
        "lncs",
        "ceur",
        "aaai",
        "iet",
        "ios",
        "nih",
        "ii",
        "iii",
        "iv",
        "vi",
        "vii",
        "viii",
        "ix",
        "xi",
        "xii",
        "usa",
        "uk",
        "eu",
    ]
)
# An acronym as written: two capitals or more in one word (SIGMOD, VLDB, SoCC, iiWAS, ESEC/FSE).
_WRITTEN = re.compile(
    r"(?<![A-Za-z])([A-Za-z]*[A-Z][a-z]*[A-Z][A-Za-z]*)(?:[- ]?'?\d{2,4})?(?![a-z])"
)
_ALIASES = "dedup/venue_aliases.csv"


def _core(words: list[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in _NOISE and not w.isdigit())


@lru_cache(maxsize=1)
def alias_table() -> dict[tuple[str, ...], frozenset[str]]:
    """Venue words (folded, without noise) → the acronyms they are known by."""
    table: dict[tuple[str, ...], set[str]] = {}
    text = files("metasummary").joinpath(_ALIASES).read_text(encoding="utf-8")
    for row in csv.DictReader(line for line in text.splitlines() if not line.startswith("#")):
        acronym = fold(row["acronym"]).replace(" ", "")
        words = _core(fold(row["name"]).split())
        if acronym and words:
            table.setdefault(words, set()).add(acronym)
    return {words: frozenset(acronyms) for words, acronyms in table.items()}


def _written(venue: str) -> set[str]:
    if venue.isupper() and len(re.findall(r"[A-Z]{4,}", venue)) >= 3:
        # An all-capitals name (Web of Science) has no acronyms to tell: only bracketed ones.
        venue = " ".join(re.findall(r"\(([^()]*)\)", venue))
    found = set()
    for match in _WRITTEN.finditer(venue):
        for part in match.group(1).split("/"):
            word = part.lower()
            if len(word) >= 3 and word not in _PUBLISHERS:
                found.add(word)
    return found


@lru_cache(maxsize=131072)
def venue_ids(venue: str) -> frozenset[str]:
    """The acronyms that name ``venue`` (lower case); empty for a plain one-word name."""
    if not venue:
        return frozenset()
    ids = _written(venue) if any(c.isupper() for c in venue) else set()
    words = fold(venue).split()
    core = _core(words)
    if len(core) >= 3:  # two initials are too common to name a venue
        ids.add("".join(w[0] for w in core))
        content = [w for w in words if w not in ("of", "on", "and", "the", "in", "for", "proc")]
        content = [w for w in content if w not in ("proceedings", "annual") and not w.isdigit()]
        if len(content) >= 3:
            ids.add("".join(w[0] for w in content if w not in _PUBLISHERS))
    table = alias_table()
    if core:
        known = table.get(core)
        if known is None and len(core) > 2:
            # The name may carry more than the table's words ("... of Data, Part 2", a
            # place): any stretch of the name the table knows.
            for size in range(len(core) - 1, 1, -1):
                for start in range(len(core) - size + 1):
                    known = table.get(core[start : start + size])
                    if known:
                        break
                if known:
                    break
        if known:
            ids |= known  # the table's own acronyms, short ones (RE, ER) included
    return frozenset(ids)
