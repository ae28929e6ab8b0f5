"""Theme suggestions rank the obvious theme first, flag near-duplicates, and move nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from metasummary import InputError, Project, embeddings
from metasummary.synthesis.centroids import Method, near_duplicates, rank_themes
from tests.synthesis_data import add_finding, add_papers, event_count, snapshot, synthesis_protocol

TRAIN = [
    ("No specification of what the model should do makes testing hard", "specs"),
    ("Unclear accuracy goals and no test oracle for the model", "specs"),
    ("Customers expect a perfect AI without mistakes", "expectations"),
    ("Managers do not understand what ML can do and expect magic", "expectations"),
]


def test_rank_themes_by_nearest_centroid() -> None:
    ranked = rank_themes(
        [t for t, _ in TRAIN],
        [[label] for _, label in TRAIN],
        ["Testing the model is hard without an oracle", "The customer expects magic"],
        theme_texts={
            "specs": "Lack of specifications",
            "expectations": "Expectations",
            "empty": "Data quality",
        },
    )
    assert [r[0][0] for r in ranked] == ["specs", "expectations"]
    assert len(ranked[0]) == 3
    assert ranked[0][0][1] > ranked[0][1][1]
    # A theme with no findings yet is found by its label.
    only_label = rank_themes(
        [],
        [],
        ["poor data quality in pipelines"],
        theme_texts={"a": "Model deployment", "b": "Data quality"},
    )
    assert only_label[0][0][0] == "b"


def test_near_duplicates() -> None:
    texts = [
        "Testing ML models is difficult due to lack of specifications",
        "testing ML models is difficult due to a lack of specifications!",
        "Customers expect a perfect AI",
    ]
    pairs = near_duplicates(texts)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert len(near_duplicates(texts, threshold=0.0)) == 3
    assert near_duplicates(texts[:1]) == []


def test_suggestions_for_unsorted_findings_move_nothing(
    make_project: Callable[..., Project],
) -> None:
    project = make_project(synthesis_protocol())
    first, second = add_papers(project, ["One", "Two"])
    sorting = project.synthesis.sorting
    themes = {
        "specs": sorting.create_theme("QA", "Lack of specifications").id,
        "expectations": sorting.create_theme("ORG", "Unrealistic expectations").id,
    }
    for text, label in TRAIN:
        sorting.move_findings([add_finding(project, first, text)], themes[label])
    wanted = add_finding(project, second, "There is no oracle to test the model")
    duplicate = add_finding(project, second, "Customers expect a perfect AI without mistakes!")
    before, events = snapshot(project), event_count(project)

    report = project.synthesis.suggestions.suggest()
    assert report.trained_on == 4
    by_finding = {s.finding_id: s for s in report.suggestions}
    assert set(by_finding) == {wanted, duplicate}
    assert by_finding[wanted].themes[0].theme_id == themes["specs"]
    assert by_finding[wanted].themes[0].stage == "QA"
    assert by_finding[duplicate].themes[0].theme_id == themes["expectations"]
    assert [(d.second, d.same_paper) for d in report.duplicates] == [(duplicate, False)]
    assert (snapshot(project), event_count(project)) == (before, events)

    only = project.synthesis.suggestions.suggest([wanted], top=1, duplicates=False)
    assert [len(s.themes) for s in only.suggestions] == [1]
    assert only.duplicates == []
    with pytest.raises(InputError, match="no such active finding"):
        project.synthesis.suggestions.suggest([999])


def test_suggestions_need_themes(make_project: Callable[..., Project]) -> None:
    project = make_project(synthesis_protocol())
    with pytest.raises(InputError, match="no themes yet"):
        project.synthesis.suggestions.suggest()


@pytest.mark.slow
def test_embedding_suggestions_rank_by_meaning() -> None:
    if not embeddings.available():
        pytest.skip("the semantic extra is not installed")
    ranked = rank_themes(
        [t for t, _ in TRAIN],
        [[label] for _, label in TRAIN],
        ["Clients believe artificial intelligence never errs"],
        method=Method.EMBEDDING,
    )
    assert ranked[0][0][0] == "expectations"
