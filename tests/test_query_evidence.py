"""Which suggestions are significant, and the records like the seeds that widen the sample.

The records are written for these tests (software fault prediction, the issue's example).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import pytest

from metasummary import Project, RecordData
from metasummary.query.concepts import Scored, SeedText, concepts_of, score
from metasummary.query.evidence import significant_keys, step_up
from metasummary.query.feedback import by_terms, neighbours, similarity
from metasummary.query.separation import LogOdds, log_odds
from metasummary.query.suggest import select, suggest_terms
from metasummary.query.variants import concept_key
from tests.clirunner import run
from tests.helpers import protocol_text

# -- the minimum-effect test --------------------------------------------------------------


def test_p_above_tests_more_than_twice_the_odds() -> None:
    assert LogOdds(math.log(2), 0.3).p_above() == pytest.approx(0.5)
    assert LogOdds(math.log(2) + 0.3 * 1.96, 0.3).p_above() == pytest.approx(0.025, abs=1e-4)
    assert LogOdds(0.0, 0.0).p_above() == 1.0  # no evidence either way
    # A term many records use, a little more among 100 seeds: a large z, yet not twice.
    common = log_odds(60, 100, 4500, 10000)
    assert common.z > 3
    assert common.p_above() > 0.5
    # Four of five seeds and 1 % of the others: far more than twice, and significant.
    assert log_odds(4, 5, 20, 2000).p_above() < 0.001


def test_step_up_rejects_up_to_the_largest_rank_under_its_line() -> None:
    # Lines at 0.05 * k / 4: 0.0125, 0.025, 0.0375, 0.05. The second p-value is above its
    # own line, but the third is under its line, so the step-up rejects all three.
    assert step_up([0.03, 0.001, 0.2, 0.032]) == [True, True, False, True]
    assert step_up([0.04, 0.5]) == [False, False]
    assert step_up([]) == []
    assert step_up([0.01, 0.02], rate=0.01) == [False, False]


def scored(text: str, seeds: int, p_above: float, records: int | None = 10) -> Scored:
    concept = next(iter(concepts_of([SeedText(text)]).values()))
    return Scored(concept, seeds, 0, records, 3.0, 1.0, 4.0, p_above)


def test_significant_needs_the_correction_two_seeds_and_records() -> None:
    items = [
        scored("fault-prone", 3, 0.0001),
        scored("windows server", 1, 0.0001),  # one seed and its look-alikes: its own topic
        scored("complexity metrics", 2, 0.04),  # under 0.05, not after 4 tests
        scored("static analysis", 2, 0.9),
    ]
    assert significant_keys(items) == {concept_key(["fault", "prone"])}
    # Without records to count in, nothing was tested.
    assert significant_keys([scored("fault-prone", 3, 0.0001, records=None)]) == set()


def test_select_puts_the_significant_first() -> None:
    items = [scored("defect", 2, 0.5), scored("fault-prone", 3, 0.0001)]
    chosen = select(items, 2, {concept_key(["fault", "prone"])})
    assert [c.concept.text for c in chosen] == ["fault-prone", "defect"]
    assert [c.concept.text for c in select(items, 1)] == ["defect"]


# -- the records like the seeds -----------------------------------------------------------


def test_similarity_is_to_the_seeds_whole_text() -> None:
    seeds = [SeedText("Fault-prone modules", "Predicting fault-prone modules from metrics.")]
    others = [
        SeedText("Usability of mobile apps", "A user study of mobile apps."),
        SeedText("Fault-prone classes", "Predicting fault-prone classes from code metrics."),
    ]
    near, far = similarity(seeds, others)[1], similarity(seeds, others)[0]
    assert near > far >= 0.0
    assert similarity([], others) == [0.0, 0.0]


def fault_records() -> list[RecordData]:
    alike = [
        RecordData(
            title=f"Fault-prone modules of release {i}",
            abstract="Predicting fault-prone modules from code metrics and defect data.",
        )
        for i in range(8)
    ]
    # The seeds' best term, "defect", but not what the seeds are about.
    other = [
        RecordData(title=f"Defect reports of mobile apps {i}", abstract="Usability and users.")
        for i in range(6)
    ]
    unrelated = [
        RecordData(title=f"Usability of mobile software {i}", abstract="A user study.")
        for i in range(10)
    ]
    return alike + other + unrelated


@pytest.fixture
def faults(make_project: Callable[..., Project], db_url: str) -> Project:
    project = make_project(protocol_text(), db=db_url)
    project.add_records("Manual", fault_records())
    project.query.ensure_index()
    return project


def test_neighbours_are_re_ranked_by_whole_text(faults: Project) -> None:
    seeds = [
        SeedText("Predicting fault-prone modules", "Fault-prone modules and defect data."),
        SeedText("Defect data of fault-prone files", "Code metrics find fault-prone files."),
    ]
    defect = next(c for c in concepts_of(seeds).values() if c.text == "defect")
    with faults.store.read() as conn:
        profile = score(conn, [defect], seeds, len(seeds))
        found = by_terms(conn, profile, seeds)
        near = neighbours(conn, profile, seeds, limit=8)
    assert len(found) == 14  # every record using "defect", equally
    assert sorted(n.record_id or 0 for n in near) == list(range(1, 9))  # the eight alike


def test_suggestions_say_which_are_significant(
    make_project: Callable[..., Project], db_url: str
) -> None:
    query = {"groups": [{"name": "A", "terms": ["software"]}]}
    project = make_project(protocol_text(query=query), db=db_url)
    records = [
        RecordData(title=f"Software usability study {i}", abstract="Users of mobile software.")
        for i in range(190)
    ] + [
        RecordData(
            title=f"Fault-prone software modules {i}",
            abstract="Fault-prone modules in software releases.",
        )
        for i in range(10)
    ]
    project.add_records("Manual", records)
    project.query.ensure_index()
    seeds = [
        SeedText(
            f"Predicting fault-prone software modules, part {i}",
            "Fault-prone modules and their software metrics.",
        )
        for i in range(5)
    ]
    with project.store.read() as conn:
        found = suggest_terms(conn, project.query.query, seeds, limit=5)
    by_text = {s.text: s for s in found}
    assert by_text["fault-prone"].significant
    assert found[0].significant
    assert by_text["fault-prone"].to_dict()["significant"] is True
    # The significant ones come first; what follows is weaker.
    flags = [s.significant for s in found]
    assert flags == sorted(flags, reverse=True)


def test_check_shows_which_suggestions_are_significant(
    make_project: Callable[..., Project], db_url: str
) -> None:
    seeds = [
        {"title": "Predicting fault-prone modules", "abstract": "Fault-prone modules, defects."},
        {"title": "Defect data of fault-prone files", "abstract": "Metrics, fault-prone files."},
    ]
    project = make_project(protocol_text(seed_papers=seeds), db=db_url)
    project.add_records("Manual", fault_records())
    args = ("query", "check", "-p", str(project.root), "--db", db_url)
    data = json.loads(run(*args, "--json").stdout)
    assert data["suggestions"]
    assert all(isinstance(s["significant"], bool) for s in data["suggestions"])
    table = " ".join(run(*args).stdout.split())
    assert "significant: used at more than twice the odds by the seeds" in table
