"""Snowballing rounds replayed from recorded OpenAlex works: candidates, provenance, known
papers, per-round counts, when another round is due, resuming and replaying offline."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from metasummary import Phase, Project, RecordData
from metasummary.errors import InputError, NetworkError
from metasummary.snowball import RoundSettings, Snowball, openalex
from metasummary.store import provenance
from metasummary.store import records as store_records
from metasummary.store.catalog import source_by_name
from metasummary.store.schema import api_cache, decisions, snowball_origins
from tests.snowballdata import (
    AMERSHI,
    ARPTEG,
    BOSCH,
    LWAKATARE,
    MARTINEZ,
    NAHAR,
    SCULLEY,
    SERBAN,
    ZHANG,
    FakeOpenAlex,
    SeedReview,
    build_seed_review,
    by_key,
    exclude,
    include,
    snowball_protocol,
)

ROUND_1 = "Snowballing round 1"
ROUND_2 = "Snowballing round 2"


@pytest.fixture
def review(make_project: Callable[..., Project]) -> SeedReview:
    return build_seed_review(make_project(snowball_protocol()))


def snowball(project: Project, api: FakeOpenAlex | None = None) -> tuple[Snowball, FakeOpenAlex]:
    api = api or FakeOpenAlex()
    return Snowball(project.review, fetcher=api.fetcher()), api


def origins(project: Project, source: str) -> set[tuple[int, int, str]]:
    with project.store.read() as conn:
        row = source_by_name(conn, source)
        assert row is not None
        query = sa.select(
            snowball_origins.c.record_id,
            snowball_origins.c.seed_record_id,
            snowball_origins.c.direction,
        ).where(snowball_origins.c.source_id == row.id)
        return {(r, s, d) for r, s, d in conn.execute(query)}


def screen_round_1(review: SeedReview) -> dict[str, int]:
    """Include Lwakatare's taxonomy; exclude every other new candidate."""
    found = by_key(review.project, ROUND_1)
    for key, record_id in found.items():
        if key == LWAKATARE:
            include(review.project, record_id)
        else:
            exclude(review.project, record_id)
    return found


def test_two_rounds_with_counts_provenance_and_an_end(
    make_project: Callable[..., Project], db_url: str
) -> None:
    review = build_seed_review(make_project(snowball_protocol(), db=db_url))
    project = review.project
    service, api = snowball(project)
    assert service.status().due

    first = service.run()
    assert (first.round, first.seeds, first.candidates, first.new, first.known) == (1, 3, 8, 7, 1)
    assert first.unresolved == 1  # Vogelsang & Borg: not in OpenAlex; its Scopus references count
    found = by_key(project, ROUND_1)
    assert set(found) - {ARPTEG, LWAKATARE, ZHANG, NAHAR, SERBAN, MARTINEZ} == {
        next(k for k in found if k.startswith("ref:"))
    }
    a, s, v = review.amershi, review.sculley, review.vogelsang
    assert origins(project, ROUND_1) == {
        (review.breck, a, "backward"),  # already screened: gains provenance, not a new record
        (found[LWAKATARE], a, "backward"),
        (found[LWAKATARE], a, "forward"),
        (found[LWAKATARE], s, "backward"),
        (found[ZHANG], a, "backward"),
        (found[ARPTEG], s, "backward"),
        (found[ARPTEG], v, "backward"),  # OpenAlex and the Scopus reference: one paper
        (found[NAHAR], a, "forward"),
        (found[NAHAR], s, "forward"),
        (found[SERBAN], a, "forward"),
        (found[MARTINEZ], a, "forward"),
        (next(i for k, i in found.items() if k.startswith("ref:")), v, "backward"),
    }
    (summary,) = service.rounds()
    assert (summary.seeds, summary.candidates, summary.new, summary.known) == (3, 8, 7, 1)
    assert (summary.screened, summary.included, summary.pending) == (0, 0, 7)
    state = service.status()
    assert not state.due
    assert "round 1 has 7 new candidate(s) left to screen" in state.reason
    with pytest.raises(
        InputError, match="left to screen; screen them, then start round 2; give --force"
    ):
        service.run()

    screen_round_1(review)
    (summary,) = service.rounds()
    assert (summary.screened, summary.included) == (7, 1)
    state = service.status()
    assert state.due
    assert state.fresh == {"backward": 1, "forward": 1}

    second = service.run()
    assert (second.round, second.seeds, second.candidates, second.new, second.known) == (
        2,
        1,
        5,
        1,
        4,
    )
    assert by_key(project, ROUND_2).keys() == {BOSCH}
    seed = found[LWAKATARE]
    assert origins(project, ROUND_2) == {
        (review.amershi, seed, "backward"),  # included already: provenance only
        (review.amershi, seed, "forward"),
        (review.sculley, seed, "forward"),
        (by_key(project, ROUND_2)[BOSCH], seed, "backward"),
        (found[NAHAR], seed, "forward"),
        (found[MARTINEZ], seed, "forward"),
    }
    exclude(project, by_key(project, ROUND_2)[BOSCH])
    rounds = service.rounds()
    assert [(r.round, r.new, r.known, r.screened, r.included) for r in rounds] == [
        (1, 7, 1, 7, 1),
        (2, 1, 4, 1, 0),
    ]
    state = service.status()
    assert not state.due
    assert state.reason == "round 2 added no new inclusion: snowballing is complete"
    with pytest.raises(InputError, match="snowballing is complete"):
        service.run()

    for number in (1, 2):
        api.offline = True  # a request now would fail the test
        report = service.replay(number)
        assert report.same, report
    assert (service.replay(1).candidates, service.replay(2).candidates) == (8, 5)


def test_known_papers_keep_their_decisions_and_are_not_queued_again(review: SeedReview) -> None:
    project = review.project
    service, _ = snowball(project)
    service.run()
    with project.store.read() as conn:
        count = store_records.count(conn)
        held = conn.execute(
            sa.select(sa.func.count()).where(decisions.c.record_id == review.breck)
        ).scalar_one()
        found = provenance.origins(conn, review.breck)
    assert count == 5 + 7  # Breck et al. was not added again
    assert held == 1
    assert [(o.seed_record_id, o.source, o.direction) for o in found] == [
        (review.amershi, ROUND_1, "backward")
    ]
    status = project.status()
    row = next(s for s in status.sources if s.name == ROUND_1)
    assert (row.kind, row.round, row.records, row.unique) == ("snowball", 1, 7, 7)
    assert row.phases["title-abstract"].undecided == 7  # the new candidates await screening
    assert status.sources[-1].name == ROUND_1


def test_new_records_carry_where_they_came_from(review: SeedReview) -> None:
    project = review.project
    snowball(project)[0].run()
    found = by_key(project, ROUND_1)
    with project.store.read() as conn:
        nahar = store_records.get(conn, found[NAHAR])
        reference = store_records.get(conn, next(i for k, i in found.items() if "ref:" in k))
        source = source_by_name(conn, ROUND_1)
    assert nahar is not None
    assert reference is not None
    assert source is not None
    assert nahar.raw_format == "snowball-openalex"
    assert nahar.data.title.startswith("Collaboration challenges in building ML-enabled")
    assert nahar.data.doi == "10.1145/3510003.3510209"
    assert nahar.data.authors[0] == "Nahar, Nadia"
    assert nahar.data.abstract.startswith("The introduction of machine learning")
    assert reference.raw_format == "snowball-references"
    assert reference.data.title.startswith("Non-functional requirements for machine learning")
    assert reference.data.authors == ["Horkoff, J."]
    with project.store.read() as conn:
        arpteg = store_records.get(conn, found[ARPTEG])
    assert arpteg is not None
    assert arpteg.data.extra["snowball"]["keys"] == ["doi:10.1109/seaa.2018.00018"]
    details = source.details
    assert details["round"] == 1
    assert details["direction"] == "both"
    assert details["seeds"] == {
        "backward": sorted([review.amershi, review.sculley, review.vogelsang]),
        "forward": sorted([review.amershi, review.sculley, review.vogelsang]),
    }
    assert details["unresolved"] == [review.vogelsang]
    assert source.searched_at is not None


def test_seeds_are_found_by_doi_and_by_title(review: SeedReview) -> None:
    service, api = snowball(review.project)
    service.run(RoundSettings(direction="backward"))
    filters = api.filters()
    assert "doi:10.1109/icse-seip.2019.00042" in filters
    assert "hidden technical debt in machine learning systems" in filters  # no DOI: by title
    assert all("select" in r.url.params for r in api.requests)
    assert not any(f.startswith("cites:") for f in filters)


def test_an_interrupted_round_resumes_from_the_cache(
    make_project: Callable[..., Project],
) -> None:
    broken = build_seed_review(make_project(snowball_protocol(), name="broken"))
    service, api = snowball(broken.project, FakeOpenAlex(fail_after=3))
    with pytest.raises(NetworkError, match="answered 500"):
        service.run()
    with broken.project.store.read() as conn:
        assert source_by_name(conn, ROUND_1) is None  # nothing half-written
        cached = conn.execute(sa.select(sa.func.count()).select_from(api_cache)).scalar_one()
    assert cached == 3
    api.fail_after = None
    api.requests.clear()
    resumed = service.run()
    assert (resumed.from_cache, resumed.fetched) == (3, 5)
    assert len(api.requests) == 5

    clean = build_seed_review(make_project(snowball_protocol(), name="clean"))
    straight = snowball(clean.project)[0].run()
    assert (straight.candidates, straight.new, straight.known) == (
        resumed.candidates,
        resumed.new,
        resumed.known,
    )
    assert by_key(clean.project, ROUND_1).keys() == by_key(broken.project, ROUND_1).keys()


def test_offline_names_the_answer_it_lacks(review: SeedReview) -> None:
    service, api = snowball(review.project, FakeOpenAlex(offline=True))
    with pytest.raises(NetworkError, match="not in the review's cache; run again without"):
        service.run(offline=True)
    assert api.requests == []


def test_references_alone_need_no_network(review: SeedReview) -> None:
    service, api = snowball(review.project, FakeOpenAlex(offline=True))
    result = service.run(RoundSettings(direction="backward", openalex=False))
    assert (result.seeds, result.candidates, result.new, result.fetched) == (3, 2, 2, 0)
    assert api.requests == []
    with pytest.raises(InputError, match="forward snowballing needs OpenAlex"):
        RoundSettings(direction="forward", openalex=False)


def test_year_from_and_max_per_paper(review: SeedReview) -> None:
    service, api = snowball(review.project)
    result = service.run(RoundSettings(direction="forward", year_from=2021, max_per_paper=1))
    cites = [r.url.params for r in api.requests if "cites:" in r.url.params.get("filter", "")]
    assert [p["filter"] for p in cites] == [
        f"cites:{AMERSHI},from_publication_date:2021-01-01",
        f"cites:{SCULLEY},from_publication_date:2021-01-01",
    ]
    assert {p["per-page"] for p in cites} == {"1"}
    assert {p["sort"] for p in cites} == {"cited_by_count:desc"}
    # Amershi: Martínez-Fernández (300 citations) before Nahar (250); Sculley: Nahar.
    assert set(by_key(review.project, ROUND_1)) == {MARTINEZ, NAHAR}
    assert result.new == 2


def test_forward_citations_page_by_cursor(
    review: SeedReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(openalex, "PAGE", 2)
    service, api = snowball(review.project)
    result = service.run(RoundSettings(direction="forward"))
    pages = [
        (r.url.params["cursor"], r.url.params["per-page"])
        for r in api.requests
        if r.url.params.get("filter") == f"cites:{AMERSHI}"
    ]
    assert pages == [("*", "2"), ("2", "2")]  # four citing works, two a page
    assert result.new == 4


def test_no_round_before_anything_is_included(make_project: Callable[..., Project]) -> None:
    project = make_project(snowball_protocol())
    service, api = snowball(project)
    state = service.status()
    assert not state.due
    assert "no paper is included at full-text yet" in state.reason
    with pytest.raises(InputError, match="no paper is included"):
        service.run(force=True)
    assert api.requests == []


def test_title_abstract_inclusions_can_start_a_round(review: SeedReview) -> None:
    service, _ = snowball(review.project)
    state = service.status(from_phase=Phase.TITLE_ABSTRACT)
    assert state.included == 4  # the paper excluded at full text passed title and abstract
    result = service.run(RoundSettings(direction="backward", from_phase=Phase.TITLE_ABSTRACT))
    assert result.seeds == 4


def test_force_starts_again_from_every_included_paper(review: SeedReview) -> None:
    service, _ = snowball(review.project)
    service.run(RoundSettings(direction="backward"))
    screen_round_1(review)
    service.run(RoundSettings(direction="backward"))
    for record_id in by_key(review.project, ROUND_2).values():
        exclude(review.project, record_id)
    with pytest.raises(InputError, match="snowballing is complete"):
        service.run(RoundSettings(direction="backward"))
    again = service.run(RoundSettings(direction="backward"), force=True)
    assert (again.round, again.seeds, again.new) == (3, 4, 0)
    assert again.fetched == 0  # every answer came from the cache
    forward = service.status(direction="forward")
    assert forward.due
    assert forward.fresh == {"forward": 4}


def test_a_maybe_duplicate_is_new_and_waits_for_review(
    make_project: Callable[..., Project],
) -> None:
    review = build_seed_review(make_project(snowball_protocol()))
    project = review.project
    # Zhang et al. held without DOI, venue or pages, a year apart: doubtful, not linked.
    project.add_records(
        "Scopus",
        [
            RecordData(
                title="Machine learning testing: survey, landscapes and horizons",
                authors=["Zhang, J.", "Harman, M."],
                year=2019,
            )
        ],
    )
    result = snowball(project)[0].run(RoundSettings(direction="backward"))
    pending = project.dedup.pending()
    assert result.maybe_pairs == len(pending) == 1
    assert "snowballing round 1" in pending[0].pair.reason
    assert ZHANG in by_key(project, ROUND_1)


def test_a_protocol_source_of_another_kind_blocks_the_name(
    make_project: Callable[..., Project],
) -> None:
    text = snowball_protocol().replace(
        "sources:\n", "sources:\n- name: Snowballing round 1\n  kind: file\n"
    )
    review = build_seed_review(make_project(text))
    with pytest.raises(InputError, match=r"rename it in protocol\.yaml"):
        snowball(review.project)[0].run()
    with review.project.store.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(snowball_origins)).scalar() == 0


def test_replay_reports_a_difference(review: SeedReview) -> None:
    service, _ = snowball(review.project)
    service.run(RoundSettings(direction="backward"))
    with review.project.store.write() as conn:
        conn.execute(snowball_origins.delete().where(snowball_origins.c.record_id == review.breck))
    report = service.replay(1)
    assert not report.same
    assert report.added == [(review.breck, review.amershi, "backward")]
    with pytest.raises(InputError, match="round 7: no such round"):
        service.replay(7)


def test_directions_are_tracked_apart(review: SeedReview) -> None:
    service, _ = snowball(review.project)
    service.run(RoundSettings(direction="backward"))
    assert not service.status(direction="backward").due  # its candidates wait for screening
    state = service.status(direction="forward")  # a way not gone yet is due all the same
    assert state.due
    assert state.fresh == {"forward": 3}
    result = service.run(RoundSettings(direction="both"))
    assert (result.round, result.seeds) == (2, 3)
    assert service.rounds()[1].seeds == 3


def test_real_openalex_records_resolve_and_self_citations_are_skipped(
    make_project: Callable[..., Project], shared_data: Path
) -> None:
    sample = json.loads(
        (shared_data / "exports/openalex/sample_response.json").read_text(encoding="utf-8")
    )["results"]
    work = next(w for w in sample if w["id"].endswith("W4313391900"))  # lists itself
    project = make_project(snowball_protocol())
    (seed,) = project.add_records(
        "Scopus", [RecordData(title=work["title"], year=work["publication_year"], doi=work["doi"])]
    )
    include(project, seed)
    service, api = snowball(project, FakeOpenAlex(works=sample))
    result = service.run()
    assert (result.unresolved, result.candidates) == (0, 0)
    assert f"doi:{work['doi'].removeprefix('https://doi.org/').lower()}" in api.filters()
    assert "cites:W4313391900" in api.filters()
    assert not any("search" in r.url.params for r in api.requests)  # found by DOI
