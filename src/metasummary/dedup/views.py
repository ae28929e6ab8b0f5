"""What the dedup service hands out: run summaries, pairs to review, groups."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from metasummary.dedup.engine import DEFAULT_THRESHOLD
from metasummary.store.pairs import PairRow
from metasummary.store.records import StoredRecord


@dataclass(slots=True)
class RunSummary:
    """What one ``dedup`` run found and changed."""

    records: int = 0
    compared: int = 0
    linked: int = 0
    groups: int = 0
    in_groups: int = 0
    duplicates: int = 0
    maybe: int = 0
    versions: int = 0
    related: int = 0
    pending: int = 0
    threshold: float = DEFAULT_THRESHOLD
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PairView:
    """A stored pair with both records, for a reviewer to compare side by side."""

    pair: PairRow
    a: StoredRecord
    b: StoredRecord
    source_a: str
    source_b: str

    def to_dict(self) -> dict[str, Any]:
        def record(r: StoredRecord, source: str) -> dict[str, Any]:
            d = r.data
            return {
                "id": r.id,
                "source": source,
                "duplicate_of": r.duplicate_of,
                "original_key": d.original_key,
                "title": d.title,
                "authors": d.authors,
                "year": d.year,
                "venue": d.venue,
                "volume": d.volume,
                "issue": d.issue,
                "pages": d.pages,
                "doi": d.doi,
            }

        return {
            "pair": self.pair.id,
            "kind": self.pair.kind,
            "status": self.pair.status,
            "score": self.pair.score,
            "reason": self.pair.reason,
            "a": record(self.a, self.source_a),
            "b": record(self.b, self.source_b),
        }


@dataclass(slots=True)
class GroupView:
    """A duplicate group: its canonical record, its members and every source they came from."""

    canonical: int
    members: list[int]
    sources: list[str] = field(default_factory=list)
