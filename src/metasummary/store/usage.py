"""What the stored data cites: criterion codes, stages, extraction fields, reviewers, sources.

The protocol may drop an entry the data still refers to (a criterion exclusions cite, a stage
holding themes); ``protocol check`` reads these counts to say so.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from metasummary.store.live import where_live
from metasummary.store.schema import (
    decisions,
    extraction_values,
    records,
    reviewers,
    sources,
    stages,
    themes,
)


def criteria_cited(conn: sa.Connection) -> Counter[str]:
    """Criterion codes and how many stored decisions (votes, resolutions) cite each."""
    cited: Counter[str] = Counter()
    query = sa.select(decisions.c.criteria).where(decisions.c.kind != "retraction")
    for (codes,) in conn.execute(query):
        cited.update(set(codes or []))
    return cited


def stages_holding_themes(conn: sa.Connection) -> dict[str, int]:
    """Stage code -> active themes in it."""
    query = (
        sa.select(stages.c.code, sa.func.count(themes.c.id))
        .join(themes, themes.c.stage_id == stages.c.id)
        .where(themes.c.retired.is_(False))
        .group_by(stages.c.code)
    )
    return {str(code): int(n) for code, n in conn.execute(query)}


def fields_with_values(conn: sa.Connection) -> dict[str, int]:
    """Extraction field -> values stored for it."""
    query = sa.select(extraction_values.c.field, sa.func.count()).group_by(
        extraction_values.c.field
    )
    return {str(name): int(n) for name, n in conn.execute(query)}


def reviewers_with_decisions(conn: sa.Connection) -> dict[str, int]:
    """Reviewer code -> decisions they made."""
    query = (
        sa.select(reviewers.c.code, sa.func.count(decisions.c.id))
        .join(decisions, decisions.c.reviewer_id == reviewers.c.id)
        .group_by(reviewers.c.code)
    )
    return {str(code): int(n) for code, n in conn.execute(query)}


def sources_with_records(conn: sa.Connection) -> dict[str, int]:
    """Source name -> records that count in it."""
    query = where_live(
        sa.select(sources.c.name, sa.func.count(records.c.id))
        .join(records, records.c.source_id == sources.c.id)
        .group_by(sources.c.name),
        conn,
    )
    return {str(name): int(n) for name, n in conn.execute(query)}
