"""The query commands end to end, and the lint rules."""

from __future__ import annotations

import json
from pathlib import Path

from metasummary import RecordData
from metasummary.example.demo import build_demo
from metasummary.protocol import parse_protocol
from metasummary.query.lint import lint_query
from metasummary.query.model import parse_term
from metasummary.query.text import number_forms
from tests.clirunner import run
from tests.helpers import protocol_data, protocol_text, to_yaml


def demo(tmp_path: Path) -> Path:
    build_demo(tmp_path / "demo").close()
    return tmp_path / "demo"


def test_show_for_one_library_and_json(tmp_path: Path) -> None:
    folder = demo(tmp_path)
    result = run("query", "show", "--for", "scopus", "-p", str(folder))
    assert result.exit_code == 0
    assert result.stdout.startswith("# Scopus")
    assert "TITLE-ABS-KEY(interview OR survey OR questionnaire)" in result.stdout
    data = json.loads(run("query", "show", "--json", "-p", str(folder)).stdout)
    assert len(data) == 13
    assert {d["library"] for d in data} >= {"ieee", "acm", "pubmed", "openalex"}


def test_show_unknown_library_is_one_line(tmp_path: Path) -> None:
    result = run("query", "show", "--for", "jstor", "-p", str(demo(tmp_path)))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: library 'jstor': not known")


def test_check_on_the_built_in_example_lists_every_seed(tmp_path: Path) -> None:
    folder = demo(tmp_path)
    result = run("query", "check", "--json", "-p", str(folder))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    seeds = {s["title"]: s for s in data["seeds"]}
    assert len(seeds) == 6
    first = seeds["Software Engineering for Machine Learning: A Case Study"]
    assert first["groups"]["A"] == {"machine learning": ["title"]}
    assert first["groups"]["B"] == {"software engineering": ["title"]}
    assert first["missing"] == ["C"]
    assert first["note"] == "no mention of interview in abstract"
    table = " ".join(run("query", "check", "-p", str(folder)).stdout.split())
    assert "— missing" in table
    assert "why missed: no mention of interview in abstract" in table


def test_check_finds_seed_records_by_doi_and_explains(tmp_path: Path) -> None:
    folder = demo(tmp_path)
    from metasummary import Project

    with Project.open(folder) as project:
        project.add_records(
            "IEEE",
            [
                RecordData(
                    title="SE for ML: a case study (preprint title)",
                    abstract="We surveyed engineers building machine learning systems about "
                    "software engineering.",
                    doi="10.1109/ICSE-SEIP.2019.00042",
                    year=2019,
                )
            ],
        )
        text = project.protocol_path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    text = text.replace(
        '  - title: "Software Engineering for Machine Learning: A Case Study"\n',
        '  - title: "Software Engineering for Machine Learning: A Case Study"\n'
        '    doi: "https://doi.org/10.1109/icse-seip.2019.00042"\n',
    )
    (folder / "protocol.yaml").write_text(text, encoding="utf-8")
    data = json.loads(run("query", "check", "--json", "-p", str(folder)).stdout)
    first = data["seeds"][0]
    assert first["record_id"] == 1
    assert first["evidence"] == "record 1 (DOI)"
    assert first["groups"]["C"] == {}  # "surveyed" is not "survey": the draft's miss, shown


def test_test_records_versions_and_versions_lists_them(tmp_path: Path) -> None:
    folder = demo(tmp_path)
    assert "no versions yet" in run("query", "versions", "-p", str(folder)).stdout
    first = run("query", "test", "-p", str(folder), "--note", "the talk's query")
    assert first.exit_code == 0
    assert "recorded as query version 1" in first.stdout
    assert "unchanged" in run("query", "test", "-p", str(folder)).stdout
    protocol = folder / "protocol.yaml"
    protocol.write_text(
        protocol.read_text(encoding="utf-8").replace(
            "terms: [interview, survey, questionnaire]",
            "terms: [interview, survey, questionnaire, focus group]",
        ),
        encoding="utf-8",
    )
    assert "version 2" in run("query", "test", "-p", str(folder)).stdout
    versions = json.loads(run("query", "versions", "--json", "-p", str(folder)).stdout)
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["note"] == "the talk's query"
    assert versions[1]["changes"] == ["C + focus group"]
    assert "records" in versions[1]["hits"]


def test_lint_exit_codes(tmp_path: Path) -> None:
    folder = demo(tmp_path)
    clean = run("query", "lint", "-p", str(folder))
    assert clean.exit_code == 0
    assert "no records yet" in clean.stdout
    protocol = folder / "protocol.yaml"
    protocol.write_text(
        protocol.read_text(encoding="utf-8").replace(
            "terms: [interview, survey, questionnaire]",
            "terms: [interview, '\"survey', online survey, questionnaire]",
        ),
        encoding="utf-8",
    )
    bad = run("query", "lint", "--json", "-p", str(folder))
    assert bad.exit_code == 1
    messages = {(f["term"], f["level"]) for f in json.loads(bad.stdout)}
    assert ('"survey', "error") in messages
    assert ("online survey", "warning") in messages


def lint_of(*terms: str) -> list[tuple[str, str, str]]:
    spec = parse_protocol(
        to_yaml(protocol_data(query={"groups": [{"name": "A", "terms": list(terms)}]}))
    ).query
    return [(f.level, f.term, f.message) for f in lint_query(spec)]


def test_lint_rules() -> None:
    assert lint_of("machine learning", "deep learning") == []
    assert lint_of('"machine learning')[0][0] == "error"
    (sub,) = lint_of("deploy*", "deployment")
    assert sub[:2] == ("warning", "deployment")
    assert "subsumed by 'deploy*'" in sub[2]
    (dup,) = lint_of("ML systems", "ml Systems")
    assert dup[0] == "warning"
    assert "the same as" in dup[2]
    assert lint_of("the")[0][:2] == ("warning", "the")
    assert lint_of("software for ML")[0][0] == "note"
    assert "too short" in lint_of("ML*")[0][2]
    assert "PubMed" in lint_of("app*")[0][2]
    assert lint_of("ML OR AI")[0][0] == "error"
    assert "only a trailing *" in lint_of("*learning")[0][2]
    (plural,) = lint_of("interview", "interviews")
    assert plural[:2] == ("note", "interviews")
    assert "number form" in plural[2]


def test_terms_and_number_forms() -> None:
    term = parse_term('"deploy* ML-based"')
    assert term.text == "deploy* ML-based"
    assert term.tokens == (("deploy", True), ("ml", False), ("based", False))
    assert number_forms("interview") == ("interview", "interviews")
    assert number_forms("systems") == ("systems", "system")
    assert number_forms("studies") == ("studies", "study")
    assert number_forms("ml") == ("ml",)


def test_fingerprint_ignores_labels_but_not_terms() -> None:
    from metasummary.query.model import build_query

    def fp(**group: object) -> str:
        data = protocol_data(query={"groups": [{"name": "A", "terms": ["x"], **group}]})
        return build_query(parse_protocol(to_yaml(data)).query).fingerprint()

    assert fp(label="one") == fp(label="two")
    assert fp() != fp(terms=["y"])


def test_empty_query_is_a_clear_error(tmp_path: Path) -> None:
    from metasummary import Project

    Project.init(tmp_path / "r", protocol_text=protocol_text(query={"groups": []})).close()
    result = run("query", "show", "-p", str(tmp_path / "r"))
    assert result.exit_code == 1
    assert "query.groups is empty" in result.stderr
