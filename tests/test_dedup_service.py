"""``project.dedup``: links without deleting, undo, review, provenance, decisions kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from metasummary import Project
from metasummary.errors import InputError
from metasummary.models import Phase
from metasummary.store import catalog, events
from metasummary.store.counts import record_links
from metasummary.store.pairs import list_pairs
from metasummary.store.schema import decisions
from tests.dedupdata import other, paper
from tests.helpers import protocol_text


@pytest.fixture
def review(make_project: Callable[..., Project], db_url: str) -> Project:
    return make_project(protocol_text(), db=db_url)


def links(project: Project) -> dict[int, int | None]:
    with project.store.read() as conn:
        return {link.id: link.duplicate_of for link in record_links(conn)}


def vote(project: Project, record_id: int, reviewer: str, verdict: str) -> None:
    with project.store.write() as conn:
        reviewer_id = {r.code: r.id for r in catalog.list_reviewers(conn)}[reviewer]
        conn.execute(
            decisions.insert().values(
                record_id=record_id,
                phase=Phase.TITLE_ABSTRACT.value,
                reviewer_id=reviewer_id,
                kind="vote",
                verdict=verdict,
                created_at=datetime.now(UTC),
            )
        )


def three_sources(project: Project) -> tuple[list[int], list[int], list[int]]:
    ieee = project.add_records("IEEE", [paper(), other(1), other(2)])
    scopus = project.add_records("Scopus", [other(3), paper(pages="548-55", doi=""), other(1)])
    snowball = project.add_records("Snowball", [paper(title=paper().title.upper())])
    return ieee, scopus, snowball


def test_run_links_duplicates_straight_at_the_canonical_record(review: Project) -> None:
    ieee, scopus, snowball = three_sources(review)
    summary = review.dedup.run()
    assert (summary.records, summary.groups, summary.in_groups, summary.linked) == (7, 2, 5, 3)
    linked = links(review)
    assert linked[scopus[1]] == linked[snowball[0]] == ieee[0]
    assert linked[ieee[0]] is None
    assert linked[scopus[2]] == ieee[1]
    assert all(linked[target] is None for target in linked.values() if target)  # no chains
    with review.store.read() as conn:
        pairs = list_pairs(conn, kinds=("duplicate",), statuses=("auto",))
        logged = events.recent(conn, prefix="dedup.")
    assert len(pairs) == 4
    assert {e.action for e in logged} == {"dedup.link", "dedup.run"}
    assert sum(e.action == "dedup.link" for e in logged) == 3


def test_a_second_run_changes_nothing(review: Project) -> None:
    three_sources(review)
    review.dedup.run()
    before = links(review)
    with review.store.read() as conn:
        pairs = len(list_pairs(conn))
    again = review.dedup.run()
    assert again.linked == 0
    assert links(review) == before
    with review.store.read() as conn:
        assert len(list_pairs(conn)) == pairs


def test_status_counts_a_group_once_and_credits_every_source(review: Project) -> None:
    three_sources(review)
    review.dedup.run()
    status = {s.name: s for s in review.status().sources}
    assert (status["IEEE"].unique, status["Scopus"].unique, status["Snowball"].unique) == (3, 1, 0)
    assert (status["IEEE"].found, status["Scopus"].found, status["Snowball"].found) == (3, 3, 1)
    groups = review.dedup.groups()
    assert [g.sources for g in groups] == [["IEEE", "Scopus", "Snowball"], ["IEEE", "Scopus"]]


def test_unlink_undoes_a_link_and_later_runs_keep_it_apart(review: Project) -> None:
    ieee, scopus, snowball = three_sources(review)
    review.dedup.run()
    assert review.dedup.unlink(snowball[0], actor="R1") == [snowball[0]]
    assert links(review)[snowball[0]] is None
    assert links(review)[scopus[1]] == ieee[0]
    review.dedup.run()
    assert links(review)[snowball[0]] is None
    with review.store.read() as conn:
        logged = events.recent(conn, prefix="dedup.unlink")
    assert logged[0].payload == {"before": ieee[0], "after": None, "via": "manual"}
    assert logged[0].actor == "R1"


def test_unlinking_the_canonical_record_hands_the_group_on(review: Project) -> None:
    ieee, scopus, snowball = three_sources(review)
    review.dedup.run()
    changed = review.dedup.unlink(ieee[0])
    assert sorted(changed) == sorted([ieee[0], scopus[1], snowball[0]])
    linked = links(review)
    assert linked[ieee[0]] is None
    assert linked[scopus[1]] is None
    assert linked[snowball[0]] == scopus[1]
    with pytest.raises(InputError, match="not linked"):
        review.dedup.unlink(other_id := ieee[2])
    assert links(review)[other_id] is None


def test_link_by_hand_merges_whole_groups_without_chains(review: Project) -> None:
    ieee, scopus, _ = three_sources(review)
    review.dedup.run()
    changed = review.dedup.link(ieee[2], ieee[1], actor="R2")
    assert sorted(changed) == sorted([ieee[1], scopus[2]])
    linked = links(review)
    assert linked[ieee[1]] == linked[scopus[2]] == ieee[2]
    assert review.dedup.link(ieee[2], scopus[2]) == []
    with pytest.raises(InputError, match="no such record"):
        review.dedup.link(ieee[0], 9999)
    with pytest.raises(InputError, match="itself"):
        review.dedup.link(ieee[0], ieee[0])


def test_review_accepts_and_rejects_maybe_pairs(review: Project) -> None:
    a, b = review.add_records("IEEE", [paper(), paper(title="")])
    c, d = review.add_records("Scopus", [other(5, doi="10.1000/a"), other(5, doi="10.1000/b")])
    summary = review.dedup.run()
    assert summary.linked == 0
    pending = review.dedup.pending()
    assert [(v.a.id, v.b.id) for v in pending] == [(a, b), (c, d)]
    assert pending[0].source_a == "IEEE"
    review.dedup.decide(pending[0].pair.id, accept=True, actor="R1")
    review.dedup.decide(pending[1].pair.id, accept=False, actor="R1")
    assert links(review)[b] == a
    assert review.dedup.pending() == []
    review.dedup.run()
    assert links(review)[d] is None
    with pytest.raises(InputError, match="no such pair"):
        review.dedup.decide(999, accept=True)


def test_screened_records_keep_their_decisions_when_linked(review: Project) -> None:
    a, b = review.add_records("IEEE", [paper(), paper(pages="548-55")])
    vote(review, a, "R1", "include")
    vote(review, b, "R2", "exclude")
    with review.store.read() as conn:
        before = conn.execute(decisions.select().order_by(decisions.c.id)).all()

    def state() -> dict[str, int]:
        phase = review.status().total.phases[Phase.TITLE_ABSTRACT.value]
        return {"included": phase.included, "excluded": phase.excluded, "conflict": phase.conflict}

    assert state() == {"included": 1, "excluded": 1, "conflict": 0}
    review.dedup.run()
    assert links(review)[b] == a
    assert state() == {"included": 0, "excluded": 0, "conflict": 1}  # decided differently
    with review.store.read() as conn:
        assert conn.execute(decisions.select().order_by(decisions.c.id)).all() == before
    review.dedup.unlink(b)
    assert state() == {"included": 1, "excluded": 1, "conflict": 0}


def test_a_group_decided_alike_stays_decided(review: Project) -> None:
    a, b = review.add_records("IEEE", [paper(), paper(pages="548-55")])
    vote(review, a, "R1", "include")
    vote(review, b, "R2", "include")
    review.dedup.run()
    phase = review.status().total.phases[Phase.TITLE_ABSTRACT.value]
    assert (phase.eligible, phase.included) == (1, 1)


def test_merged_view_takes_the_best_value_and_says_where_from(review: Project) -> None:
    (a,) = review.add_records("IEEE", [paper(title="complement dysfunction in hus", pages="")])
    (b,) = review.add_records("Scopus", [paper(pages="548-555", abstract="Long abstract.")])
    review.dedup.link(a, b)
    merged = review.dedup.merged(b)
    assert merged.canonical == a
    assert merged.data.pages == "548-555"
    assert merged.provenance["pages"] == b
    assert merged.provenance["abstract"] == b
    assert merged.to_dict()["provenance"]["pages"] == {"record": b, "source": "Scopus"}


def test_threshold_out_of_range_is_refused(review: Project) -> None:
    with pytest.raises(InputError, match="from 0 to 1"):
        review.dedup.run(threshold=1.5)


def test_a_chain_cut_by_the_group_rules_waits_in_review(review: Project) -> None:
    # The same paper in 2004, 2005 and 2006: one group may hold two neighbouring years, never
    # the ends; the pair cut there is a maybe for `dedup review`, not a link.
    ids = review.add_records("IEEE", [paper(year=2004), paper(year=2005), paper(year=2006, doi="")])
    review.dedup.run()
    linked = links(review)
    years = {ids[0]: 2004, ids[1]: 2005, ids[2]: 2006}
    groups: dict[int, list[int]] = {}
    for rid in ids:
        groups.setdefault(linked[rid] or rid, []).append(rid)
    assert all(max(years[r] for r in g) - min(years[r] for r in g) <= 1 for g in groups.values())
    waiting = {(p.a.id, p.b.id) for p in review.dedup.pending()}
    assert waiting, "the cut pair waits for a reviewer"
