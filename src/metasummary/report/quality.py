"""The report's quality section and PRISMA's reports not retrieved, from the full-text step."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from metasummary.fulltext.quality import Quality
from metasummary.models import Phase, RecordState
from metasummary.report.charts import BarChart
from metasummary.report.content import AgreementRow, QualityRow, QualitySection
from metasummary.report.references import Reference
from metasummary.store import fulltexts as store_fulltexts
from metasummary.store.groups import DuplicateGroups


def quality_section(
    quality: Quality, by_paper: Mapping[int, Reference], below: set[int]
) -> QualitySection | None:
    checklist = quality.checklist
    papers = quality.papers()
    if not checklist.questions or not papers:
        return None
    ids = [q.id for q in checklist.questions]
    rows = [
        QualityRow(
            by_paper.get(p.record_id),
            p.title,
            [p.scores.get(q) for q in ids],
            p.score,
            len(p.reviewers),
            p.record_id in below,
        )
        for p in papers
    ]
    rows.sort(key=lambda r: (r.reference.number if r.reference else 10**9, r.title))
    agreement = [
        AgreementRow(
            f"Quality, {a.question}",
            " – ".join(a.raters[:2]) + (" …" if len(a.raters) > 2 else ""),
            a.items,
            a.percent.format(proportion=True) if a.percent else "–",
            a.kappa.format() if a.kappa else "–",
            a.alpha.format() if a.alpha else "–",
        )
        for a in quality.agreement()
        if a.items
    ]
    section = QualitySection(
        [(q.id, q.text) for q in checklist.questions],
        checklist.maximum,
        checklist.threshold,
        rows,
        quality.distribution(),
        agreement,
    )
    section.chart = quality_chart(section)
    return section


def quality_chart(section: QualitySection) -> BarChart | None:
    """The distribution of the papers' quality scores, drawn by the report service."""
    if not section.distribution:
        return None
    labels = [f"{score:g}" for score in section.distribution]
    return BarChart(
        "quality", "Quality scores (papers per score)", labels, list(section.distribution.values())
    )


def not_retrieved(
    conn: sa.Connection, groups: DuplicateGroups, states: Mapping[Phase, Mapping[int, RecordState]]
) -> set[int] | None:
    """Groups sought at full text, still undecided there, with no PDF, whose open-access
    look-up found none; ``None`` while the review records no retrieval at all (no PDF
    attached, no look-up made), so the diagram says so rather than "0"."""
    attached = store_fulltexts.list_all(conn)
    fetches = store_fulltexts.fetches(conn)
    if not attached and not fetches:
        return None
    held = {groups.canonical(r.record_id) for r in attached}
    looked = {groups.canonical(r): f.status for r, f in fetches.items()}
    missing = set()
    for root, state in states[Phase.FULL_TEXT].items():
        if state in (RecordState.NOT_ELIGIBLE, RecordState.INCLUDED, RecordState.EXCLUDED):
            continue
        if root not in held and looked.get(root) in ("not-found", "failed"):
            missing.add(root)
    return missing
