"""``migrate-db``, ``backup`` and ``restore``: a full review moved SQLite -> PostgreSQL -> SQLite
and backed up and restored on both engines, compared every table row for row."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from metasummary import Project, RecordData
from metasummary.errors import InputError, StoreError
from metasummary.keeping import move_database, restore
from metasummary.keeping.manifest import MANIFEST
from metasummary.store import Store
from metasummary.store.schema import decisions, events, metadata, records
from metasummary.store.transfer import differences, is_empty
from tests.clirunner import run
from tests.keepingdata import build_full_review
from tests.pgserver import PgServer


@pytest.fixture(scope="module")
def full_review(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """The example review with every kind of row; built once, copied by each test."""
    pdf = shared_data / "pdfs" / "Wang-paperAVE2008.pdf"
    return build_full_review(tmp_path_factory.mktemp("full") / "review", pdf)


@pytest.fixture
def review(full_review: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "review"
    shutil.copytree(full_review, copy)
    return copy


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'review.db'}"


@pytest.fixture
def stores() -> Iterator[list[Store]]:
    opened: list[Store] = []
    yield opened
    for store in opened:
        store.close()


def opened(stores: list[Store], url: str) -> Store:
    store = Store(url)
    stores.append(store)
    return store


def row_counts(store: Store) -> dict[str, int]:
    with store.read() as conn:
        return {
            t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
            for t in metadata.sorted_tables
        }


def test_the_full_review_has_every_kind_of_row(review: Path, stores: list[Store]) -> None:
    counts = row_counts(opened(stores, sqlite_url(review)))
    empty = {name for name, rows in counts.items() if rows == 0}
    # the example's dedup is exact; fetching full texts and quality checklists need more
    assert empty <= {"record_pairs", "snowball_origins", "fulltext_fetches", "quality_answers"}
    linked = sa.select(sa.func.count()).where(records.c.duplicate_of.is_not(None))
    undone = sa.select(sa.func.count()).where(events.c.undoes.is_not(None))
    with opened(stores, sqlite_url(review)).read() as conn:
        assert conn.execute(linked).scalar_one() > 0
        assert conn.execute(undone).scalar_one() > 0


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back_loses_nothing(
    review: Path, tmp_path: Path, pg_server: PgServer, stores: list[Store]
) -> None:
    pg = pg_server.new_database()
    there = move_database(str(review / "review.db"), pg)
    assert there.rows == sum(row_counts(opened(stores, sqlite_url(review))).values())
    assert not there.changed_meanwhile
    back = tmp_path / "back.db"
    move_database(pg, str(back))
    source = opened(stores, sqlite_url(review))
    assert differences(source, opened(stores, pg)) == []
    assert differences(source, opened(stores, f"sqlite:///{back}")) == []
    # the moved review works: same status from the folder's protocol on either database
    with Project.open(review) as a, Project.open(review, db=pg) as b:
        assert a.status().to_dict()["total"] == b.status().to_dict()["total"]
        assert a.synthesis.summary().to_dict() == b.synthesis.summary().to_dict()
        with a.store.read() as conn:
            last = conn.execute(sa.select(sa.func.max(records.c.id))).scalar_one()
        (new,) = b.add_records("Manual", [RecordData(title="New")])
        assert new == last + 1  # ids go on after the copied ones


@pytest.mark.postgres
def test_a_move_is_all_or_nothing(
    review: Path, tmp_path: Path, pg_server: PgServer, stores: list[Store]
) -> None:
    with Project.open(review) as project, project.store.write() as conn:
        last = conn.execute(sa.select(sa.func.max(records.c.id))).scalar_one()
        conn.execute(records.update().where(records.c.id == last).values(title="bad\x00byte"))
    pg = pg_server.new_database()
    with pytest.raises(StoreError, match=r"table records, rows from id \d+: .*nothing was copied"):
        move_database(str(review / "review.db"), pg)
    with opened(stores, pg).read() as conn:
        assert is_empty(conn)


def test_a_move_refuses_a_target_holding_a_review(review: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    Project.init(other).close()
    with Project.open(other) as project:
        project.add_records("Manual", [RecordData(title="Mine")])
    with pytest.raises(StoreError, match="already holds a review"):
        move_database(str(review / "review.db"), str(other / "review.db"))
    with pytest.raises(InputError, match="the same database"):
        move_database(str(review / "review.db"), sqlite_url(review))


# -- backup and restore -------------------------------------------------------------------------


def files_of(folder: Path) -> dict[str, bytes]:
    skip = {"review.db", "review.db-wal", "review.db-shm"}
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip and "backups" not in p.parts
        and not p.name.startswith("review.db.before-")
    }  # fmt: skip


def test_backup_and_restore_on_sqlite(review: Path, tmp_path: Path, stores: list[Store]) -> None:
    with Project.open(review) as project:
        done = project.backup()
    assert done.path.parent == review / "backups"
    manifest = json.loads((done.path / MANIFEST).read_text())
    listed = {f["path"] for f in manifest["files"]}
    assert "review.db" in listed
    assert "files/protocol.yaml" in listed
    assert any(p.startswith("files/imports/") for p in listed)
    assert manifest["engine"] == "sqlite"
    restored = restore(done.path, tmp_path / "restored")
    assert restored.files == len(listed) - 1
    assert differences(
        opened(stores, sqlite_url(review)), opened(stores, sqlite_url(tmp_path / "restored"))
    ) == []  # fmt: skip
    assert files_of(tmp_path / "restored") == files_of(review)
    with Project.open(tmp_path / "restored") as project:
        assert project.status().total.records > 0


def test_a_damaged_backup_is_refused_and_nothing_is_restored(review: Path, tmp_path: Path) -> None:
    with Project.open(review) as project:
        done = project.backup(tmp_path / "kept")
    (done.path / "files" / "protocol.yaml").write_text("tampered", encoding="utf-8")
    with pytest.raises(InputError, match=r"protocol\.yaml: differs from manifest\.json"):
        restore(done.path, tmp_path / "restored")
    assert not (tmp_path / "restored").exists()
    with Project.open(review) as project:
        sound = project.backup(tmp_path / "kept")
    assert sound.path.name == f"{done.path.name}-2" or sound.path.name > done.path.name
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("")
    with pytest.raises(InputError, match="not empty"):
        restore(sound.path, tmp_path / "taken")


@pytest.mark.postgres
def test_backup_and_restore_on_postgresql(
    review: Path, tmp_path: Path, pg_server: PgServer, stores: list[Store]
) -> None:
    pg = pg_server.new_database()
    move_database(str(review / "review.db"), pg)
    with Project.open(review, db=pg) as project:
        done = project.backup(tmp_path / "kept")
    assert (done.path / "review.pgdump").is_file()
    with pytest.raises(InputError, match="give --db postgresql"):
        restore(done.path, tmp_path / "nowhere")
    second = pg_server.new_database()
    restore(done.path, tmp_path / "restored", second)
    assert differences(opened(stores, pg), opened(stores, second)) == []
    with pytest.raises(StoreError, match="holds tables already"):
        restore(done.path, tmp_path / "again", second)
    assert not (tmp_path / "again").exists()


WRITER = """
import sys
from metasummary import Project, RecordData
folder, db = sys.argv[1], sys.argv[2] or None
with Project.open(folder, db=db) as project:
    print("ready", flush=True)
    items = [RecordData(title=f"t{i}") for i in range(400)]
    ids = project.add_records("Manual", items)
    for record in ids:
        project.screening.decide(record, phase="title-abstract", reviewer="R1", verdict="include")
"""


@pytest.mark.parametrize(
    "engine", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_backup_taken_while_reviewers_write_is_one_moment(
    engine: str, review: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    db = ""
    if engine == "postgresql":
        server: PgServer = request.getfixturevalue("pg_server")
        db = server.new_database()
        move_database(str(review / "review.db"), db)
    backups = []
    with subprocess.Popen(
        [sys.executable, "-c", WRITER, str(review), db], stdout=subprocess.PIPE, text=True
    ) as writer:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        with Project.open(review, db=db or None) as project:
            while writer.poll() is None and len(backups) < 3:
                backups.append(project.backup(tmp_path / "kept"))
        writer.wait(timeout=300)
    assert writer.returncode == 0
    assert backups
    base = _balance(review, db or None)
    for index, done in enumerate(backups):
        target = tmp_path / f"restored{index}"
        url = None
        if engine == "postgresql":
            url = request.getfixturevalue("pg_server").new_database()
        restore(done.path, target, url)
        added, unvoted = _balance(target, url)
        # one moment: the 400 records are in or not, and every vote has its event
        assert added in (base[0] - 400, base[0]), done.path
        assert unvoted == base[1], done.path


def _balance(folder: Path, db: str | None) -> tuple[int, int]:
    """Records held, and decisions less their events (votes are written with their event)."""
    with Project.open(folder, db=db) as project, project.store.read() as conn:
        held = conn.execute(sa.select(sa.func.count()).select_from(records)).scalar_one()
        votes = conn.execute(sa.select(sa.func.count()).select_from(decisions)).scalar_one()
        logged = conn.execute(
            sa.select(sa.func.count()).where(events.c.action == "screening.vote")
        ).scalar_one()
    return int(held), int(votes) - int(logged)


# -- the command line ---------------------------------------------------------------------------


def test_backup_and_restore_commands(review: Path, tmp_path: Path) -> None:
    done = run("backup", "-p", str(review), "--to", str(tmp_path / "kept"))
    assert done.exit_code == 0, done.stderr
    assert done.stdout.startswith(f"backup written: {tmp_path / 'kept'}/backup-")
    (path,) = (tmp_path / "kept").iterdir()
    back = run("restore", str(path), "--to", str(tmp_path / "restored"))
    assert back.exit_code == 0, back.stderr
    assert f"open it: metasummary -p {tmp_path / 'restored'} status" in back.stdout
    again = run("restore", str(path), "--to", str(tmp_path / "restored"))
    assert again.exit_code == 1
    assert again.stderr.count("\n") == 1
    moved = run("migrate-db", "--from", str(review / "review.db"), "--to", str(tmp_path / "m.db"))
    assert moved.exit_code == 0, moved.stderr
    assert "compared: identical" in moved.stdout
