"""The meta-summary counts distinct papers, not findings, and agrees with a hand count."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from metasummary import Project
from metasummary.protocol import ExtractionField, FieldType
from metasummary.synthesis.descriptives import describe
from metasummary.synthesis.summary import FindingFact, PaperFact, ThemeFact, compute, rank
from tests.synthesis_data import add_finding, add_papers, synthesis_protocol


def test_rank_is_competition_ranking() -> None:
    assert rank([5, 3, 3, 1]) == [1, 2, 2, 4]
    assert rank([]) == []


def test_compute_counts_a_paper_once_per_theme() -> None:
    themes = [
        ThemeFact(10, "QA", "Lack of specs", "", [], 0),
        ThemeFact(11, "QA", "Oracle", "", [], 1),
    ]
    findings = [
        # paper 1: three findings in theme 10 -> frequency 1, findings 3
        FindingFact(1, 1, 10),
        FindingFact(2, 1, 10),
        FindingFact(3, 1, 10),
        FindingFact(4, 2, 10),
        FindingFact(5, 2, 11),
        FindingFact(6, 3, None),
    ]
    papers = [PaperFact(i, f"P{i}", f"Paper {i}", 2020) for i in (1, 2, 3, 4)]
    result = compute(
        coder="",
        stages=[("QA", "Quality assurance"), ("REQ", "Requirements")],
        themes=themes,
        findings=findings,
        papers=papers,
        corpus=describe([2020] * 4, [], [{}] * 4),
    )
    qa = result.stages[0]
    assert (qa.frequency, qa.findings, qa.frequency_effect) == (2, 5, 0.5)
    by_id = {t.id: t for t in qa.themes}
    assert (by_id[10].frequency, by_id[10].findings, by_id[10].frequency_effect) == (2, 4, 0.5)
    assert (by_id[11].frequency, by_id[11].findings) == (1, 1)
    assert [t.id for t in qa.themes] == [10, 11]
    assert [t.rank for t in qa.themes] == [1, 2]
    assert result.stages[1].frequency == 0
    assert result.stages[1].rank == 2
    intensity = {p.id: (p.findings, p.intensity, p.themes) for p in result.papers}
    assert intensity == {
        1: (3, 0.5, 1),
        2: (2, pytest.approx(2 / 6), 2),
        3: (1, pytest.approx(1 / 6), 0),
        4: (0, 0.0, 0),
    }
    assert (result.findings, result.sorted_findings, result.unsorted_findings) == (6, 5, 1)


def test_descriptives_total_is_n_plus_when_papers_do_not_say() -> None:
    fields = [
        ExtractionField(name="practitioners", type=FieldType.INTEGER, allow_unspecified=True),
        ExtractionField(
            name="study_type", type=FieldType.CHOICE, choices=["interview", "survey", "both"]
        ),
        ExtractionField(name="venue_category", type=FieldType.TEXT),
        ExtractionField(name="study_method", type=FieldType.TEXT),
    ]
    values = [
        {
            "practitioners": 20,
            "study_type": "interview",
            "venue_category": "SE",
            "study_method": "a",
        },
        {"practitioners": 7, "study_type": "both", "venue_category": "SE", "study_method": "b"},
        {
            "practitioners": "unspecified",
            "study_type": "interview",
            "venue_category": "HCI",
            "study_method": "c",
        },
        {"practitioners": None, "study_type": None, "venue_category": "SE", "study_method": "d"},
    ]
    result = describe([2019, 2021, 2019, None], fields, values)
    assert result.years == {"2019": 2, "2021": 1, "unknown": 1}
    tallies = {t.name: t for t in result.fields}
    count = tallies["practitioners"]
    assert (count.total, count.total_label, count.unspecified, count.missing) == (27, "27+", 1, 1)
    assert tallies["study_type"].counts == {
        "interview": 2,
        "survey": 0,
        "both": 1,
        "(not filled in)": 1,
    }
    assert tallies["venue_category"].counts == {"SE": 3, "HCI": 1}
    assert "study_method" not in tallies  # every paper says something of its own


def test_summary_agrees_with_a_hand_count(make_project: Callable[..., Project]) -> None:
    project = make_project(synthesis_protocol())
    p1, p2, p3, p4, p5 = add_papers(project, [f"Paper {i}" for i in range(1, 6)])
    add_papers(project, ["Excluded paper"], included=False)
    sorting = project.synthesis.sorting
    specs = sorting.create_theme("QA", "Testing ML models lacks specifications")
    expectations = sorting.create_theme("ORG", "Unrealistic expectations")
    process = sorting.create_theme("ORG", "Ad-hoc process")
    # Hand count: specs has papers p1 (3 findings), p2 (1), p3 (2) -> 3 papers, 6 findings;
    # expectations has p1 (1), p4 (2) -> 2 papers, 3 findings; process has p4 (1) -> 1, 1.
    layout = {
        specs.id: [p1, p1, p1, p2, p3, p3],
        expectations.id: [p1, p4, p4],
        process.id: [p4],
    }
    for theme_id, papers in layout.items():
        ids = [
            add_finding(project, p, f"finding {i} of theme {theme_id}")
            for i, p in enumerate(papers)
        ]
        sorting.move_findings(ids, theme_id)
    add_finding(project, p5, "not sorted yet")

    result = project.synthesis.summary()
    assert result.included_papers == 5
    assert (result.findings, result.sorted_findings) == (11, 10)
    themes = {t.id: t for s in result.stages for t in s.themes}
    assert (themes[specs.id].frequency, themes[specs.id].findings) == (3, 6)
    assert themes[specs.id].frequency_effect == pytest.approx(3 / 5)
    assert (themes[expectations.id].frequency, themes[expectations.id].findings) == (2, 3)
    assert (themes[process.id].frequency, themes[process.id].findings) == (1, 1)
    stages = {s.code: s for s in result.stages}
    assert (stages["ORG"].frequency, stages["ORG"].findings) == (2, 4)  # p1 and p4
    assert [t.label for t in stages["ORG"].themes] == ["Unrealistic expectations", "Ad-hoc process"]
    assert (stages["QA"].frequency, stages["REQ"].frequency) == (3, 0)
    p1_row = next(p for p in result.papers if p.id == p1)
    assert (p1_row.findings, p1_row.themes, p1_row.stages) == (4, 2, 2)
    assert p1_row.intensity == pytest.approx(4 / 11)
    assert result.to_dict()["stages"][1]["themes"][0]["papers"] == [p1, p2, p3]


def test_duplicate_records_count_as_one_paper(make_project: Callable[..., Project]) -> None:
    from metasummary.store.records import set_duplicate_of

    project = make_project(synthesis_protocol())
    first, second = add_papers(project, ["Same paper", "Same paper (preprint)"])
    with project.store.write() as conn:
        set_duplicate_of(conn, second, first)
    theme = project.synthesis.sorting.create_theme("QA", "Specs")
    ids = [add_finding(project, first, "a"), add_finding(project, second, "b")]
    project.synthesis.sorting.move_findings(ids, theme.id)
    result = project.synthesis.summary()
    assert result.included_papers == 1
    assert result.stages[1].themes[0].frequency == 1
