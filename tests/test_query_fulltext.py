"""``query test`` over the project's records: the full-text index on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from metasummary import Project, RecordData
from metasummary.query.matcher import Document, group_matches
from metasummary.query.model import build_query
from metasummary.query.plan import group_clause, query_filter, text_filter
from metasummary.store import fulltext
from metasummary.store import records as store_records
from tests.helpers import protocol_text

STUDY_GROUPS = [
    {"name": "A", "terms": ["machine learning", "deep learning", "data science"]},
    {"name": "B", "terms": ["software engineering", "production-ready systems", "ML systems"]},
    {"name": "C", "terms": ["interview", "survey", "questionnaire"]},
]


def make(make_project: Callable[..., Project], db_url: str, **query: object) -> Project:
    groups = query.pop("groups", STUDY_GROUPS)
    return make_project(protocol_text(query={"groups": groups, **query}), db=db_url)


def rec(title: str = "", abstract: str = "", keywords: list[str] | None = None, year: int = 2020):
    return RecordData(title=title, abstract=abstract, keywords=keywords or [], year=year)


def final_ids(project: Project) -> list[int]:
    query = project.query.query
    project.query.ensure_index()
    with project.store.read() as conn:
        return fulltext.record_ids(conn, query_filter(query))


def test_hits_per_group_source_and_and(make_project: Callable[..., Project], db_url: str) -> None:
    project = make(make_project, db_url)
    project.add_records(
        "IEEE",
        [
            rec(
                "Software engineering for machine learning", "We held interviews with 14 engineers."
            ),
            rec("Deep learning in production-ready systems", "An online survey of teams."),
            rec("Machine learning for compilers", "No people were asked."),
        ],
    )
    project.add_records("ACM", [rec("Data science in ML systems", "A questionnaire study.")])
    result = project.query.test()
    report = result.report
    assert result.index_built
    assert report.records == 4
    assert report.sources == {"IEEE": 3, "ACM": 1}
    a, b, c = report.groups
    assert (a.hits.total, b.hits.total, c.hits.total) == (4, 3, 3)
    assert a.hits.by_source == {"IEEE": 3, "ACM": 1}
    assert a.terms == {"machine learning": 2, "deep learning": 1, "data science": 1}
    assert c.terms == {"interview": 1, "survey": 1, "questionnaire": 1}
    assert report.all_groups.total == 3
    assert report.final.by_source == {"IEEE": 2, "ACM": 1}


def test_records_added_after_the_index_are_found(
    make_project: Callable[..., Project], db_url: str
) -> None:
    project = make(make_project, db_url)
    project.add_records("IEEE", [rec("Machine learning", "an interview study of ML systems")])
    assert project.query.test().report.final.total == 1
    # The importer inserts through records.insert_many, outside the query service.
    with project.store.write() as conn:
        source = project.ensure_source(conn, "Scopus")
        store_records.insert_many(
            conn,
            [rec("Deep learning and software engineering", "a survey")] * 3,
            source_id=source.id,
        )
    second = project.query.test()
    assert not second.index_built
    assert second.report.final.total == 4
    assert second.report.final.by_source == {"IEEE": 1, "Scopus": 3}


def test_updates_and_deletes_keep_the_index_in_step(
    make_project: Callable[..., Project], db_url: str
) -> None:
    project = make(make_project, db_url)
    ids = project.add_records(
        "IEEE",
        [
            rec("Machine learning", "interview on ML systems"),
            rec("Machine learning", "interview on compilers"),
        ],
    )
    assert final_ids(project) == [ids[0]]
    from metasummary.store.schema import records

    with project.store.write() as conn:
        conn.execute(records.update().where(records.c.id == ids[1]).values(keywords=["ML systems"]))
        conn.execute(
            records.update().where(records.c.id == ids[0]).values(abstract="interview only")
        )
    assert final_ids(project) == [ids[1]]
    with project.store.write() as conn:
        conn.execute(records.delete().where(records.c.id == ids[1]))
    assert final_ids(project) == []


@pytest.mark.parametrize(
    ("term", "text", "expected"),
    [
        ("production-ready systems", "production ready systems", True),
        ("production-ready systems", "Production-Ready Systems!", True),
        ("production ready", "production-ready", True),
        ("ML systems", "an ML system", True),  # singular of the written plural
        ("interview", "we held interviews", True),  # plural of the written singular
        ("interview", "we interviewed", False),  # no stemming beyond number
        ("interview*", "we interviewed", True),
        ("deploy* ML", "deploying ML", True),
        ("naive bayes", "Naïve Bayes", True),  # accents folded
        ("machine learning", "machine and learning", False),
        ("machine learning", "learning machine", False),
        ("ML", "HTML", False),  # whole words only
    ],
)
def test_phrase_and_wildcard_semantics(
    make_project: Callable[..., Project], db_url: str, term: str, text: str, expected: bool
) -> None:
    project = make(make_project, db_url, groups=[{"name": "A", "terms": [term]}])
    project.add_records("IEEE", [rec(abstract=text)])
    hits = project.query.hits()
    assert (hits.final.total == 1) is expected
    # The Python matcher (used by query check) agrees with the index.
    group = project.query.query.groups[0]
    assert bool(group_matches(Document.of(abstract=text), group)) is expected


def test_field_scope_not_group_and_years(make_project: Callable[..., Project], db_url: str) -> None:
    project = make(
        make_project,
        db_url,
        groups=[{"name": "A", "terms": ["machine learning"], "field": "title"}],
        years={"from": 2015, "to": 2020},
        **{"not": {"name": "N", "terms": ["medical"]}},
    )
    ids = project.add_records(
        "IEEE",
        [
            rec("Machine learning", year=2018),
            rec("Other", "machine learning in the abstract only", year=2018),
            rec("Machine learning", "for medical images", year=2018),
            rec("Machine learning", year=2012),
            RecordData(title="Machine learning, year unknown"),
        ],
    )
    report = project.query.hits()
    assert report.groups[0].hits.total == 4
    assert report.exclude is not None
    assert report.exclude.hits.total == 1
    assert report.final.total == 2
    assert final_ids(project) == [ids[0], ids[4]]


def test_duplicates_count_once_in_totals(make_project: Callable[..., Project], db_url: str) -> None:
    project = make(make_project, db_url, groups=[{"name": "A", "terms": ["survey"]}])
    first = project.add_records("IEEE", [rec("A survey")])
    second = project.add_records("Scopus", [rec("A survey")])
    with project.store.write() as conn:
        store_records.set_duplicate_of(conn, second[0], first[0])
    report = project.query.hits()
    assert report.final.by_source == {"IEEE": 1, "Scopus": 1}
    assert report.final.total == 1


def test_index_rebuilds_when_a_piece_is_missing(
    make_project: Callable[..., Project], db_url: str
) -> None:
    project = make(make_project, db_url)
    project.add_records("IEEE", [rec("Machine learning", "interview on ML systems")])
    assert project.query.ensure_index()
    assert not project.query.ensure_index()
    with project.store.write() as conn:
        trigger = "records_fts_insert"
        suffix = " ON records" if conn.dialect.name == "postgresql" else ""
        conn.exec_driver_sql(f"DROP TRIGGER {trigger}{suffix}")
        assert not fulltext.index_current(conn)
    assert project.query.ensure_index()
    assert project.query.hits().final.total == 1


def test_index_agrees_with_python_matcher_on_random_texts(
    make_project: Callable[..., Project], db_url: str
) -> None:
    rng = random.Random(7)
    words = [
        "machine",
        "learning",
        "Learnings",
        "deep",
        "ML",
        "system",
        "systems",
        "ML-based",
        "survey",
        "surveys",
        "surveyed",
        "data",
        "science",
        "Sciences",
        "naïve",
        "the",
    ]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 12))) for _ in range(120)]
    groups = [
        {"name": "A", "terms": ["machine learning", "deep learning*", "data sciences"]},
        {"name": "B", "terms": ["ML systems", "ML-based", "survey"]},
        {"name": "C", "terms": ["naive", "surv*"]},
    ]
    project = make(make_project, db_url, groups=groups)
    ids = project.add_records("IEEE", [rec(title=t[:20], abstract=t) for t in texts])
    query = build_query(project.protocol.query)
    project.query.ensure_index()
    with project.store.read() as conn:
        for group in query.groups:
            indexed = set(fulltext.record_ids(conn, text_filter(group_clause(group))))
            expected = {
                i
                for i, t in zip(ids, texts, strict=True)
                if group_matches(Document.of(title=t[:20], abstract=t), group)
            }
            assert indexed == expected, group.name


def test_schema_comparison_ignores_nothing_before_the_index_exists(db_url: str) -> None:
    # The index is derived, built on demand: a fresh database holds exactly the schema.
    from metasummary.store import Store

    store = Store(db_url, create=True)
    try:
        with store.read() as conn:
            assert not fulltext.index_current(conn)
            tables = set(sa.inspect(conn).get_table_names())
        assert "records_fts" not in tables
    finally:
        store.close()
