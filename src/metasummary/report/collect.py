"""Collect a report's content from a review: one read of the store, then the services.

The meta-summary numbers come from ``synthesis.summary()``, the findings per theme from its
board, the query versions from the query service; the selection flow and the PRISMA
counts are derived from the records and decisions the way ``status`` derives them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from metasummary.fulltext import FullTexts
from metasummary.fulltext.quotes import QuoteStatus
from metasummary.imports.writers import ExportRecord, bibtex_keys
from metasummary.models import Phase, RecordState
from metasummary.protocol import Protocol
from metasummary.query.seeds import SeedCheck
from metasummary.query.service import QueryService
from metasummary.report import notes as report_notes
from metasummary.report.charts import BarChart
from metasummary.report.content import (
    CountLine,
    CriterionRow,
    FindingItem,
    PaperRow,
    QueryGroupRow,
    QuerySection,
    QueryVersionRow,
    ReportContent,
    SeedRow,
    StageOverview,
    ThemeSection,
    UnlocatedQuote,
)
from metasummary.report.flow import build_flow
from metasummary.report.prisma import PrismaCounts, prisma_counts
from metasummary.report.quality import not_retrieved, quality_section
from metasummary.report.references import Reference, build_references
from metasummary.report.reliability import coding_agreement, screening_agreement
from metasummary.review import Review
from metasummary.screening.decisions import Screening
from metasummary.screening.standing import Standing
from metasummary.store import clock
from metasummary.store import records as store_records
from metasummary.store.catalog import list_sources
from metasummary.store.groups import DuplicateGroups
from metasummary.store.records import StoredRecord
from metasummary.synthesis import Synthesis
from metasummary.synthesis.descriptives import Descriptives
from metasummary.synthesis.papers import normalise_doi, normalise_title
from metasummary.synthesis.summary import MetaSummary


def collect(
    review: Review,
    *,
    synthesis: Synthesis,
    screening: Screening,
    query: QueryService,
    fulltexts: FullTexts | None = None,
    timestamps: bool = False,
) -> ReportContent:
    """Everything a report shows, computed from the review's data now."""
    protocol = review.protocol
    below = fulltexts.quality.below() if fulltexts is not None else set()
    statuses = fulltexts.quotes.check(closest=False) if fulltexts is not None else []
    places = {s.finding_id: s.place for s in statuses if s.place}
    summary = synthesis.summary(leave_out=below)
    board = synthesis.board()
    with review.store.read() as conn:
        sources = list_sources(conn)
        names = {s.id: s.name for s in sources}
        fold = Standing(review.required_votes()).everything(conn)
        groups = fold.groups
        notes = report_notes.load(conn)
        included = store_records.get_many(conn, [p.id for p in summary.papers])
        seeds = _seed_papers(protocol, store_records.iter_all(conn), groups)
        unretrieved = not_retrieved(conn, groups, fold.states)
    states = fold.states
    prisma = prisma_counts(
        sources, groups, fold.folded, states, protocol.criteria, not_retrieved=unretrieved
    )
    references = build_references(
        included,
        {
            r.id: [names[s] for s in sorted(groups.sources_of_group(r.id)) if s in names]
            for r in included
        },
    )
    bibliography = _bibliography(included, references, names)
    references = [
        replace(ref, cite_key=key)
        for ref, key in zip(references, bibtex_keys(bibliography), strict=True)
    ]
    by_paper = {ref.record_id: ref for ref in references}
    coders = synthesis.coding.coders()
    cards = {column.theme.id: column.cards for lane in board.stages for column in lane.themes}
    stages = []
    for stage in summary.stages:
        themes = [
            ThemeSection(
                id=t.id,
                stage=stage.code,
                stage_label=stage.label,
                label=t.label,
                description=t.description,
                sub_points=list(t.sub_points),
                frequency=t.frequency,
                reported=notes.reported_frequency.get(t.id),
                effect=t.frequency_effect,
                rank=t.rank,
                findings=[
                    FindingItem(
                        c.text,
                        c.kind,
                        c.location,
                        c.value,
                        by_paper.get(c.paper),
                        places[c.id].page if c.id in places else None,
                    )
                    for c in cards.get(t.id, [])
                ],
                papers=sorted(
                    (by_paper[p] for p in t.papers if p in by_paper), key=lambda r: r.number
                ),
            )
            for t in stage.themes
        ]
        stages.append(
            StageOverview(
                stage.code,
                stage.label,
                stage.frequency,
                stage.frequency_effect,
                stage.findings,
                themes,
            )
        )
    quality = quality_section(fulltexts.quality, by_paper, below) if fulltexts else None
    return ReportContent(
        title=protocol.title,
        notice=notes.notice,
        generated=clock.now().strftime("%Y-%m-%d %H:%M UTC") if timestamps else "",
        research_questions=[(q.id, q.text) for q in protocol.research_questions],
        criteria=_criteria(protocol, prisma),
        query=_query(protocol, query, timestamps),
        seeds=_seeds(protocol, seeds, by_paper, query.seed_checks()),
        seed_groups=[g.name for g in protocol.query.groups] if protocol.seed_papers else [],
        flow=build_flow(sources, groups, states),
        prisma=prisma,
        screening_agreement=screening_agreement(screening.agreement()),
        coding_agreement=(
            coding_agreement(synthesis.coding.agreement(coders[0], coders[1]))
            if len(coders) >= 2
            else []
        ),
        corpus=summary.corpus,
        counts=_counts(summary.corpus),
        charts=_charts(summary.corpus),
        stages=stages,
        papers=_papers(summary, by_paper),
        references=references,
        bibliography=bibliography,
        included=summary.included_papers,
        unscreened=sum(
            1
            for p in summary.papers
            if states[Phase.FULL_TEXT].get(p.id) is not RecordState.INCLUDED
        ),
        findings=summary.findings,
        sorted_findings=summary.sorted_findings,
        quality=quality,
        unlocated=_unlocated(fulltexts, statuses, by_paper),
    )


def _unlocated(
    fulltexts: FullTexts | None, statuses: list[QuoteStatus], by_paper: dict[int, Reference]
) -> list[UnlocatedQuote]:
    missing = [s.finding_id for s in statuses if s.status == "not-found"]
    if fulltexts is None or not missing:
        return []
    return [
        UnlocatedQuote(
            s.text,
            by_paper.get(s.record_id),
            s.closest.page if s.closest else None,
            s.closest.passage if s.closest else "",
            s.closest.score if s.closest else None,
        )
        for s in fulltexts.quotes.check(finding_ids=missing)
        if s.status == "not-found"
    ]


def _seed_papers(
    protocol: Protocol, records: Iterable[StoredRecord], groups: DuplicateGroups
) -> list[int | None]:
    """The paper (canonical record id) each seed paper of the protocol is, if held."""
    if not protocol.seed_papers:
        return []
    by_title: dict[str, int] = {}
    by_doi: dict[str, int] = {}
    for record in records:
        group = groups.canonical(record.id)
        if record.data.title:
            by_title.setdefault(normalise_title(record.data.title), group)
        if record.data.doi:
            by_doi.setdefault(normalise_doi(record.data.doi), group)
    found: list[int | None] = []
    for seed in protocol.seed_papers:
        root = by_doi.get(normalise_doi(seed.doi)) if seed.doi else None
        found.append(root if root is not None else by_title.get(normalise_title(seed.title)))
    return found


def _found(check: SeedCheck) -> str:
    if check.excluded_by:
        return "no (NOT: " + ", ".join(check.excluded_by) + ")"
    if check.out_of_years:
        return f"no (year {check.year})"
    return "yes" if check.found else "no"


def _groups(check: SeedCheck) -> list[str]:
    return [
        "; ".join(f"{term} ({', '.join(fields)})" for term, fields in g.terms.items()) or "—"
        for g in check.groups
    ]


def _seeds(
    protocol: Protocol,
    found: list[int | None],
    by_paper: dict[int, Reference],
    checks: list[SeedCheck],
) -> list[SeedRow]:
    """The seed table: each seed paper, why an earlier draft missed it, which group of the
    final query finds it on which terms, and where it stands in the review."""
    rows = []
    for i, (seed, root) in enumerate(zip(protocol.seed_papers, found, strict=True)):
        check = checks[i] if checks else None
        if root is None:
            status = "not held"
        elif root in by_paper:
            status = f"included [{by_paper[root].number}]"
        else:
            status = "held, not included"
        if check is None:
            rows.append(SeedRow(seed.title, seed.note, status))
        else:
            rows.append(SeedRow(seed.title, seed.note, status, _groups(check), _found(check)))
    return rows


def _criteria(protocol: Protocol, prisma: PrismaCounts) -> list[CriterionRow]:
    cited = [
        {r.code: r.count for r in box.reasons} for box in (prisma.title_abstract, prisma.full_text)
    ]
    return [
        CriterionRow(c.code, kind, c.text, (cited[0].get(c.code, 0), cited[1].get(c.code, 0)))
        for kind, items in (
            ("inclusion", protocol.criteria.inclusion),
            ("exclusion", protocol.criteria.exclusion),
        )
        for c in items
    ]


def _query(protocol: Protocol, query: QueryService, timestamps: bool) -> QuerySection | None:
    spec = protocol.query
    if not spec.groups:
        return None

    def row(group: Any) -> QueryGroupRow:
        return QueryGroupRow(group.name, group.label, list(group.terms), group.field.value)

    years = ""
    if spec.years is not None and (spec.years.start or spec.years.end):
        years = f"{spec.years.start or '…'}–{spec.years.end or '…'}"
    versions = [
        QueryVersionRow(
            number=v.number,
            date=v.created_at.strftime("%Y-%m-%d") if timestamps else "",
            changes=list(v.changes),
            hits=v.hits.get("final"),
            group_hits={str(k): int(n) for k, n in (v.hits.get("groups") or {}).items()},
            note=v.note,
        )
        for v in query.versions()
    ]
    return QuerySection(
        groups=[row(g) for g in spec.groups],
        exclude=row(spec.not_) if spec.not_ else None,
        years=years,
        versions=versions,
    )


def _counts(corpus: Descriptives) -> list[CountLine]:
    return [
        CountLine(f.label, f.total_label, f.unspecified + f.missing)
        for f in corpus.fields
        if f.type == "integer" and f.total is not None
    ]


def _charts(corpus: Descriptives) -> list[BarChart]:
    charts = []
    if corpus.years:
        charts.append(
            BarChart("years", "Papers per year", list(corpus.years), list(corpus.years.values()))
        )
    for tally in corpus.fields:
        if tally.counts:
            charts.append(
                BarChart(
                    f"field-{tally.name}",
                    tally.label,
                    list(tally.counts),
                    list(tally.counts.values()),
                    horizontal=True,
                )
            )
    return charts


def _papers(summary: MetaSummary, by_paper: dict[int, Reference]) -> list[PaperRow]:
    rows = [
        PaperRow(by_paper.get(p.id), p.findings, p.intensity, p.themes, p.stages)
        for p in summary.papers
    ]
    return sorted(rows, key=lambda r: (-r.findings, r.reference.number if r.reference else 0))


def _bibliography(
    records: list[StoredRecord], references: list[Reference], names: dict[int, str]
) -> list[ExportRecord]:
    by_id = {r.id: r for r in records}
    return [
        ExportRecord(
            ref.record_id,
            names.get(by_id[ref.record_id].source_id, ""),
            by_id[ref.record_id].duplicate_of,
            by_id[ref.record_id].data,
        )
        for ref in references
    ]
