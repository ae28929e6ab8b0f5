"""What a report shows that the records cannot say: a notice, and published theme counts.

A review that rebuilds or updates a published one can keep the counts the publication
reported for its themes ("17x"); the report shows them beside the counts computed from the
data, marked as reported. The notice is a paragraph shown at the top of every report (the
built-in example says there that it is a miniature). Both live in the database's ``meta``
table as one JSON value, so a review opened by URL reports the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from metasummary.store import meta

KEY = "report_annotations"


@dataclass(slots=True)
class Annotations:
    notice: str = ""
    reported_frequency: dict[int, int] = field(default_factory=dict)
    """Theme id -> the frequency a publication reported for it."""

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "notice": self.notice,
            "reported_frequency": {str(k): v for k, v in sorted(self.reported_frequency.items())},
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False)


def load(conn: sa.Connection) -> Annotations:
    text = meta.get(conn, KEY)
    if not text:
        return Annotations()
    data = json.loads(text)
    return Annotations(
        notice=str(data.get("notice", "")),
        reported_frequency={int(k): int(v) for k, v in data.get("reported_frequency", {}).items()},
    )


def save(conn: sa.Connection, annotations: Annotations) -> None:
    meta.put(conn, KEY, annotations.to_json())
