from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from metasummary import Project, ProjectError
from metasummary.models import Phase
from metasummary.store import catalog
from metasummary.store.schema import decisions, records
from tests.helpers import protocol_data, protocol_text, to_yaml


def add_record(project: Project, source: str, title: str, duplicate_of: int | None = None) -> int:
    with project.store.write() as conn:
        row = catalog.source_by_name(conn, source)
        assert row is not None
        result = conn.execute(
            records.insert().values(
                source_id=row.id,
                title=title,
                duplicate_of=duplicate_of,
                created_at=datetime.now(UTC),
            )
        )
        return int(result.inserted_primary_key[0])


def vote(
    project: Project,
    record_id: int,
    reviewer: str,
    verdict: str,
    phase: Phase = Phase.TITLE_ABSTRACT,
    kind: str = "vote",
) -> None:
    with project.store.write() as conn:
        reviewer_id = {r.code: r.id for r in catalog.list_reviewers(conn)}[reviewer]
        conn.execute(
            decisions.insert().values(
                record_id=record_id,
                phase=phase.value,
                reviewer_id=reviewer_id,
                kind=kind,
                verdict=verdict,
                created_at=datetime.now(UTC),
            )
        )


def test_init_creates_folder_protocol_and_database(tmp_path: Path) -> None:
    with Project.init(tmp_path / "my-review") as project:
        assert project.protocol.title == "my-review"
        assert (
            (tmp_path / "my-review" / "protocol.yaml")
            .read_text()
            .startswith("# metasummary review protocol")
        )
        assert (tmp_path / "my-review" / "review.db").exists()
        assert ".cache/" in (tmp_path / "my-review" / ".gitignore").read_text()
        assert [s.name for s in project.status().sources] == ["IEEE Xplore", "ACM Digital Library"]


def test_init_refuses_an_existing_review(project: Project) -> None:
    assert project.root is not None
    with pytest.raises(ProjectError, match="already exists"):
        Project.init(project.root)


def test_init_with_bad_protocol_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="problem"):
        Project.init(tmp_path / "x", protocol_text="title: ''\n")
    assert not (tmp_path / "x").exists()


def test_open_outside_a_review_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match=r"not a metasummary review.*metasummary init"):
        Project.open(tmp_path)


def test_open_uses_environment(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METASUMMARY_PROJECT", str(project.root))
    with Project.open() as again:
        assert again.protocol.title == project.protocol.title


def test_protocol_edits_sync_without_deleting(make_project: Callable[..., Project]) -> None:
    project = make_project(protocol_text())
    assert project.root is not None
    data = protocol_data(
        sources=[{"name": "ACM", "kind": "library"}], reviewers=[{"id": "R1", "name": "Ada"}]
    )
    (project.root / "protocol.yaml").write_text(to_yaml(data))
    with Project.open(project.root) as again, again.store.read() as conn:
        sources = {s.name: s.in_protocol for s in catalog.list_sources(conn)}
        reviewers = {r.code: (r.name, r.in_protocol) for r in catalog.list_reviewers(conn)}
    assert sources == {"IEEE": False, "ACM": True}
    assert reviewers == {"R1": ("Ada", True), "R2": ("", False)}


def test_open_by_url_uses_the_protocol_copy(project: Project) -> None:
    with Project.open(project.store.url) as by_url:
        assert by_url.root is None
        assert by_url.protocol == project.protocol


def test_status_counts_groups_once_under_their_canonical_source(
    make_project: Callable[..., Project],
) -> None:
    sources = [{"name": "IEEE", "kind": "library"}, {"name": "Scopus", "kind": "library"}]
    project = make_project(protocol_text(sources=sources))
    a = add_record(project, "IEEE", "Paper A")
    b = add_record(project, "IEEE", "Paper B")
    add_record(project, "Scopus", "Paper A again", duplicate_of=a)
    c = add_record(project, "Scopus", "Paper C")
    vote(project, a, "R1", "include")
    vote(project, b, "R1", "exclude")
    vote(project, a, "R1", "include", Phase.FULL_TEXT)
    status = project.status()
    ieee, scopus = status.sources
    assert (ieee.records, ieee.duplicates, ieee.unique) == (2, 0, 2)
    assert (scopus.records, scopus.duplicates, scopus.unique) == (2, 1, 1)
    ta = status.total.phases["title-abstract"]
    assert (ta.eligible, ta.included, ta.excluded, ta.undecided) == (3, 1, 1, 1)
    ft = status.total.phases["full-text"]
    assert (ft.eligible, ft.included) == (1, 1)
    assert scopus.phases["title-abstract"].undecided == 1
    assert c > a


def test_status_in_dual_mode_awaits_and_flags_conflicts(
    make_project: Callable[..., Project],
) -> None:
    screening = {"title_abstract": {"mode": "dual"}}
    project = make_project(protocol_text(screening=screening))
    one, two, three = (add_record(project, "IEEE", t) for t in ("one", "two", "three"))
    vote(project, one, "R1", "include")
    vote(project, two, "R1", "include")
    vote(project, two, "R2", "exclude")
    vote(project, three, "R1", "include")
    vote(project, three, "R2", "include")
    ta = project.status().total.phases["title-abstract"]
    assert (ta.awaiting, ta.conflict, ta.included) == (1, 1, 1)
    vote(project, two, "R1", "exclude", kind="resolution")
    ta = project.status().total.phases["title-abstract"]
    assert (ta.conflict, ta.excluded, ta.included) == (0, 1, 1)


def test_add_records_creates_a_source_outside_the_protocol(project: Project) -> None:
    from metasummary.models import RecordData

    ids = project.add_records("Hand-picked", [RecordData(title="A"), RecordData(title="B")])
    assert project.record(ids[1]).data.title == "B"
    with project.store.read() as conn:
        source = catalog.source_by_name(conn, "Hand-picked")
    assert source is not None
    assert (source.kind, source.in_protocol) == ("manual", False)
    assert project.status().total.records == 2


def test_unknown_record_is_an_input_error(project: Project) -> None:
    from metasummary import InputError

    with pytest.raises(InputError, match="record 99"):
        project.record(99)
