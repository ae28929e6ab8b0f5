"""Quality assessment answers: appended, the latest per paper, question and reviewer stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import quality_answers


@dataclass(frozen=True, slots=True)
class AnswerRow:
    record_id: int
    question: str
    reviewer: str
    answer: str
    note: str
    created_at: datetime


def insert_many(conn: sa.Connection, rows: Iterable[dict[str, Any]]) -> int:
    stamped = [{"created_at": now(), **row} for row in rows]
    if stamped:
        conn.execute(quality_answers.insert(), stamped)
    return len(stamped)


def standing(conn: sa.Connection) -> dict[tuple[int, str, str], AnswerRow]:
    """(record, question, reviewer) -> the latest answer; withdrawn answers ('') left out."""
    query = sa.select(
        quality_answers.c.record_id,
        quality_answers.c.question,
        quality_answers.c.reviewer,
        quality_answers.c.answer,
        quality_answers.c.note,
        quality_answers.c.created_at,
    ).order_by(quality_answers.c.id)
    latest: dict[tuple[int, str, str], AnswerRow] = {}
    for row in conn.execute(query):
        latest[(int(row[0]), str(row[1]), str(row[2]))] = AnswerRow(*row)
    return {key: row for key, row in latest.items() if row.answer}
