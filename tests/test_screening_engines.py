"""The screening store queries on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Callable

from metasummary import Phase, Project, RecordState
from metasummary.store import decisions as store_decisions
from metasummary.store import records as store_records
from tests.screening_helpers import add_records, screening_protocol

TA = Phase.TITLE_ABSTRACT


def test_dual_screening_round_trip(make_project: Callable[..., Project], db_url: str) -> None:
    project = make_project(screening_protocol(mode="dual", pilot_size=2), db=db_url)
    ids = add_records(project, 8)
    with project.store.write() as conn:
        store_records.set_duplicate_of(conn, ids[5], ids[0])
        store_records.set_duplicate_of(conn, ids[6], ids[0])
    s = project.screening
    sample = s.start_pilot(phase=TA, seed=2)
    assert s.pilot_sample(TA) == sample
    s.decide(ids[5], phase=TA, reviewer="R1", verdict="include", note="duplicate member")
    assert s.view(ids[0], phase=TA, viewer="R2").hidden == 1
    s.decide(ids[6], phase=TA, reviewer="R2", verdict="exclude", criteria=["E1", "E2"])
    conflicts = s.conflicts(phase=TA, viewer="R3")
    assert [c.group for c in conflicts] == [ids[0]]
    assert s.resolve(ids[0], phase=TA, reviewer="R3", verdict="include").state is (
        RecordState.INCLUDED
    )
    s.decide(ids[1], phase=TA, reviewer="R1", verdict="maybe")
    assert s.retract(phase=TA, reviewer="R1").record_id == ids[1]
    queue = s.queue(phase=TA, reviewer="R1")
    assert ids[0] not in queue.records
    assert ids[1] in queue.records
    with project.store.read() as conn:
        assert store_decisions.group_members(conn, ids[6]) == (ids[0], [ids[0], ids[5], ids[6]])
        assert store_decisions.count(conn, kind="vote") == 3
        assert len(store_decisions.since(conn, 0)) == 5
        assert store_decisions.links_signature(conn)[2] == 2
        texts = store_decisions.record_texts(conn, [ids[2]])
    assert texts[ids[2]][0].startswith("Software engineering for AI")
    report = s.agreement(phases=[TA])[0]
    assert report.items == 1
    assert report.pairs[0].percent.value == 0.0
