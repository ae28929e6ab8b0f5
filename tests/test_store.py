"""The store contract: the same behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from metasummary import SchemaVersionError, StoreError
from metasummary.store import Store, catalog, events
from metasummary.store import meta as store_meta
from metasummary.store.schema import SCHEMA_VERSION, metadata, records


def test_migrations_build_exactly_the_schema(db_url: str) -> None:
    store = Store(db_url, create=True)
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
        assert diff == []
        with store.read() as conn:
            assert store_meta.get(conn, "schema_version") == str(SCHEMA_VERSION)
    finally:
        store.close()


def test_empty_database_is_not_created_unless_asked(db_url: str) -> None:
    with pytest.raises(StoreError, match="empty; run 'metasummary init'"):
        Store(db_url, create=False)


def test_reopening_keeps_data(db_url: str) -> None:
    store = Store(db_url, create=True)
    with store.write() as conn:
        source_id = catalog.insert_source(conn, name="IEEE", kind="library")
    store.close()
    store = Store(db_url, create=False)
    try:
        with store.read() as conn:
            assert [s.id for s in catalog.list_sources(conn)] == [source_id]
    finally:
        store.close()


def test_newer_database_is_refused(db_url: str) -> None:
    store = Store(db_url, create=True)
    with store.write() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    with pytest.raises(SchemaVersionError, match="newer metasummary"):
        Store(db_url)


def test_foreign_database_is_refused(db_url: str) -> None:
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE other (x INTEGER)"))
    engine.dispose()
    with pytest.raises(StoreError, match="not a metasummary database"):
        Store(db_url, create=True)


def test_write_is_all_or_nothing(db_url: str) -> None:
    store = Store(db_url, create=True)
    try:
        with pytest.raises(RuntimeError), store.write() as conn:
            catalog.insert_source(conn, name="IEEE", kind="library")
            raise RuntimeError("half way")
        with store.read() as conn:
            assert catalog.list_sources(conn) == []
    finally:
        store.close()


def test_foreign_keys_are_enforced(db_url: str) -> None:
    store = Store(db_url, create=True)
    try:
        with pytest.raises(sa.exc.IntegrityError), store.write() as conn:
            conn.execute(records.insert().values(source_id=999, created_at=datetime.now(UTC)))
    finally:
        store.close()


def test_json_and_time_round_trip(db_url: str) -> None:
    store = Store(db_url, create=True)
    try:
        with store.write() as conn:
            source_id = catalog.insert_source(
                conn,
                name="Snowballing round 1",
                kind="snowball",
                details={"seeds": [1, 2], "direction": "backward"},
            )
            event_id = events.log(
                conn,
                "test.thing",
                actor="R1",
                entity="source",
                entity_id=source_id,
                payload={"ü": [1]},
            )
        with store.read() as conn:
            (source,) = catalog.list_sources(conn)
            (event,) = events.recent(conn)
        assert source.details == {"seeds": [1, 2], "direction": "backward"}
        assert source.created_at.tzinfo is not None
        assert event.id == event_id
        assert event.payload == {"ü": [1]}
    finally:
        store.close()


def test_naive_datetimes_are_refused(db_url: str) -> None:
    store = Store(db_url, create=True)
    try:
        with pytest.raises(sa.exc.StatementError, match="naive datetime"), store.write() as conn:
            conn.execute(records.insert().values(source_id=1, created_at=datetime(2020, 1, 1)))
    finally:
        store.close()


def test_sqlite_is_set_up_for_concurrent_reviewers(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'r.db'}", create=True)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    finally:
        store.close()


def test_sqlite_file_in_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(f"sqlite:///{tmp_path / 'nope' / 'r.db'}", create=True)


def test_unsupported_url() -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        Store("mysql://localhost/x", create=True)


def test_every_record_field_is_a_column() -> None:
    from dataclasses import fields

    from metasummary.models import RecordData

    assert {f.name for f in fields(RecordData)} <= set(records.c.keys())


def test_sqlite_bulk_insert_stores_what_sqlalchemy_stores(tmp_path: Path) -> None:
    # The importer's SQLite path binds plain tuples, with the JSON of empty lists and dicts
    # worked out once; a row inserted through SQLAlchemy's own statement must read the same.
    from metasummary.models import RecordData
    from metasummary.store import records as store_records
    from metasummary.store.records import row_values

    store = Store(f"sqlite:///{tmp_path / 'review.db'}", create=True)
    items = [
        RecordData(title="Empty"),
        RecordData(title="Full", authors=["Doé, J."], references=["R"], extra={"k": [1]}),
    ]
    try:
        with store.write() as conn:
            source_id = catalog.insert_source(conn, name="IEEE", kind="library")
            ids = store_records.insert_many(conn, items, source_id=source_id, raw_format="ris")
            for item in items:
                values = {**row_values(item), "source_id": source_id, "raw_format": "ris"}
                conn.execute(records.insert().values(**values, created_at=datetime.now(UTC)))
        with store.read() as conn:
            columns = 'title, authors, keywords, "references", extra, year, raw_format'
            rows = conn.exec_driver_sql(f"SELECT {columns} FROM records ORDER BY id").all()
            assert rows[:2] == rows[2:]
            assert rows[0][1:5] == ("[]", "[]", "[]", "{}")
            assert ids == [1, 2]
    finally:
        store.close()


def test_records_round_trip_in_order(db_url: str) -> None:
    from metasummary.models import RecordData
    from metasummary.store import records as store_records

    store = Store(db_url, create=True)
    try:
        items = [
            RecordData(
                title=f"Paper {i}",
                authors=["Doe, J."],
                keywords=["ml"],
                year=2000 + i,
                extra={"i": i},
            )
            for i in range(2500)
        ]
        with store.write() as conn:
            source_id = catalog.insert_source(conn, name="IEEE", kind="library")
            ids = store_records.insert_many(conn, items, source_id=source_id, raw_format="ris")
        assert len(ids) == 2500
        assert ids == sorted(ids)
        with store.read() as conn:
            back = store_records.get_many(conn, [ids[10], ids[3]])
            assert [r.data.title for r in back] == ["Paper 10", "Paper 3"]
            assert back[0].data.authors == ["Doe, J."]
            assert back[0].data.extra == {"i": 10}
            assert store_records.count(conn, source_id=source_id) == 2500
            assert [r.id for r in store_records.iter_all(conn)][:3] == ids[:3]
    finally:
        store.close()


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    from metasummary.store.migration import head_revision, known_head

    assert known_head() == head_revision()


def test_opening_a_current_database_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'review.db'}"
    Store(url, create=True).close()
    code = (
        "import sys; from metasummary.store import Store; "
        f"Store({url!r}).close(); "
        "sys.exit(1 if 'alembic' in sys.modules else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
