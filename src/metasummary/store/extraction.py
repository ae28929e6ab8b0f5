"""Extraction values: one JSON value per record, field and coder."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from metasummary.store.clock import now
from metasummary.store.schema import extraction_values


def values(conn: sa.Connection, *, coder: str = "") -> dict[tuple[int, str], Any]:
    """{(record id, field): value} for one coder; a cleared value reads as ``None``."""
    query = sa.select(
        extraction_values.c.record_id, extraction_values.c.field, extraction_values.c.value
    ).where(extraction_values.c.coder == coder)
    return {(row.record_id, row.field): row.value for row in conn.execute(query)}


def put(conn: sa.Connection, record_id: int, field: str, value: Any, *, coder: str = "") -> None:
    """Set one value (``None`` clears it; the row stays so the history reads straight)."""
    where = (
        (extraction_values.c.record_id == record_id)
        & (extraction_values.c.field == field)
        & (extraction_values.c.coder == coder)
    )
    # JSON null and SQL NULL differ; store a cleared value as SQL NULL on both engines.
    stored: Any = sa.null() if value is None else value
    found = conn.execute(sa.select(extraction_values.c.id).where(where)).first()
    if found is None:
        conn.execute(
            extraction_values.insert().values(
                record_id=record_id, field=field, coder=coder, value=stored, created_at=now()
            )
        )
    else:
        conn.execute(
            extraction_values.update()
            .where(extraction_values.c.id == found.id)
            .values(value=stored)
        )
