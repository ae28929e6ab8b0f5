"""A review for the correction tests: three libraries, two blind reviewers and a third, small
export files written in code, and a reader of every count a face shows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from metasummary import Project
from metasummary.browse import RecordQuery
from metasummary.models import Phase
from tests.helpers import protocol_text

SOURCES = [
    {"name": "IEEE Xplore", "kind": "library", "library": "ieee"},
    {"name": "ACM Digital Library", "kind": "library", "library": "acm"},
    {"name": "Scopus", "kind": "library", "library": "scopus"},
]
CRITERIA = {
    "inclusion": [
        {"code": "I1", "text": "About software engineering for ML."},
        {"code": "I2", "text": "Reports challenges."},
    ],
    "exclusion": [
        {"code": "E1", "text": "Model-centric."},
        {"code": "E2", "text": "Non-technical people only."},
    ],
}
STAGES = [{"code": "REQ", "label": "Requirements", "order": 1}]
REVIEWERS = [{"id": "R1"}, {"id": "R2"}, {"id": "R3"}]


def correction_protocol(*, dual: bool = True, **overrides: object) -> str:
    mode = "dual" if dual else "single"
    values: dict[str, object] = {
        "sources": SOURCES,
        "criteria": CRITERIA,
        "stages": STAGES,
        "reviewers": REVIEWERS,
        "screening": {"title_abstract": {"mode": mode}, "full_text": {"mode": mode}},
    }
    values.update(overrides)
    return protocol_text(**values)


def ris(titles: list[str], *, database: str = "", doi_prefix: str = "10.5555/x") -> str:
    """A RIS export of ``titles``; ``database`` fills each record's DB tag, as Scopus does."""
    entries = []
    for i, title in enumerate(titles):
        lines = [
            "TY  - JOUR",
            f"TI  - {title}",
            f"AU  - Author{i}, Ann",
            f"PY  - {2018 + i % 5}",
            f"DO  - {doi_prefix}.{i}",
            "T2  - Journal of Examples",
        ]
        if database:
            lines.append(f"DB  - {database}")
        lines.append("ER  - ")
        entries.append("\n".join(lines))
    return "\n\n".join(entries) + "\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True, slots=True)
class Counts:
    """Every count a face shows of the review, read through the facade."""

    status_records: int
    status_sources: dict[str, int]
    flow_rows: dict[str, tuple[int | None, ...]]
    prisma_databases: list[tuple[str, int]]
    prisma_screened: tuple[int, int, int]
    included: int
    listed: int
    exported: int
    waiting_pairs: int


def counts(project: Project) -> Counts:
    status = project.status()
    content = project.report.content()
    out = io.StringIO()
    project.exports.records("csv", out)
    exported = len(list(csv.DictReader(io.StringIO(out.getvalue()))))
    box = content.prisma.title_abstract
    return Counts(
        status_records=status.total.records,
        status_sources={s.name: s.records for s in status.sources if s.records},
        flow_rows={row.source: tuple(c.value for c in row.cells) for row in content.flow.held.rows},
        prisma_databases=content.prisma.databases,
        prisma_screened=(box.assessed, box.excluded, box.pending),
        included=status.total.phases[Phase.FULL_TEXT.value].included,
        listed=project.browser.page(RecordQuery()).total,
        exported=exported,
        waiting_pairs=len(project.dedup.pending()),
    )
