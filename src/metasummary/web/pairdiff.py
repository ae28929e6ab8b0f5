"""Two records of a maybe-pair side by side: their fields aligned, the differences marked.

Values are compared after folding case, accents and punctuation, the way a reviewer reads
them; within a field the words one side has and the other lacks are marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from metasummary.dedup.views import PairView
from metasummary.query.text import tokens
from metasummary.store.records import StoredRecord
from metasummary.web.screencard import Segment

FIELDS = [
    ("title", "Title"),
    ("authors", "Authors"),
    ("year", "Year"),
    ("venue", "Venue"),
    ("volume", "Volume"),
    ("issue", "Issue"),
    ("pages", "Pages"),
    ("doi", "DOI"),
    ("original_key", "Key in file"),
    ("abstract", "Abstract"),
]
_WORDS = re.compile(r"(\s+)")


@dataclass(frozen=True, slots=True)
class FieldRow:
    """One field of both records; ``state`` is same, differs or one-missing."""

    name: str
    label: str
    a: list[Segment]
    b: list[Segment]
    state: str


def _value(record: StoredRecord, name: str) -> str:
    value = getattr(record.data, name)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _marked(words: list[str], keys: list[str], spans: list[tuple[int, int]]) -> list[Segment]:
    changed = [False] * len(words)
    for start, end in spans:
        for i in range(start, end):
            changed[i] = bool(keys[i].strip())
    segments: list[Segment] = []
    for word, hit in zip(words, changed, strict=True):
        if segments and segments[-1].hit == hit:
            segments[-1] = Segment(segments[-1].text + word, hit)
        else:
            segments.append(Segment(word, hit))
    return segments


def word_diff(a: str, b: str) -> tuple[list[Segment], list[Segment]]:
    """Both texts cut into segments, the words only one of them has marked."""
    words_a, words_b = _WORDS.split(a), _WORDS.split(b)
    keys_a = [" ".join(tokens(w)) if w.strip() else " " for w in words_a]
    keys_b = [" ".join(tokens(w)) if w.strip() else " " for w in words_b]
    matcher = SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    only_a, only_b = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            only_a.append((i1, i2))
            only_b.append((j1, j2))
    return _marked(words_a, keys_a, only_a), _marked(words_b, keys_b, only_b)


def compare(pair: PairView) -> list[FieldRow]:
    """Every field either record fills, aligned."""
    rows = [
        FieldRow(
            "source",
            "Source",
            [Segment(pair.source_a, False)],
            [Segment(pair.source_b, False)],
            "same" if pair.source_a == pair.source_b else "differs",
        )
    ]
    for name, label in FIELDS:
        a, b = _value(pair.a, name), _value(pair.b, name)
        if not a and not b:
            continue
        state = "same" if tokens(a) == tokens(b) else "differs"
        if not a or not b:
            state = "one-missing"
        if state == "differs":
            marks_a, marks_b = word_diff(a, b)
        else:
            marks_a, marks_b = [Segment(a, False)], [Segment(b, False)]
        rows.append(FieldRow(name, label, marks_a, marks_b, state))
    return rows
