"""REFI-QDA codebook export and import."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import InputError, Project
from metasummary.errors import ImportFileError
from metasummary.synthesis.codebook import NAMESPACE
from tests.synthesis_data import snapshot, synthesis_protocol

NS = {"q": NAMESPACE}
GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")


def _themes(project: Project) -> list[tuple[str, str, str, list[str]]]:
    return sorted(
        (t.stage, t.label, t.description, t.sub_points) for t in project.synthesis.sorting.themes()
    )


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    project = make_project(synthesis_protocol())
    sorting = project.synthesis.sorting
    sorting.create_theme(
        "QA",
        "Testing ML models is difficult due to lack of specifications",
        description="evaluation for fit, not correctness",
        sub_points=["unclear target distributions", "oracle problem & silent mistakes"],
    )
    sorting.create_theme("ORG", "Lack of AI literacy causes unrealistic expectations")
    merged = sorting.create_theme("ORG", "Merged away")
    sorting.merge_themes([merged.id], 2)
    return project


def test_export_follows_the_codebook_schema(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "themes.qdc"
    assert project.synthesis.codebook.export(path) == 2
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{NAMESPACE}}}CodeBook"
    assert root.get("origin", "").startswith("metasummary ")
    assert [_local(c.tag) for c in root] == ["Codes"]
    stages = root.findall("q:Codes/q:Code", NS)
    assert [s.get("name") for s in stages] == [
        "Requirements",
        "Quality assurance",
        "Organisation and collaboration",
    ]
    for code in root.iter(f"{{{NAMESPACE}}}Code"):
        assert GUID.match(code.get("guid", ""))
        assert code.get("isCodable") in ("true", "false")
        tags = [_local(c.tag) for c in code]
        assert tags == sorted(tags, key=lambda t: t != "Description")  # Description first
    guids = [c.get("guid") for c in root.iter(f"{{{NAMESPACE}}}Code")]
    assert len(guids) == len(set(guids)) == 3 + 2 + 2
    qa_theme = stages[1].find("q:Code", NS)
    assert qa_theme is not None
    assert (
        qa_theme.findtext("q:Description", namespaces=NS) == "evaluation for fit, not correctness"
    )
    assert [c.get("name") for c in qa_theme.findall("q:Code", NS)] == [
        "unclear target distributions",
        "oracle problem & silent mistakes",
    ]
    again = tmp_path / "again.qdc"
    project.synthesis.codebook.export(again)
    assert again.read_bytes() == path.read_bytes()


def test_round_trip_into_another_review(
    project: Project, make_project: Callable[..., Project], tmp_path: Path
) -> None:
    path = tmp_path / "themes.qdc"
    project.synthesis.codebook.export(path)
    other = make_project(synthesis_protocol(), name="other")
    result = other.synthesis.codebook.import_file(path)
    assert (len(result.created), result.existing) == (2, 0)
    assert _themes(other) == _themes(project)
    assert other.synthesis.codebook.import_file(path).existing == 2
    other.synthesis.sorting.undo()
    assert other.synthesis.sorting.themes() == []


FLAT = f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{NAMESPACE}" origin="QualCoder">
  <Codes>
    <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="wait for condition" isCodable="true">
      <Description>tests that sleep</Description>
      <Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="fixed timeout" isCodable="true">
        <Code guid="3FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="sleep(5)" isCodable="true"/>
      </Code>
    </Code>
    <Code guid="4FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Requirements" isCodable="true">
      <Code guid="5FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="unclear goals" isCodable="true"/>
    </Code>
  </Codes>
  <Sets/>
</CodeBook>
"""


def test_a_flat_codebook_needs_a_stage(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(synthesis_protocol())
    path = tmp_path / "flat.qdc"
    path.write_text(FLAT, encoding="utf-8")
    before = snapshot(project)
    with pytest.raises(ImportFileError) as caught:
        project.synthesis.codebook.import_file(path)
    assert caught.value.problems == [
        "flat.qdc: Codes/Code[1] 'wait for condition' is not a stage of the protocol "
        "(REQ, QA, ORG); give --stage CODE to import such codes as themes of one stage"
    ]
    assert snapshot(project) == before
    with pytest.raises(InputError, match="not a stage"):
        project.synthesis.codebook.import_file(path, stage="XYZ")
    result = project.synthesis.codebook.import_file(path, stage="qa")
    assert result.created == ["wait for condition", "unclear goals"]
    assert _themes(project) == [
        ("QA", "wait for condition", "tests that sleep", ["fixed timeout", "sleep(5)"]),
        ("REQ", "unclear goals", "", []),
    ]


def test_broken_codebooks(make_project: Callable[..., Project], tmp_path: Path) -> None:
    project = make_project(synthesis_protocol())
    path = tmp_path / "broken.qdc"
    path.write_text("<CodeBook><Codes>", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"broken.qdc:1: not valid XML"):
        project.synthesis.codebook.import_file(path)
    path.write_text("<Project/>", encoding="utf-8")
    with pytest.raises(ImportFileError, match="not a REFI-QDA codebook"):
        project.synthesis.codebook.import_file(path)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
