from __future__ import annotations

from pathlib import Path

import pytest

from metasummary import ProtocolError, load_protocol, parse_protocol
from metasummary.example.demo import example_file
from metasummary.project import protocol_template
from tests.helpers import protocol_data, protocol_text, to_yaml


def problems_of(text: str) -> list[str]:
    with pytest.raises(ProtocolError) as info:
        parse_protocol(text, name="protocol.yaml")
    return info.value.problems


def test_template_and_example_are_valid() -> None:
    template = parse_protocol(protocol_template("My review"))
    assert template.title == "My review"
    assert template.criteria.codes() == ["I1", "I2", "E1", "E2"]
    example = parse_protocol(example_file("protocol.yaml"))
    assert [g.name for g in example.query.groups] == ["A", "B", "C"]
    assert sum(s.reported.identified or 0 for s in example.sources if s.reported) == 341


def test_title_with_quotes_survives_the_template() -> None:
    assert parse_protocol(protocol_template('A "quoted": title')).title == 'A "quoted": title'


def test_duplicate_code_names_path_and_line() -> None:
    data = protocol_data()
    data["criteria"]["exclusion"].append({"code": "E2", "text": "Again."})
    text = to_yaml(data)
    dup_line = [i for i, s in enumerate(text.splitlines(), 1) if "code: E2" in s][-1]
    assert problems_of(text) == [
        f"protocol.yaml:{dup_line}: criteria.exclusion[2].code: duplicate code 'E2'"
    ]


def test_three_mistakes_give_three_lines() -> None:
    data = protocol_data()
    data["criteria"]["exclusion"][1]["code"] = "E1"  # duplicate code
    data["sources"][0]["kind"] = "website"  # not a source kind
    data["stages"][0]["lable"] = "typo"  # unknown key
    problems = problems_of(to_yaml(data))
    assert len(problems) == 3, problems
    assert any("criteria.exclusion[1].code: duplicate code 'E1'" in p for p in problems)
    assert any("sources[0].kind: 'website' is not one of" in p for p in problems)
    assert any("stages[0].lable: unknown key" in p for p in problems)
    for problem in problems:
        assert problem.startswith("protocol.yaml:")
        assert int(problem.split(":")[1]) > 1


def test_structural_and_semantic_problems_reported_together() -> None:
    data = protocol_data(
        extraction={
            "fields": [
                {"name": "study_type", "type": "choice"},
                {"name": "n", "type": "integer", "choices": ["a"]},
            ]
        }
    )
    data["title"] = ""
    problems = problems_of(to_yaml(data))
    assert any(p.endswith("title: String should have at least 1 character") for p in problems)
    assert any("extraction.fields[0].choices: a choice field needs choices" in p for p in problems)
    assert any("extraction.fields[1].choices: choices only apply" in p for p in problems)


def test_year_range_backwards() -> None:
    query = protocol_data()["query"] | {"years": {"from": 2022, "to": 2010}}
    assert any(
        "query.years.from: year range 2022-2010 runs backwards" in p
        for p in problems_of(protocol_text(query=query))
    )


def test_bad_yaml_names_its_line() -> None:
    with pytest.raises(ProtocolError) as info:
        parse_protocol("title: x\ncriteria: [\n  - a\n", name="p.yaml")
    assert str(info.value).startswith("p.yaml:")
    assert "not valid YAML" in str(info.value)


def test_not_a_mapping() -> None:
    with pytest.raises(ProtocolError, match="must be a mapping"):
        parse_protocol("- just\n- a list\n")


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ProtocolError, match="metasummary init"):
        load_protocol(tmp_path / "protocol.yaml")


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "protocol.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + protocol_text().encode())
    assert load_protocol(path).title == "Test review"


def test_query_not_group_and_years_alias() -> None:
    query = {
        "groups": [{"name": "A", "terms": ["ml"], "field": "title"}],
        "not": {"name": "N", "terms": ["tutorial"]},
        "years": {"from": 2010, "to": 2022},
    }
    protocol = parse_protocol(protocol_text(query=query))
    assert protocol.query.not_ is not None
    assert protocol.query.not_.terms == ["tutorial"]
    assert protocol.query.years is not None
    assert (protocol.query.years.start, protocol.query.years.end) == (2010, 2022)
