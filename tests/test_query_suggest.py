"""Term suggestions of ``query check``: phrases, spelling variants, separation, placement, fixes.

The records are written for these tests (software fault prediction, the issue's example).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project, RecordData
from metasummary.query.concepts import SeedText, concepts_of
from metasummary.query.fixes import fix_for, stem
from metasummary.query.model import build_query
from metasummary.query.phrases import keyword_phrases, phrases
from metasummary.query.placement import place
from metasummary.query.separation import log_odds_z
from metasummary.query.stopwords import is_break, stands_alone
from metasummary.query.suggest import suggest_terms
from metasummary.query.text import fold, tokens
from metasummary.query.variants import british, concept_key, token_key, variant_phrases
from metasummary.sources import decode, read, sniff
from tests.helpers import protocol_text


def surfaces(text: str) -> set[str]:
    return {c.surface for c in phrases(text)}


# -- phrases --------------------------------------------------------------------------------


def test_phrases_split_at_stop_words_and_punctuation() -> None:
    found = surfaces("Predicting fault-prone modules in large software systems: a case study of ML")
    assert {"fault-prone modules", "predicting fault-prone modules", "software systems"} <= found
    assert {"large software systems", "case study", "fault-prone", "ml"} <= found
    # never across the colon or a stop word, never a generic word alone
    assert not {"systems case", "modules in", "large", "study", "case", "of"} & found
    assert all(len(c.surface.split()) <= 4 for c in phrases("a b c d e f g h " * 3))


def test_phrases_keep_tokens_as_the_index_sees_them() -> None:
    (fault_prone,) = [c for c in phrases("Fault-prone.") if c.surface == "fault-prone"]
    assert fault_prone.tokens == ("fault", "prone")
    assert "developer" in surfaces("The developer's view")  # possessive dropped
    assert "significantly" not in surfaces("significantly fewer defects")  # academic word


def test_keywords_are_split_one_at_a_time() -> None:
    found = {c.surface for c in keyword_phrases(["Pain, Postoperative", "Software metrics"])}
    assert {"pain", "postoperative", "software metrics"} <= found
    assert "postoperative software" not in found


# -- spelling variants ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (["fault", "prone"], ["faultprone"]),
        (["data", "sets"], ["dataset"]),
        (["behaviour"], ["behaviors"]),
        (["organisations"], ["organization"]),
        (["modelling"], ["modeling"]),
        (["paediatric"], ["pediatric"]),
        (["analysed"], ["analyzed"]),
        (["centre"], ["center"]),
    ],
)
def test_spelling_variants_fold_to_one_key(one: list[str], other: list[str]) -> None:
    assert concept_key(one) == concept_key(other)


def test_different_words_stay_apart() -> None:
    assert token_key("four") != token_key("for")
    assert token_key("hour") == "hour"
    assert concept_key(["fault"]) != concept_key(["defect"])


def test_variant_phrases_find_every_spelling() -> None:
    found = {p.tokens for p in variant_phrases([("behaviour", "model")])}
    assert {("behaviour", "model"), ("behavior", "models"), ("behaviourmodel",)} <= found
    assert british("organization") == "organisation"
    assert british("software") is None


def test_concepts_fold_the_seeds_spellings_into_one_line() -> None:
    seeds = [
        SeedText("Fault-prone modules", "We study fault-prone modules."),
        SeedText("Finding fault prone module sets"),
    ]
    concept = concepts_of(seeds)[concept_key(["fault", "prone", "modules"])]
    assert concept.docs == {0, 1}
    assert concept.text == "fault-prone modules"
    assert concept.variants == ("fault prone module",)


# -- separation -----------------------------------------------------------------------------


def test_separation_prefers_shared_specific_terms() -> None:
    specific = log_odds_z(3, 5, 40, 2000)  # 3 of 5 seeds, 2 % of the rest
    generic = log_odds_z(5, 5, 1800, 2000)  # every seed, 90 % of the rest
    seeds_only = log_odds_z(2, 5, 0, 2000)  # two seeds and nothing else
    assert specific > generic > 0
    assert specific > seeds_only
    assert log_odds_z(5, 5, 2000, 2000) == 0.0


# -- a small review: software fault prediction ----------------------------------------------

QUERY = {
    "groups": [
        {"name": "A", "terms": ["software"]},
        {"name": "B", "terms": ["fault"]},
        {"name": "C", "terms": ["prediction"]},
    ]
}


def records() -> list[RecordData]:
    both = [
        RecordData(title=f"Fault and defect data of release {i}", abstract="Faults by module.")
        for i in range(8)
    ]
    defect_only = [
        RecordData(title=f"Defect reports in open source project {i}", abstract="Software bugs.")
        for i in range(3)
    ]
    other = [
        RecordData(title=f"Usability of mobile software {i}", abstract="A user study.")
        for i in range(10)
    ] + [
        RecordData(title=f"A survey of software developers {i}", abstract="On their tools.")
        for i in range(3)
    ]
    # "quarterly" is used as often with each group as any record is: no group's concept
    for record in [*both[:2], *other[:4]]:
        record.abstract += " Quarterly figures."
    return both + defect_only + other


@pytest.fixture
def review(make_project: Callable[..., Project], db_url: str) -> Project:
    project = make_project(protocol_text(query=QUERY), db=db_url)
    project.add_records("Manual", records())
    project.query.ensure_index()
    return project


def placed(project: Project, text: str) -> str | None:
    query = project.query.query
    concept = next(iter(concepts_of([SeedText(text)]).values()))
    with project.store.read() as conn:
        return place(conn, query, concept.tokens, concept.clause(), []).group


def test_a_term_goes_to_the_group_it_co_occurs_with(review: Project) -> None:
    assert placed(review, "defect") == "B"  # 8 of its 11 records match B, a third of all do
    assert placed(review, "quarterly") is None  # with each group by chance only: a new group


def test_a_term_a_group_finds_or_shares_a_word_with_goes_there(
    make_project: Callable[..., Project],
) -> None:
    query = {"groups": [{"name": "A", "terms": ["software"]}, {"name": "B", "terms": ["fault"]}]}
    project = make_project(protocol_text(query=query))
    assert placed(project, "fault tree") == "B"  # B finds it already: it narrows B
    phrase = {"groups": [{"name": "B", "terms": ["fault prediction"]}]}
    other = make_project(protocol_text(query=phrase), name="other")
    assert placed(other, "fault proneness") == "B"  # shares "fault"


def test_suggestions_are_phrases_placed_in_groups(review: Project) -> None:
    query = review.query.query
    seeds = [
        SeedText("Fault-prone software modules", "Predicting fault-prone modules."),
        SeedText("Fault prone classes", "Fault-prone classes and defect density."),
        SeedText("Defect density of fault-prone files", "We predict fault-prone files."),
    ]
    with review.store.read() as conn:
        found = suggest_terms(conn, query, seeds, limit=5)
    by_text = {s.text: s for s in found}
    assert "fault-prone" in by_text
    assert by_text["fault-prone"].variants == ("fault prone",)
    assert by_text["fault-prone"].group == "B"
    assert by_text["fault-prone"].seeds == 3
    assert all(s.text not in {"software", "fault", "prediction"} for s in found)


# -- the smallest change that finds a missed seed -------------------------------------------


def test_truncation_finds_a_word_the_term_does_not(review: Project) -> None:
    seed = SeedText("Predicting faults in software")
    with review.store.read() as conn:
        fix = fix_for(conn, review.query.query, "C", seed, [seed], {})
    assert fix is not None
    assert (fix.kind, fix.term, fix.widens, fix.matches) == (
        "truncation",
        "predict*",
        "prediction",
        "predicting",
    )
    hints = {h.library: h for h in fix.libraries}
    assert hints["pubmed"].text == "predict*"
    assert hints["sciencedirect"].text == ""
    assert "no wildcards" in hints["sciencedirect"].warning
    assert "no wildcards" in hints["openalex"].warning


def test_stems_keep_most_of_both_words() -> None:
    assert stem("prediction", "predicting") == "predict"
    assert stem("estimation", "estimate") == "estimat"
    assert stem("software", "softly") is None
    assert stem("interview", "interviews") is None  # a number form: the index finds it


def test_proximity_for_a_phrase_whose_words_stand_apart(
    make_project: Callable[..., Project],
) -> None:
    query = {"groups": [{"name": "B", "terms": ["software engineering"]}]}
    project = make_project(protocol_text(query=query))
    seed = SeedText("Notes", "On the engineering of machine learning software.")
    with project.store.read() as conn:
        fix = fix_for(conn, build_query(project.protocol.query), "B", seed, [seed], {})
    assert fix is not None
    assert fix.kind == "proximity"
    hints = {h.library: h for h in fix.libraries}
    assert hints["scopus"].text == "(software W/3 engineering)"
    assert hints["pubmed"].text == '"software engineering"[tiab:~3]'
    assert hints["acm"].text == '"software engineering"~3'
    assert "no proximity operator" in hints["sciencedirect"].warning


def test_a_term_of_the_seed_that_belongs_with_the_group(review: Project) -> None:
    seed = SeedText("Defect reports of a compiler", "Defect data from bug trackers.")
    seeds = [seed, SeedText("Defect data at scale", "Defect counts per release.")]
    with review.store.read() as conn:
        fix = fix_for(conn, review.query.query, "B", seed, seeds, {})
    assert fix is not None
    assert (fix.kind, fix.group) == ("term", "B")
    assert "defect" in fix.term


@pytest.mark.parametrize(
    "relative", ["scopus/scopus.csv", "ieee/ieee.csv", "web_of_science/wos_plaintext.txt"]
)
def test_index_terms_of_real_exports_become_candidates(shared_data: Path, relative: str) -> None:
    """Author keywords and index terms (Scopus, IEEE Terms, WoS DE/ID) reach the candidates."""
    path = shared_data / "exports" / relative
    doc = decode(path.read_bytes(), str(path))
    records = [i for i in read(doc, sniff(doc)) if isinstance(i, RecordData)]
    checked = 0
    for record in records:
        seed = SeedText(record.title, record.abstract, tuple(record.keywords))
        keys = {concept_key(c.tokens) for c in seed.candidates()}
        for keyword in record.keywords:
            words = fold(keyword).split()
            if not 1 <= len(words) <= 4 or any(is_break(w) for w in words):
                continue
            if len(words) == 1 and not stands_alone(words[0]):
                continue
            if not all(w.replace("-", "").isalnum() for w in words):
                continue
            assert concept_key(tokens(keyword)) in keys, keyword
            checked += 1
    assert checked >= 10
