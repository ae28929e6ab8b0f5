"""The report's tables, format-neutral: headers, rows of typed cells, and footnotes.

A cell is text, a number, a :class:`Reported` count (shown with a mark: the source reported it,
the review does not hold those records), a :class:`Share` (a proportion shown as a
percentage), :class:`~metasummary.report.content.Citations` (papers cited), or ``None`` (a
dash). Every writer renders these tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from metasummary import numbers
from metasummary.report.content import AgreementRow, Citation, Citations, ReportContent
from metasummary.report.flow import HEADERS, FlowCell, FlowTable

REPORTED_NOTE = "ʳ reported by the source; the review does not hold these records."


@dataclass(frozen=True, slots=True)
class Reported:
    value: int


@dataclass(frozen=True, slots=True)
class Share:
    value: float | None


Cell = str | int | float | Reported | Share | Citations | None


@dataclass(slots=True)
class Table:
    key: str
    """Short name: the spreadsheet's sheet name (at most 31 characters)."""
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    bold_last: bool = False
    """The last row is a total."""


def flow_cell(cell: FlowCell) -> Cell:
    if cell.value is None:
        return None
    return Reported(cell.value) if cell.reported else cell.value


def flow_table(table: FlowTable, key: str, title: str) -> Table:
    rows: list[list[Cell]] = [
        [row.source, *(flow_cell(c) for c in row.cells)] for row in (*table.rows, table.total)
    ]
    notes = [f"{n}" for n in table.notes]
    if any(c.reported for row in table.rows for c in row.cells):
        notes.append(REPORTED_NOTE)
    for row in table.rows:
        if row.kind == "snowball" and row.records and not row.reported:
            notes.append(
                f"{row.source}: {row.records} candidate{'s' if row.records != 1 else ''} from "
                "citation searching "
                "(no initial search)."
            )
        notes += [f"{part}." for part in row.parts if not row.reported]
        if row.also_in:
            listed = ", ".join(f"{name} ({n})" for name, n in row.also_in.items())
            notes.append(f"{row.source}: papers also found in {listed}; counted once, here.")
    return Table(key, title, list(HEADERS), rows, notes, bold_last=True)


def flow_tables(content: ReportContent) -> list[Table]:
    flow = content.flow
    tables = []
    if flow.reported is not None:
        tables.append(flow_table(flow.reported, "Flow reported", "Selection flow as reported"))
    held = flow_table(flow.held, "Flow held", "Selection flow of the records held")
    held.notes.insert(
        0,
        f"{flow.records} records held; {flow.duplicates} of them duplicates of another record, "
        "each duplicate group counted once after title/abstract.",
    )
    if content.unscreened:
        held.notes.append(
            f"{content.unscreened} included paper(s) were added from an extraction or findings "
            "sheet and not screened here; they are not in the flow."
        )
    tables.append(held)
    return tables


def prisma_table(content: ReportContent) -> Table:
    p = content.prisma
    rows: list[list[Cell]] = [["Records identified from databases", p.identified]]
    rows += [[f"  {name}", n] for name, n in p.databases]
    if p.other_methods:
        rows.append(["Records identified from citation searching", p.identified_other])
        rows += [[f"  {name}", n] for name, n in p.other_methods]
    rows.append(["Duplicate records removed", p.duplicates])
    for title, box, excluded in (
        ("Records screened", p.title_abstract, "Records excluded"),
        ("Reports assessed for eligibility", p.full_text, "Reports excluded"),
    ):
        if box is p.full_text and p.not_retrieved:
            rows.append(["Reports sought for retrieval", box.assessed])
            rows.append(["Reports not retrieved", p.not_retrieved])
            rows.append([title, box.assessed - p.not_retrieved])
        else:
            rows.append([title, box.assessed])
        if box.pending:
            rows.append(["  awaiting a decision", box.pending])
        rows.append([excluded, box.excluded])
        rows += [[f"  {r.label}", r.count] for r in box.reasons]
    rows.append(["Studies included in review", p.included])
    return Table("PRISMA", "PRISMA 2020 flow counts", ["Step", "n"], rows)


def criteria_table(content: ReportContent) -> Table:
    return Table(
        "Criteria",
        "Selection criteria",
        ["Code", "Kind", "Criterion", "Excluded at title/abstract", "Excluded at full text"],
        [[c.code, c.kind, c.text, *c.excluded] for c in content.criteria],
        ["An exclusion citing an inclusion criterion means the paper does not meet it."],
    )


def query_tables(content: ReportContent) -> list[Table]:
    query = content.query
    if query is None:
        return []
    groups = [*query.groups, *([query.exclude] if query.exclude else [])]
    notes = [f"Query: {query.expression}"]
    if query.years:
        notes.append(f"Years: {query.years}")
    tables = [
        Table(
            "Query",
            "Search query",
            ["Group", "Label", "Terms", "Searched in"],
            [[g.name, g.label, g.expression, g.field] for g in groups],
            notes,
        )
    ]
    if query.versions:
        headers = ["Version", *(["Date"] if any(v.date for v in query.versions) else [])]
        rows: list[list[Cell]] = [
            [
                v.number,
                *([v.date] if v.date else []),
                "; ".join(v.changes),
                ", ".join(f"{name} {n}" for name, n in v.group_hits.items()),
                v.hits,
                v.note,
            ]
            for v in query.versions
        ]
        tables.append(
            Table(
                "Query versions",
                "Query versions",
                [*headers, "Changes", "Records per group", "Records found", "Note"],
                rows,
            )
        )
    return tables


def seeds_table(content: ReportContent) -> list[Table]:
    """The seed papers, why an earlier draft missed each, which group of the final query finds
    it on which terms, and where it stands: the methods appendix's seed-paper check."""
    if not content.seeds:
        return []
    groups = content.seed_groups if all(s.groups for s in content.seeds) else []
    headers = ["Seed paper", "Why an earlier query missed it"]
    if groups:
        headers += [*groups, "Found by the query"]
    rows: list[list[Cell]] = [
        [s.title, s.note, *([*s.groups, s.found] if groups else []), s.status]
        for s in content.seeds
    ]
    notes = (
        ["Each group's column: the terms of the final query that find the paper, and where."]
        if groups
        else []
    )
    return [Table("Seed papers", "Seed papers", [*headers, "In this review"], rows, notes)]


def corpus_tables(content: ReportContent) -> list[Table]:
    corpus = content.corpus
    tables = [
        Table(
            "Years",
            "Papers per year",
            ["Year", "Papers"],
            [[year, n] for year, n in corpus.years.items()],
        )
    ]
    for tally in corpus.fields:
        if tally.counts:
            tables.append(
                Table(
                    tally.label[:31],
                    tally.label,
                    [tally.label, "Papers"],
                    [[value, n] for value, n in tally.counts.items()],
                )
            )
    if content.counts:
        tables.append(
            Table(
                "Counts",
                "Totals",
                ["Field", "Total", "Papers giving no count"],
                [[c.label, c.total, c.without] for c in content.counts],
            )
        )
    return tables


def themes_table(content: ReportContent) -> Table:
    reported = any(t.reported is not None for t in content.themes)
    rows: list[list[Cell]] = []
    for stage in (s for s in content.stages if s.themes):
        rows.append(
            [stage.label, "(stage)", stage.frequency, None, Share(stage.effect), stage.findings]
        )
        for t in stage.themes:
            rows.append(
                [stage.label, t.label, t.frequency, t.reported, Share(t.effect), len(t.findings)]
            )
    headers = ["Stage", "Theme", "Papers (x)", "Reported (x)", "Frequency effect size", "Findings"]
    table = Table("Themes", "Themes and frequency effect sizes", headers, rows)
    if not reported:
        table.headers.pop(3)
        for row in table.rows:
            row.pop(3)
    table.notes.append(
        "Frequency: distinct papers with a finding in the theme; frequency effect size: "
        "that frequency over all included papers (Sandelowski & Barroso 2003)."
    )
    return table


def meta_summary_table(content: ReportContent) -> Table:
    """The meta-summary in the layout of Sandelowski & Barroso's (2003) Table 2: each theme
    with its frequency effect size and the papers it rests on."""
    rows: list[list[Cell]] = []
    for stage in (s for s in content.stages if s.themes):
        for t in stage.themes:
            cited = Citations(tuple(Citation(ref) for ref in t.papers))
            rows.append([stage.label, t.label, t.frequency, Share(t.effect), cited])
    return Table(
        "Meta-summary",
        "Themes, their frequency effect sizes and the papers they rest on",
        ["Stage", "Theme", "Papers (x)", "Frequency effect size", "Papers"],
        rows,
        [
            f"Frequency effect size: the papers with a finding in the theme over all "
            f"{content.included} included papers (Sandelowski & Barroso 2003)."
        ],
    )


def findings_table(content: ReportContent) -> Table:
    rows: list[list[Cell]] = [
        [
            t.stage_label,
            t.label,
            f"[{f.reference.number}]" if f.reference else "",
            f.kind,
            f.text,
            f.location,
            f.value,
        ]
        for t in content.themes
        for f in t.findings
    ]
    headers = ["Stage", "Theme", "Paper", "Kind", "Finding", "Location", "Value"]
    return Table("Findings", "Findings per theme", headers, rows)


def papers_table(content: ReportContent) -> Table:
    rows: list[list[Cell]] = [
        [
            f"[{p.reference.number}] {p.reference.short}" if p.reference else "",
            p.findings,
            Share(p.intensity),
            p.themes,
            p.stages,
        ]
        for p in content.papers
    ]
    return Table(
        "Papers",
        "Intensity effect sizes of the included papers",
        ["Paper", "Findings", "Intensity effect size", "Themes", "Stages"],
        rows,
        ["Intensity effect size: the paper's findings over all findings."],
    )


def agreement_table(rows: list[AgreementRow], key: str, title: str) -> list[Table]:
    if not rows:
        return []
    return [
        Table(
            key,
            title,
            [
                "What",
                "Raters",
                "Items",
                "Percent agreement",
                "Cohen's kappa",
                "Krippendorff's alpha",
            ],
            [[r.what, r.raters, r.items, r.percent, r.kappa, r.alpha] for r in rows],
            [numbers.few_items_note()],
        )
    ]


def references_table(content: ReportContent) -> Table:
    return Table(
        "References",
        "Included papers",
        ["#", "Reference", "Found in"],
        [[f"[{r.number}]", r.text, ", ".join(r.sources)] for r in content.references],
    )


def quality_tables(content: ReportContent) -> list[Table]:
    """The quality assessment: scores per paper, their distribution, agreement."""
    q = content.quality
    if q is None or not q.rows:
        return []
    scores = Table(
        "Quality",
        "Quality assessment",
        ["Paper", *[qid for qid, _ in q.questions], "Score", "Reviewers"],
        [
            [
                f"[{r.reference.number}]" if r.reference else r.title,
                *r.scores,
                f"{r.total:g}" + (" (below threshold)" if r.below else ""),
                r.reviewers,
            ]
            for r in q.rows
        ],
        [f"{qid}: {text}" for qid, text in q.questions]
        + [f"Score out of {q.maximum:g}; a question's score is the mean of its reviewers' answers."]
        + (
            [f"Papers scoring below {q.threshold:g} are left out of the meta-summary."]
            if q.threshold is not None
            else []
        ),
    )
    spread = Table(
        "Quality scores",
        "Quality score distribution",
        ["Score", "Papers"],
        [[f"{score:g}", n] for score, n in q.distribution.items()],
    )
    return [scores, spread, *agreement_table(q.agreement, "Quality agreement", "Quality agreement")]


def unlocated_table(content: ReportContent) -> list[Table]:
    """Quotes not found in their paper's full text, with the closest passage."""
    if not content.unlocated:
        return []
    rows: list[list[Cell]] = [
        [
            f"[{q.reference.number}]" if q.reference else "–",
            q.text,
            f"p. {q.page}: {q.passage}" if q.page is not None else "–",
            Share(q.similarity / 100) if q.similarity is not None else None,
        ]
        for q in content.unlocated
    ]
    return [
        Table(
            "Quotes not found",
            "Quotes not found in their paper",
            ["Paper", "Quote", "Closest passage", "Alike"],
            rows,
            ["Checked against the paper's attached full text (metasummary findings check)."],
        )
    ]
