"""Builders for synthesis tests: a protocol with stages and extraction fields, included papers
(screened in through decisions), findings and a board, all made in code."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from metasummary import Project
from metasummary.models import PHASES, RecordData, SourceKind
from metasummary.store import catalog
from metasummary.store import themes as store_themes
from metasummary.store.schema import assignments, decisions, events, extraction_values, findings
from metasummary.store.schema import themes as themes_table
from tests.helpers import protocol_text

STAGES = [
    {"code": "REQ", "label": "Requirements", "order": 1},
    {"code": "QA", "label": "Quality assurance", "order": 2},
    {"code": "ORG", "label": "Organisation and collaboration", "order": 3},
]
FIELDS: list[dict[str, Any]] = [
    {"name": "research_questions", "type": "list", "label": "Listed RQs"},
    {"name": "study_method", "type": "text", "label": "Study method"},
    {"name": "study_type", "type": "choice", "choices": ["interview", "survey", "both", "other"]},
    {"name": "practitioners", "type": "integer", "allow_unspecified": True},
    {"name": "venue_category", "type": "text"},
]


def synthesis_protocol(**overrides: Any) -> str:
    values: dict[str, Any] = {"stages": STAGES, "extraction": {"fields": FIELDS}}
    values.update(overrides)
    return protocol_text(**values)


def include(project: Project, record_ids: Sequence[int], *, reviewer: str = "R1") -> None:
    """Vote each record in at title/abstract and full text (single screening decides)."""
    with project.store.write() as conn:
        reviewer_id = {r.code: r.id for r in catalog.list_reviewers(conn)}[reviewer]
        for record_id in record_ids:
            for phase in PHASES:
                conn.execute(
                    decisions.insert().values(
                        record_id=record_id,
                        phase=phase.value,
                        reviewer_id=reviewer_id,
                        kind="vote",
                        verdict="include",
                        criteria=[],
                        created_at=datetime.now(UTC),
                    )
                )


def add_papers(project: Project, titles: Sequence[str], *, included: bool = True) -> list[int]:
    """Records in the protocol's IEEE source, keyed P1, P2 ... and screened in."""
    ids = project.add_records(
        "IEEE",
        [
            RecordData(title=t, year=2018 + i % 4, original_key=f"P{i + 1}", doi=f"10.1/p{i + 1}")
            for i, t in enumerate(titles)
        ],
        kind=SourceKind.LIBRARY,
    )
    if included:
        include(project, ids)
    return ids


def add_finding(project: Project, record_id: int, text: str) -> int:
    return project.synthesis.findings.add(record_id, text).id


def snapshot(project: Project) -> dict[str, Any]:
    """Every synthesis row as stored, for exact before/after comparisons."""

    def rows(table: sa.Table) -> list[dict[str, Any]]:
        with project.store.read() as conn:
            query = sa.select(table).order_by(table.c.id)
            return [dict(r._mapping) for r in conn.execute(query)]

    return {
        "themes": rows(themes_table),
        "assignments": rows(assignments),
        "findings": rows(findings),
        "extraction_values": rows(extraction_values),
    }


def event_count(project: Project) -> int:
    with project.store.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one())


def placements(project: Project, coder: str = "") -> dict[int, int]:
    with project.store.read() as conn:
        return {a.finding_id: a.theme_id for a in store_themes.list_assignments(conn, coder=coder)}
