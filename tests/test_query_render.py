"""The study's A/B/C query rendered for every library, pinned by golden files.

Regenerate the files after a deliberate change with ``METASUMMARY_UPDATE_GOLDEN=1 pytest
tests/test_query_render.py`` and review the diff.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest

from metasummary import InputError
from metasummary.example.demo import example_file
from metasummary.protocol import parse_protocol
from metasummary.query.libraries import LIBRARIES, library
from metasummary.query.model import BooleanQuery, build_query
from metasummary.query.render import RENDERERS, render
from tests.helpers import protocol_data, to_yaml

GOLDEN = Path(__file__).parent / "golden" / "query"


def study_query() -> BooleanQuery:
    return build_query(parse_protocol(example_file("protocol.yaml")).query)


def query_of(**query: object) -> BooleanQuery:
    return build_query(parse_protocol(to_yaml(protocol_data(query=query))).query)


def test_every_library_has_a_renderer() -> None:
    assert set(RENDERERS) == {lib.id for lib in LIBRARIES}
    assert len(RENDERERS) >= 12


@pytest.mark.parametrize("library_id", list(RENDERERS))
def test_study_query_matches_golden_file(library_id: str) -> None:
    text = render(study_query(), library_id).text()
    path = GOLDEN / f"{library_id}.txt"
    if os.environ.get("METASUMMARY_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_aliases_and_unknown_library() -> None:
    assert library("Web of Science").id == "wos"
    assert library("compendex").id == "engineeringvillage"
    with pytest.raises(InputError, match="library 'jstor': not known; use one of ieee"):
        library("jstor")


def _terms(search: str) -> set[str]:
    """The terms a rendered search holds: quoted phrases and the study's single words."""
    found = re.findall(r'"([^"]+)"|\b(interview|survey|questionnaire)\b', search)
    return {phrase or word for phrase, word in found}


def test_sciencedirect_split_keeps_every_search_within_eight_connectors() -> None:
    rendering = render(study_query(), "sciencedirect")
    assert len(rendering.searches) > 1
    for search in rendering.searches:
        connectors = len(re.findall(r"\b(AND|OR|NOT)\b", search.query))
        assert connectors <= 8
    # The union of the searches is the query: every combination of one term per group is
    # searched by exactly one of them.
    query = study_query()
    combos = itertools.product(*([t.text for t in g.terms] for g in query.groups))
    for combo in combos:
        holders = [s for s in rendering.searches if set(combo) <= _terms(s.query)]
        assert len(holders) == 1, combo
    assert "upper bound" in rendering.combine


def test_ieee_split_respects_term_limit() -> None:
    rendering = render(study_query(), "ieee")
    for search in rendering.searches:
        assert search.query.count('":') <= 25
    assert any("split into" in c for c in rendering.changes)


def test_no_split_when_query_fits() -> None:
    query = query_of(groups=[{"name": "A", "terms": ["machine learning", "deep learning"]}])
    rendering = render(query, "sciencedirect")
    assert len(rendering.searches) == 1
    assert rendering.combine == ""


def test_wildcards_are_adapted_and_explained() -> None:
    query = query_of(groups=[{"name": "A", "terms": ["deploy*", "ML*", "deploy* model"]}])
    openalex = render(query, "openalex")
    assert "*" not in openalex.searches[0].query
    assert any("deploy* → deploy" in c and "no wildcards" in c for c in openalex.changes)
    pubmed = render(query, "pubmed")
    assert "deploy*[tiab]" in pubmed.searches[0].query
    assert any("ML* → ML" in c and "4 letters" in c for c in pubmed.changes)
    springer = render(query, "springer")
    assert '"deploy model"' in springer.searches[0].query
    assert any("inside a phrase" in c for c in springer.changes)
    scopus = render(query, "scopus")
    assert '"deploy* model"' in scopus.searches[0].query


def test_not_group_field_scope_and_years() -> None:
    query = query_of(
        groups=[{"name": "A", "terms": ["machine learning"], "field": "title"}],
        **{"not": {"name": "N", "terms": ["medical"]}},
        years={"from": 2015},
    )
    scopus = render(query, "scopus").searches[0].query
    assert scopus == ('TITLE("machine learning") AND PUBYEAR > 2014 AND NOT TITLE-ABS-KEY(medical)')
    wos = render(query, "wos").searches[0].query
    assert wos == 'TI=("machine learning") AND PY=(2015-2100) NOT TS=(medical)'
    s2 = render(query, "semanticscholar").searches[0]
    assert s2.query == '("machine learning") -(medical)'
    assert "year=2015-" in s2.url
    pubmed = render(query, "pubmed").searches[0].query
    assert pubmed == '("machine learning"[ti]) AND 2015:3000[dp] NOT (medical[tiab])'
