"""Author names: one shape for every export's form, and how alike two author lists are.

``Zipfel, P. F.``, ``Zipfel PF``, ``P. F. Zipfel`` and ``Peter F. Zipfel`` all become the
family key ``zipfel`` with the given names ``p f``. Particles (``van den``, ``de``) are left
out of the key, so ``van den Brule, A`` and ``Brule, A. van den`` agree; ``Böhm`` and
``Boehm``, ``Kießling`` and ``Kiessling`` (or ``Kieβling``, a Greek beta standing in for ß)
are one name. Two author lists are compared as sets: the order a library lists them in does
not matter.
"""

from __future__ import annotations

import html
import re
import sys
from functools import lru_cache

from rapidfuzz.distance import Indel, JaroWinkler

from metasummary.dedup.text import fold
from metasummary.sources.normalise import comma_separated_names

_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])
_SUFFIX_WORD = re.compile(r"\b(jr|sr|ii|iii|iv)\b", re.IGNORECASE)
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "das",
        "du",
        "la",
        "le",
        "ten",
        "ter",
        "vander",
        "vanden",
        "st",
    ]
)
_CORPORATE = re.compile(
    r"\b(group|consortium|collaborat\w*|investigators?|committee|society|association|"
    r"network|working|team|study|trial|council|organi[sz]ation|institute|anonymous|"
    r"pathology|college|foundation|writing|task force)\b"
)
_ET_AL = re.compile(r"\b(et al|and others|others)\b\.?", re.IGNORECASE)
_INITIALS = re.compile(r"^[A-Z]{1,3}$")
_AND = re.compile(r"\s+and\s+|\s*;\s*")
# A Greek beta inside a Latin name is an ß some system could not write ("Kieβling").
_BETA_AS_ESZETT = re.compile(r"(?<=[A-Za-z])[βϐ]|[βϐ](?=[a-z])")
# German umlauts written out: Boehm/Böhm, Mueller/Müller (ö folds to o).
_UMLAUT_SPELLED = re.compile(r"(?<=[aou])e")


class Name:
    """One author: the family key (no particles, no spaces) and the given names, folded."""

    __slots__ = ("family", "given", "given_words", "initial", "initials")

    def __init__(self, family: str, given: str = "") -> None:
        self.family = family
        self.given = given
        self.given_words = tuple(given.split())
        self.initials = "".join(word[0] for word in self.given_words)
        self.initial = self.initials[:1]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Name) and (self.family, self.given) == (other.family, other.given)

    def __hash__(self) -> int:
        return hash((self.family, self.given))

    def __repr__(self) -> str:
        return f"Name({self.family!r}, {self.given!r})"


def split_authors(text: str) -> list[str]:
    """Authors joined BibTeX-style (``A and B``), with semicolons, or as a list of whole names
    between commas (``Yong Yao, Johannes Gehrke``), one per item."""
    if not text:
        return []
    if ";" in text or "  " in text or "\n" in text or "\t" in text:
        parts = _AND.split(text)
    elif " and " in text:
        parts = text.split(" and ")
    else:
        parts = comma_separated_names(text) or [text]
    return [stripped for part in parts if (stripped := part.strip())]


def _split(raw: str) -> tuple[str, str] | None:
    """The family key and the raw given names; ``None`` for a group or an empty name."""
    lowered = raw.lower()
    if "et al" in lowered or "other" in lowered:
        raw = _ET_AL.sub("", raw)
        lowered = raw.lower()
    raw = raw.strip(" ,.;")
    if not raw:
        return None
    if "," in raw:
        family_part, _, given_part = raw.partition(",")
    else:
        words = raw.split()
        if len(words) > 1 and _INITIALS.match(words[-1].replace(".", "")):
            family_part, given_part = " ".join(words[:-1]), words[-1]  # Medline: Smith JA
        elif len(words) > 1:
            family_part, given_part = words[-1], " ".join(words[:-1])  # Given Family
        else:
            family_part, given_part = raw, ""
    family_part = family_part.strip()
    if "&" in family_part:  # a character reference: decoded before a beta can be read
        family_part = html.unescape(family_part)
    if "β" in family_part or "ϐ" in family_part:
        family_part = _BETA_AS_ESZETT.sub("ss", family_part)
    plain = family_part.lower()
    if plain.isascii() and plain.isalpha():
        return (sys.intern(plain), given_part) if not _CORPORATE.search(lowered) else None
    folded_family = fold(family_part)
    if not folded_family or _CORPORATE.search(lowered):
        return None
    words = [t for t in folded_family.split() if t not in _SUFFIXES] or folded_family.split()
    tokens = [t for t in words if t not in _PARTICLES] or words
    return sys.intern("".join(tokens)), given_part


@lru_cache(maxsize=262144)
def family_key(raw: str) -> str:
    """Just the family key of one author string (``""`` for a group)."""
    split = _split(raw)
    return split[0] if split else ""


@lru_cache(maxsize=262144)
def parse_name(raw: str) -> Name | None:
    """One author string in any common form; ``None`` for a group or an empty name."""
    split = _split(raw)
    if split is None:
        return None
    family, given_part = split
    given_raw = given_part.strip()
    if _SUFFIX_WORD.search(given_raw):
        given_raw = " ".join(w for w in given_raw.split() if w.strip(".").lower() not in _SUFFIXES)
    compact = given_raw.replace(".", "").replace("-", "").replace(" ", "")
    # "JA" as initials, "Ja" as a name.
    given = " ".join(compact.lower()) if _INITIALS.match(compact) else fold(given_raw)
    return Name(family, sys.intern(given))


def parse_names(authors: list[str]) -> tuple[Name, ...]:
    """Every personal author of a list (groups and empty names left out)."""
    return _parse_names(tuple(authors))


@lru_cache(maxsize=65536)
def _parse_names(authors: tuple[str, ...]) -> tuple[Name, ...]:
    names = []
    for raw in authors:
        for part in split_authors(raw) if " and " in raw else [raw]:
            name = parse_name(part)
            if name is not None:
                names.append(name)
    return tuple(names)


def first_and_least(authors: list[str]) -> tuple[str, str]:
    """The first author's family key, and the alphabetically first one (the same whatever
    order a library lists the authors in): the two author keys of blocking, in one pass."""
    first = least = ""
    for raw in authors:
        for part in split_authors(raw) if " and " in raw else (raw,):
            family = family_key(part)
            if family:
                if not first:
                    first = least = family
                elif family < least:
                    least = family
    return first, least


def _subsequence(short: str, long: str) -> bool:
    pos = 0
    for char in short:
        pos = long.find(char, pos) + 1
        if pos == 0:
            return False
    return True


def _initials_agree(a: Name, b: Name) -> bool:
    """``R M`` and ``M`` agree (one source dropped a first name); ``S`` and ``J`` do not."""
    x, y = a.initials, b.initials
    if not x or not y or x[0] == y[0]:
        return True
    return _subsequence(x, y) if len(x) <= len(y) else _subsequence(y, x)


def _same_person(a: Name, b: Name) -> bool:
    fa, fb = a.family, b.family
    if fa == fb:
        return _initials_agree(a, b)
    if len(fa) != len(fb) and _UMLAUT_SPELLED.sub("", fa) == _UMLAUT_SPELLED.sub("", fb):
        return _initials_agree(a, b)  # Boehm / Bohm (from Böhm)
    # Family and given names swapped by one source ("Lopez, Rubio M." / "Rubio, M. L.").
    if fa in b.given_words or fb in a.given_words:
        return True
    short, long = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    # Compound family names cut down, or a given name run into the family name ("Macedo
    # Barcelos" / "Barcelos", "Judith Bakkers, M" / "Bakkers, J M"): initials cannot tell.
    if len(short) >= 4 and (long.startswith(short) or long.endswith(short)):
        return True
    if a.initial != b.initial or len(short) < 3:
        return False
    if len(short) >= 5:  # typos and OCR slips: Omskov / Ornskov
        return JaroWinkler.normalized_similarity(fa, fb) >= 0.86
    return Indel.normalized_similarity(fa, fb) >= 0.8  # Che / Chen


class AuthorMatch:
    """How two author lists agree: ``share`` of the shorter list found in the other, whether
    the first authors are one person, and whether the lists are one *set* of people (every
    name of each found in the other, whatever the order)."""

    __slots__ = ("first", "same_set", "share")

    def __init__(self, share: float, first: bool, same_set: bool) -> None:
        self.share = share
        self.first = first
        self.same_set = same_set


def author_similarity(a: tuple[Name, ...], b: tuple[Name, ...]) -> AuthorMatch | None:
    """How alike two author lists are, in any order; ``None`` when a side has no persons.

    Lists cut short with *et al.* do not count against a pair: the shorter list decides the
    share. Names are matched exactly first (cheap), then by the fuzzy rules of one person.
    """
    if not a or not b:
        return None
    first = _same_person(a[0], b[0])
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    short, long = short[:20], long[:40]
    by_family: dict[str, list[Name]] = {}
    for name in long:
        by_family.setdefault(name.family, []).append(name)
    matched = 0
    left: list[Name] = []
    for name in short:
        same = by_family.get(name.family)
        hit = (
            next((k for k, other in enumerate(same) if _initials_agree(name, other)), -1)
            if same
            else -1
        )
        if hit >= 0:
            del same[hit]  # type: ignore[union-attr]
            matched += 1
        else:
            left.append(name)
    if left:
        rest = [n for names in by_family.values() for n in names]
        for name in left:
            for k, other in enumerate(rest):
                if _same_person(name, other):
                    matched += 1
                    del rest[k]
                    break
    same_set = matched == len(short) == len(long) and len(a) == len(b)
    return AuthorMatch(matched / len(short), first, same_set)
