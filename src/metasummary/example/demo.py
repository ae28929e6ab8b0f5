"""The built-in example review: a miniature of the CAIN 2023 meta-summary, run end to end.

``run_demo`` builds the example project from the data files in ``example/cain2023`` and
puts them through the real pipeline: the library exports are imported into their sources
and deduplicated, the query is tested and recorded as a version, the papers are screened
with the criteria codes, the extraction values and the talk's extraction-sheet rows are
imported, the talk's quotes are added as findings and card-sorted into its four themes
(with their published counts as reported counts), and the report is written in every
format.

The example holds the papers the talk names, not the paper's 50; its counts are its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from metasummary.errors import ProjectError
from metasummary.example.data import (
    EXTRACTION,
    EXTRACTION_SHEET,
    IMPORTS,
    Challenges,
    challenges,
    example_bytes,
    example_file,
    example_path,
    screening_plan,
)
from metasummary.models import Phase
from metasummary.project import Project
from metasummary.report import ReportFiles
from metasummary.store import records as store_records
from metasummary.synthesis.statements import Split

__all__ = ["DemoResult", "build_demo", "example_file", "run_demo"]

ACTOR = "demo"
NOTICE = (
    "This is metasummary's built-in example: a miniature rebuilt from the published CAIN 2023 "
    "talk (Nahar, Zhang, Lewis, Zhou, Kästner: A Meta-Summary of Challenges in Building "
    "Products with ML Components), not the paper's full data. It holds the papers the talk "
    "names, the quotes it shows and the themes it presents; its own counts are computed from "
    "those few papers. The talk's selection flow (341 → 86 → 50) and its themes' published "
    "frequencies (17x, 11x, 19x, 11x) are shown beside them as reported counts."
)


@dataclass(slots=True)
class DemoResult:
    folder: Path
    report: ReportFiles
    imported: dict[str, int] = field(default_factory=dict)
    """Records per source."""
    duplicates: int = 0
    """Records the dedup run linked to another record (the talk's papers are distinct)."""
    included: int = 0
    excluded: list[str] = field(default_factory=list)
    """``key (codes)`` of each exclusion."""
    findings: int = 0
    sorted_findings: int = 0
    themes: int = 0
    unattributed: int = 0


def build_demo(directory: Path) -> Project:
    """Create the example review in ``directory`` (which must not hold a review yet)."""
    if (directory / "protocol.yaml").exists():
        raise ProjectError(f"{directory}: already holds a review; give another folder")
    return Project.init(directory, protocol_text=example_file("protocol.yaml"))


def run_demo(directory: Path) -> DemoResult:
    """Build the example review in ``directory`` and run the whole pipeline on it."""
    with build_demo(directory) as project:
        result = DemoResult(directory, ReportFiles(directory))
        keys = _import(project, result)
        found = project.dedup.run(actor=ACTOR, workers=1)
        result.duplicates = found.duplicates
        project.query.test(
            note="the talk's query over the example's records, which hold titles but no abstracts",
            actor=ACTOR,
        )
        _screen(project, keys, result)
        _extract(project)
        data = challenges()
        _sort(project, keys, data, result)
        summary = project.synthesis.summary()
        result.findings = summary.findings
        result.sorted_findings = summary.sorted_findings
        result.report = project.report.write()
    return result


def _import(project: Project, result: DemoResult) -> dict[str, int]:
    """Each library export into its source; the record id of every citation key."""
    for name, source in IMPORTS:
        done = project.imports.import_bytes(example_bytes(name), name, source=source, actor=ACTOR)
        result.imported[source] = done.imported
    with project.store.read() as conn:
        return {r.data.original_key: r.id for r in store_records.iter_all(conn)}


def _screen(project: Project, keys: dict[str, int], result: DemoResult) -> None:
    plan = screening_plan()
    screening = project.screening
    for key in plan.include:
        for phase in (Phase.TITLE_ABSTRACT, Phase.FULL_TEXT):
            screening.decide(keys[key], phase=phase, reviewer=plan.reviewer, verdict="include")
    for exclusion in plan.exclude_title_abstract:
        screening.decide(
            keys[exclusion.paper],
            phase=Phase.TITLE_ABSTRACT,
            reviewer=plan.reviewer,
            verdict="exclude",
            criteria=exclusion.criteria,
            note=exclusion.note,
        )
        result.excluded.append(f"{exclusion.paper} ({', '.join(exclusion.criteria)})")
    result.included = len(plan.include)


def _extract(project: Project) -> None:
    synthesis = project.synthesis
    with example_path(EXTRACTION) as path:
        synthesis.extraction.import_file(path, actor=ACTOR)
    with example_path(EXTRACTION_SHEET) as path:
        synthesis.extraction.import_file(path, actor=ACTOR)
        synthesis.findings.import_file(path, split=Split.LINES, actor=ACTOR)


def _sort(project: Project, keys: dict[str, int], data: Challenges, result: DemoResult) -> None:
    synthesis = project.synthesis
    reported: dict[int, int] = {}
    themes: dict[str, int] = {}
    for spec in data.themes:
        theme = synthesis.sorting.create_theme(
            spec.stage,
            spec.label,
            description=spec.description,
            sub_points=spec.sub_points,
            actor=ACTOR,
        )
        themes[spec.label] = theme.id
        reported[theme.id] = spec.reported
        added = [
            synthesis.findings.add(keys[f.paper], f.text, kind=f.kind, actor=ACTOR).id
            for f in spec.findings
        ]
        if added:
            synthesis.sorting.move_findings(added, theme.id, actor=ACTOR)
    for placement in data.placements:
        found = [
            f.id
            for f in synthesis.findings.find(record_id=keys[placement.paper])
            if f.text == placement.text
        ]
        synthesis.sorting.move_findings(found, themes[placement.theme], actor=ACTOR)
    result.themes = len(themes)
    result.unattributed = len(data.unattributed)
    project.report.annotate(notice=NOTICE, reported_frequency=reported, actor=ACTOR)
