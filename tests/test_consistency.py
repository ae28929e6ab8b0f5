"""Silent inconsistencies made loud (issue 18, failure 5): ``protocol check`` against the data,
orphan criteria shown the same way in every part of the report, an unmet inclusion criterion
as a reason to exclude, snowballing that never calls an empty round complete, screening that
warns while duplicate pairs wait, and findings that can be retired."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project, RecordData
from metasummary.errors import InputError
from metasummary.models import SourceKind
from tests.clirunner import run
from tests.correctiondata import CRITERIA, correction_protocol, ris, write


@pytest.fixture
def review(make_project: Callable[..., Project], tmp_path: Path) -> Project:
    project = make_project(correction_protocol(dual=False))
    project.imports.import_file(
        write(tmp_path, "s.ris", ris([f"Paper {i}" for i in range(6)], database="Scopus"))
    )
    return project


def _rewrite_protocol(project: Project, **overrides: object) -> None:
    assert project.protocol_path is not None
    project.protocol_path.write_text(correction_protocol(dual=False, **overrides), encoding="utf-8")


def test_protocol_check_names_what_the_data_still_cites(review: Project) -> None:
    for record in range(1, 4):
        review.screening.decide(
            record, phase="ta", reviewer="R1", verdict="exclude", criteria=["E2"]
        )
    review.synthesis.sorting.create_theme("REQ", "Unclear goals")
    review.imports.import_file(
        write(review.root or Path(), "x.ris", ris(["Other"], doi_prefix="10.5555/o")),
        source="x.ris",
    )
    assert review.root is not None
    root = str(review.root)
    assert run("protocol", "check", "-p", root).exit_code == 0
    # The mistakes: E2 taken out while exclusions cite it, the stage holding themes
    # dropped, and a library id nobody knows.
    _rewrite_protocol(
        review,
        criteria={**CRITERIA, "exclusion": [CRITERIA["exclusion"][0]]},
        stages=[{"code": "QA", "label": "Quality", "order": 1}],
        sources=[{"name": "Scopus", "kind": "library", "library": "foo"}],
    )
    checked = run("protocol", "check", "-p", root)
    assert checked.exit_code == 1
    lines = checked.stderr.splitlines()
    assert any(
        "criteria: 'E2' is not in the protocol, but 3 stored decisions cite it" in line
        for line in lines
    )
    assert any(
        "stages: 'REQ' is not in the protocol, but it holds 1 theme" in line for line in lines
    )
    assert any("has library 'foo', which metasummary does not know" in line for line in lines)
    assert any(line.startswith("note:") and "'x.ris' holds 1 record" in line for line in lines)
    assert "Traceback" not in checked.stderr
    as_json = json.loads(run("protocol", "check", "-p", root, "--json").stdout)
    assert {p["what"] for p in as_json["problems"]} == {"criterion", "stage", "library", "source"}
    # A draft beside the review is checked as a file only.
    draft = review.root / "draft.yaml"
    draft.write_text(correction_protocol(), encoding="utf-8")
    assert run("protocol", "check", str(draft)).exit_code == 0


def test_the_report_lists_an_orphan_criterion_as_its_prisma_diagram_does(review: Project) -> None:
    for record in (1, 2):
        review.screening.decide(
            record, phase="ta", reviewer="R1", verdict="exclude", criteria=["E2"]
        )
    _rewrite_protocol(review, criteria={**CRITERIA, "exclusion": [CRITERIA["exclusion"][0]]})
    assert review.root is not None
    with Project.open(review.root) as reopened:
        content = reopened.report.content()
    reasons = {r.code: (r.label, r.count) for r in content.prisma.title_abstract.reasons}
    assert reasons["E2"] == ("E2 (not in the protocol)", 2)
    rows = {c.code: c for c in content.criteria}
    assert (rows["E2"].kind, rows["E2"].text, rows["E2"].excluded) == (
        "not in the protocol",
        "E2 (not in the protocol)",
        (2, 0),
    )


def test_an_exclusion_may_cite_an_unmet_inclusion_criterion(review: Project) -> None:
    review.screening.decide(1, phase="ta", reviewer="R1", verdict="exclude", criteria=["I2"])
    (reason,) = review.report.content().prisma.title_abstract.reasons
    assert (reason.code, reason.label) == ("I2", "I2 not met: Reports challenges.")
    with pytest.raises(InputError, match="an exclusion needs a criterion code"):
        review.screening.decide(2, phase="ta", reviewer="R1", verdict="exclude")
    with pytest.raises(InputError, match="cannot justify an inclusion"):
        review.screening.decide(2, phase="ta", reviewer="R1", verdict="include", criteria=["E1"])


def test_an_empty_snowball_round_is_neither_recorded_nor_called_complete(
    make_project: Callable[..., Project],
) -> None:
    project = make_project(correction_protocol(dual=False))
    (seed,) = project.add_records("Hand search", [RecordData(title="A seed without references")])
    project.screening.decide(seed, phase="ta", reviewer="R1", verdict="include")
    project.screening.decide(seed, phase="ft", reviewer="R1", verdict="include")
    assert project.root is not None
    root = str(project.root)
    before = json.loads(run("snowball", "status", "-p", root, "--json").stdout)
    started = run("snowball", "--no-openalex", "--direction", "backward", "-p", root)
    assert started.exit_code == 1
    assert (
        "error: none of the 1 seed paper(s) carries references to follow, and OpenAlex is off"
        in started.stderr
    )
    assert "complete" not in started.stderr
    assert json.loads(run("snowball", "rounds", "-p", root, "--json").stdout) == []
    assert json.loads(run("snowball", "status", "-p", root, "--json").stdout) == before
    assert not [s for s in project.sources.list() if s.kind == SourceKind.SNOWBALL]


def test_screening_warns_while_duplicate_pairs_wait(review: Project, tmp_path: Path) -> None:
    assert review.screening.warnings() == []
    near = ris(["Paper 0 revisited"], doi_prefix="10.7777/n")
    review.imports.import_file(write(tmp_path, "near.ris", near), source="IEEE Xplore")
    with review.store.write() as conn:
        from metasummary.store.pairs import insert_pairs

        insert_pairs(
            conn,
            [
                {
                    "record_a": 1,
                    "record_b": 7,
                    "kind": "duplicate",
                    "status": "candidate",
                    "score": 0.7,
                    "reason": "title",
                    "decided_by": "metasummary",
                }
            ],
        )
    (warning,) = review.screening.warnings()
    assert warning.startswith("1 possible duplicate pair wait for review")
    assert review.root is not None
    decided = run("decide", "2", "include", "--reviewer", "R1", "-p", str(review.root))
    assert decided.exit_code == 0
    assert decided.stderr.startswith("warning: 1 possible duplicate pair wait for review")
    review.dedup.decide(1, accept=False, actor="R1")
    assert review.screening.warnings() == []


def frequency(project: Project) -> int:
    """The "Nx" of the review's one theme: distinct papers its findings come from."""
    (stage,) = [s for s in project.synthesis.summary().stages if s.themes]
    (theme,) = stage.themes
    return theme.frequency


def test_a_mistaken_finding_is_retired_and_restored(review: Project) -> None:
    for record in (1, 2):
        review.screening.decide(record, phase="ta", reviewer="R1", verdict="include")
        review.screening.decide(record, phase="ft", reviewer="R1", verdict="include")
    findings = review.synthesis.findings
    keep = findings.add(1, "No shared vocabulary", actor="R1")
    wrong = findings.add(2, "Added to the wrong paper", actor="R1")
    theme = review.synthesis.sorting.create_theme("REQ", "Communication", actor="R1")
    review.synthesis.sorting.move_findings([keep.id, wrong.id], theme.id, actor="R1")
    assert frequency(review) == 2

    findings.retire(wrong.id, reason="wrong paper", actor="R2")
    assert [f.id for f in findings.find()] == [keep.id]
    assert frequency(review) == 1
    assert review.status().findings == 1
    with pytest.raises(InputError, match="was retired; bring it back"):
        findings.edit(wrong.id, text="changed")
    history = findings.history(wrong.id)
    assert [(c["action"], c["actor"]) for c in history.changes][-1] == ("finding.retire", "R2")

    findings.restore(wrong.id, actor="R2")
    assert frequency(review) == 2
    with pytest.raises(InputError, match="nothing to restore"):
        findings.restore(wrong.id)
