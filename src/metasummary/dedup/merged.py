"""The merged view of a duplicate group: the best value of each field, and where it came from.

Nothing is merged in the store: this view is computed from the group's records each time,
so unlinking a record changes it back.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from metasummary.dedup.entry import clean_title
from metasummary.dedup.locators import normalise_doi, normalise_pages
from metasummary.dedup.text import fold
from metasummary.models import RecordData
from metasummary.store.records import StoredRecord


@dataclass(slots=True)
class MergedRecord:
    """One paper as its duplicate group describes it best."""

    canonical: int
    members: list[int]
    data: RecordData
    provenance: dict[str, int] = field(default_factory=dict)
    """Field name → id of the record its value came from."""
    sources: dict[int, str] = field(default_factory=dict)
    """Record id → name of its source."""

    def to_dict(self) -> dict[str, Any]:
        data = {
            name: getattr(self.data, name)
            for name in ("title", "authors", "year", "venue", "volume", "issue", "pages", "doi")
        }
        data |= {"abstract": self.data.abstract, "keywords": self.data.keywords}
        return {
            "canonical": self.canonical,
            "members": [{"record": m, "source": self.sources.get(m, "")} for m in self.members],
            "record": data,
            "provenance": {
                name: {"record": rid, "source": self.sources.get(rid, "")}
                for name, rid in self.provenance.items()
            },
        }


def _title_quality(value: str) -> tuple[int, int]:
    cleaned = clean_title(value)
    mixed = not (cleaned.isupper() or cleaned.islower())
    return int(mixed), len(cleaned)


def _pages_quality(value: str) -> tuple[int, int]:
    first, last = normalise_pages(value)
    return int(bool(first) and bool(last) and first != last), len(value)


Chooser = Callable[[list[tuple[int, Any]]], tuple[int, Any] | None]


def _longest(key: Callable[[Any], Any] = len) -> Chooser:
    def choose(values: list[tuple[int, Any]]) -> tuple[int, Any] | None:
        present = [(rid, v) for rid, v in values if v]
        return max(present, key=lambda item: key(item[1])) if present else None

    return choose


def _most_common(normalise: Callable[[Any], Any] = lambda v: v) -> Chooser:
    def choose(values: list[tuple[int, Any]]) -> tuple[int, Any] | None:
        present = [(rid, v) for rid, v in values if v not in ("", None)]
        if not present:
            return None
        counts = Counter(normalise(v) for _, v in present)
        # Most records agree on it; ties go to the earliest record (the canonical first).
        return max(present, key=lambda item: counts[normalise(item[1])])

    return choose


_CHOOSERS: dict[str, Chooser] = {
    "title": _longest(_title_quality),
    "abstract": _longest(),
    "authors": _longest(lambda names: (len(names), sum(map(len, names)))),
    "year": _most_common(),
    "venue": _longest(),
    "volume": _most_common(fold),
    "issue": _most_common(fold),
    "pages": _longest(_pages_quality),
    "doi": _most_common(normalise_doi),
    "url": _longest(),
    "type": _most_common(),
    "language": _most_common(),
    "publisher": _longest(),
}


def merge_group(canonical: int, group: Sequence[StoredRecord]) -> MergedRecord:
    """The best value of each field across ``group`` (canonical record first on ties)."""
    ordered = sorted(group, key=lambda r: (r.id != canonical, r.id))
    merged = RecordData()
    provenance: dict[str, int] = {}
    for name, choose in _CHOOSERS.items():
        picked = choose([(r.id, getattr(r.data, name)) for r in ordered])
        if picked is not None:
            provenance[name], value = picked
            setattr(merged, name, list(value) if isinstance(value, list) else value)
    keywords: dict[str, None] = {}
    for record in ordered:
        keywords.update(dict.fromkeys(record.data.keywords))
    merged.keywords = list(keywords)
    merged.original_key = next((r.data.original_key for r in ordered if r.id == canonical), "")
    return MergedRecord(canonical, [r.id for r in ordered], merged, provenance)
