"""The selection flow table and the PRISMA counts, on a review with duplicates across sources,
a snowball source with reported counts, and exclusions citing criteria at both phases."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from metasummary import Project, RecordData
from metasummary.models import SourceKind
from metasummary.report.content import ReportContent
from metasummary.report.diagram import draw
from metasummary.report.flow import COLUMNS, FlowTable
from tests.reportdata import build, report_protocol, vote


@pytest.fixture
def content(make_project: Callable[..., Project], db_url: str) -> ReportContent:
    project = make_project(report_protocol(), db=db_url)
    build(project)
    return project.report.content()


def values(table: FlowTable) -> dict[str, tuple[int | None, ...]]:
    rows = {row.source: tuple(c.value for c in row.cells) for row in table.rows}
    rows["Total"] = tuple(c.value for c in table.total.cells)
    return rows


def test_records_held_count_each_duplicate_group_once(content: ReportContent) -> None:
    held = content.flow.held
    assert [row.source for row in held.rows] == ["IEEE", "ACM", "Snowballing"]
    assert values(held) == {
        "IEEE": (4, 2, 1),
        "ACM": (3, 0, 0),
        "Snowballing": (None, 1, 1),
        "Total": (7, 3, 2),
    }
    ieee, acm, _ = held.rows
    assert (ieee.duplicates, acm.duplicates) == (0, 2)
    assert ieee.also_in == {"ACM": 2}
    assert acm.also_in == {"IEEE": 2}
    assert content.flow.duplicates == 2
    assert content.flow.shared_groups == [["IEEE", "ACM"], ["IEEE", "ACM"]]
    assert not any(c.reported for row in held.rows for c in row.cells)


def test_reported_counts_stand_beside_counted_records(content: ReportContent) -> None:
    reported = content.flow.reported
    assert reported is not None
    assert values(reported) == {
        "IEEE": (4, 2, 1),
        "ACM": (3, 0, 0),
        "Snowballing": (None, 5, 2),
        "Total": (7, 7, 3),
    }
    marks = {row.source: [c.reported for c in row.cells] for row in reported.rows}
    assert marks["Snowballing"] == [False, True, True]
    assert marks["IEEE"] == [False, False, False]
    assert [c.reported for c in reported.total.cells] == [False, True, True]
    assert [c.text() for c in reported.total.cells] == ["7", "7ʳ", "3ʳ"]
    assert len(COLUMNS) == 3


def test_prisma_counts_exclusions_per_criterion_at_each_phase(content: ReportContent) -> None:
    prisma = content.prisma
    assert prisma.databases == [("IEEE", 4), ("ACM", 3)]
    assert prisma.other_methods == [("Snowballing", 2)]
    assert (prisma.identified, prisma.identified_other, prisma.duplicates) == (7, 2, 2)
    screened = prisma.title_abstract
    assert (screened.assessed, screened.excluded, screened.pending) == (7, 3, 1)
    assert [(r.code, r.count) for r in screened.reasons] == [("I1", 1), ("E1", 2), ("E2", 1)]
    assert screened.reasons[0].label == "I1 not met: About SE for ML."
    assert screened.reasons[1].label == "E1: Model-centric."
    assessed = prisma.full_text
    assert (assessed.assessed, assessed.excluded, assessed.pending) == (3, 1, 0)
    assert [(r.code, r.count) for r in assessed.reasons] == [("E2", 1)]
    assert prisma.included == 2
    codes = {c.code: c.excluded for c in content.criteria}
    assert codes == {"I1": (1, 0), "E1": (2, 0), "E2": (1, 1)}


def test_prisma_arms_split_the_flow_by_where_records_came_from(content: ReportContent) -> None:
    databases, other = content.prisma.arms
    assert (databases.name, other.name) == ("databases", "other")
    assert (databases.identified, databases.duplicates) == (7, 2)
    assert (databases.screening.assessed, databases.screening.excluded) == (5, 3)
    assert (databases.sought, databases.eligibility.assessed, databases.included) == (2, 2, 1)
    assert [(r.code, r.count) for r in databases.eligibility.reasons] == [("E2", 1)]
    assert (other.identified, other.duplicates, other.screening.assessed) == (2, 0, 2)
    assert (other.sought, other.included) == (1, 1)
    assert other.not_retrieved is None  # retrieval is not recorded
    # The snowballing source reports 5 after title/abstract and 2 in the final selection.
    assert (other.reported.title_abstract, other.reported.full_text) == (5, 2)
    assert databases.reported.full_text is None
    assert content.prisma.reported_included == 3


def test_prisma_diagram_shows_the_counts(content: ReportContent) -> None:
    chart = draw(content.prisma)
    svg = chart.files["svg"].decode()
    for text in (
        "Identification of studies via databases and registers",
        "Identification of studies via other methods",
        "Databases and registers",
        "IEEE (n = 4)",
        "Snowballing (n = 2)",
        "Duplicate records removed",
        "Records screened",
        "awaiting a decision (n = 1)",
        "Reports sought for retrieval",
        "(n = 1; reported 5ʳ)",
        "Reports not retrieved",
        "E2: Non-technical people only.",
        "Studies included in review",
        "(n = 2; reported 3ʳ)",
        "ʳ reported by the source",
    ):
        assert text in svg.replace("\u00a0", " "), text
    assert chart.files["png"].startswith(b"\x89PNG")
    assert chart.files["pdf"].startswith(b"%PDF")


def test_snowballing_rounds_make_one_row(make_project: Callable[..., Project]) -> None:
    project = make_project(report_protocol())
    build(project)
    (late,) = project.add_records(
        "Snowballing round 2", [RecordData(title="Late paper", year=2022)], kind=SourceKind.SNOWBALL
    )
    vote(project, late, "title-abstract", "include")
    content = project.report.content()
    held = values(content.flow.held)
    assert list(held) == ["IEEE", "ACM", "Snowballing", "Total"]
    assert held["Snowballing"] == (None, 2, 1)
    assert held["Total"] == (7, 4, 2)
    (row,) = [r for r in content.flow.held.rows if r.source == "Snowballing"]
    assert row.records == 3
    assert row.parts == [
        "Snowballing: 2 candidates, 1 after title/abstract, 1 in the final selection",
        "Snowballing round 2: 1 candidate, 1 after title/abstract, 0 in the final selection",
    ]
    reported = content.flow.reported
    assert reported is not None
    assert values(reported)["Snowballing"] == (None, 5, 2)
    assert content.prisma.other_methods == [("Snowballing", 2), ("Snowballing round 2", 1)]
