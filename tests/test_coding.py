"""Two coders sorting independently: agreement against values computed by hand."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from metasummary import InputError, Project
from tests.synthesis_data import add_finding, add_papers, placements, synthesis_protocol

R1 = "AAAABBBCCC"
R2 = "AAABBBCCCA"


@pytest.fixture
def project(make_project: Callable[..., Project]) -> tuple[Project, list[int], dict[str, int]]:
    project = make_project(synthesis_protocol())
    (paper,) = add_papers(project, ["Paper"])
    sorting = project.synthesis.sorting
    themes = {
        "A": sorting.create_theme("QA", "A").id,
        "B": sorting.create_theme("QA", "B").id,
        "C": sorting.create_theme("ORG", "C").id,
    }
    findings = [add_finding(project, paper, f"finding {i}") for i in range(12)]
    for coder, labels in (("R1", R1), ("R2", R2)):
        for finding, label in zip(findings, labels, strict=False):
            sorting.move_findings([finding], themes[label], coder=coder)
    sorting.move_findings([findings[10]], themes["A"], coder="R1")  # only R1 sorted it
    return project, findings, themes


def test_agreement_matches_the_hand_computed_values(
    project: tuple[Project, list[int], dict[str, int]],
) -> None:
    proj, findings, themes = project
    report = proj.synthesis.coding.agreement()
    assert (report.first, report.second) == ("R1", "R2")
    assert (report.findings, report.both, report.only_first, report.only_second) == (12, 10, 1, 0)
    # po = 7/10; pe = (4*4 + 3*3 + 3*3) / 100 = 0.34; kappa = 0.36 / 0.66
    assert report.percent.value == pytest.approx(0.7)
    assert report.kappa.value == pytest.approx(0.36 / 0.66)
    # 20 values, 6 disagreeing ordered pairs: Do = 6/20; De = (400 - 64 - 36 - 36) / (20 * 19)
    assert report.alpha.value == pytest.approx(1 - 0.3 / (264 / 380))
    # One layer up (A, B in QA; C in ORG): po = 0.8, pe = (49 + 9) / 100
    assert report.stage_kappa.value == pytest.approx((0.8 - 0.58) / 0.42)
    listed = [(d.finding_id, d.first, d.second) for d in report.disagreements]
    assert [f for f, _, _ in listed] == [findings[3], findings[6], findings[9], findings[10]]
    assert listed[0][1] is not None
    assert listed[0][1].id == themes["A"]
    assert listed[0][2] is not None
    assert listed[0][2].label == "B"
    assert listed[3][2] is None


def test_adopt_agreed_fills_the_consensus_sort_in_one_undoable_step(
    project: tuple[Project, list[int], dict[str, int]],
) -> None:
    proj, findings, themes = project
    proj.synthesis.sorting.move_findings([findings[0]], themes["C"])  # consensus already decided
    placed = proj.synthesis.coding.adopt_agreed("R1", "R2")
    assert [p.finding_id for p in placed] == [findings[i] for i in (1, 2, 4, 5, 7, 8)]
    consensus = placements(proj)
    assert consensus[findings[0]] == themes["C"]
    assert consensus[findings[4]] == themes["B"]
    assert findings[3] not in consensus
    assert proj.synthesis.coding.adopt_agreed("R1", "R2") == []
    proj.synthesis.sorting.undo()
    assert placements(proj) == {findings[0]: themes["C"]}


def test_agreement_needs_two_coders(make_project: Callable[..., Project]) -> None:
    project = make_project(synthesis_protocol())
    with pytest.raises(InputError, match="give the two coders"):
        project.synthesis.coding.agreement()
    with pytest.raises(InputError, match="two different coders"):
        project.synthesis.coding.agreement("R1", "R1")
    report = project.synthesis.coding.agreement("R1", "R2")
    assert report.kappa.value is None
