"""Real commands killed (SIGKILL) at named moments: the review is whole, all or nothing, clean.

For each operation x moment: the review is built, the command runs with
``METASUMMARY_CRASH_AT`` and must die there; then

* the database passes its integrity checks;
* its content is what it was before, or what a run never killed leaves (all or nothing);
* the next command that opens the review leaves no temporary in the folder and no import copy
  that nothing names (what it cleaned, it says);
* the command run again ends exactly where a run never killed ends.

The database is a parameter (SQLite in the folder, or PostgreSQL), so the same matrix runs on
both (PostgreSQL the moments inside a transaction, or all with METASUMMARY_CRASH_FULL=1);
``tests/crashkit.py`` holds the checks, each taking the database as a URL.
"""

from __future__ import annotations

import csv
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from metasummary import Project, RecordData
from metasummary.models import SourceKind
from metasummary.outputs import manifest
from metasummary.store.phases import data_version
from tests import crashkit
from tests.crashkit import fingerprint, integrity, leftovers, run_cli, unreferenced_copies
from tests.fulltextdata import minimal_pdf
from tests.pgserver import PgServer
from tests.reportdata import build as build_report_review
from tests.reportdata import report_protocol, vote

pytestmark = pytest.mark.slow

DEDUP_RECORDS = 10_000
"""Enough candidate pairs (> 50,000) for dedup to compare them in worker processes."""
WORDS = ("learning", "software", "model", "data", "testing", "quality", "neural", "deep")
WORDS += ("system", "production", "requirements", "engineering")


@dataclass
class Case:
    """One operation: how its review is built, the command, the moments it is killed at."""

    name: str
    prepare: Callable[[Path, str | None], list[str]]
    moments: list[str]
    again_ok: Callable[[crashkit.Ran], bool] = field(default=lambda ran: ran.returncode == 0)


def _project(root: Path, db: str | None) -> Project:
    return Project.init(root, protocol_text=report_protocol(), db=db)


def _ris(path: Path, count: int) -> None:
    entries = [
        f"TY  - JOUR\nTI  - Crash-safe import number {i} of machine learning\n"
        f"AU  - Writer, Ann{i}\nPY  - {2000 + i % 20}\nJO  - Journal of Tests\nER  - \n"
        for i in range(count)
    ]
    path.write_text("\n".join(entries), encoding="utf-8")


def prepare_import(root: Path, db: str | None) -> list[str]:
    _project(root, db).close()
    file = root.parent / "search.ris"
    _ris(file, 40)
    return ["import", str(file), "--source", "IEEE"]


def prepare_dedup(root: Path, db: str | None) -> list[str]:
    with _project(root, db) as project:
        items = []
        draw = random.Random(1)
        for i in range(DEDUP_RECORDS):
            words = [draw.choice(WORDS) for _ in range(6)]
            items.append(
                RecordData(
                    title=" ".join(words) + f" study {i % 1500}",
                    authors=[f"Smith, A{i % 40}", "Lee, B"],
                    year=2020 + i % 3,
                    venue="Conference on Tests",
                )
            )
        project.add_records("IEEE", items, kind=SourceKind.LIBRARY)
    return ["dedup"]


def prepare_report(root: Path, db: str | None) -> list[str]:
    with _project(root, db) as project:
        ids = build_report_review(project)
        project.report.write()  # the report before: the killed run must leave it whole
        vote(project, ids["g"], "title-abstract", "include")  # the data changes after it
    return ["report"]


def _sheet(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


NEW_PAPER = {"key": "", "title": "A paper found in the full texts", "year": "2023"}


def prepare_findings(root: Path, db: str | None) -> list[str]:
    with _project(root, db) as project:
        build_report_review(project)
    sheet = _sheet(
        root.parent / "findings.csv",
        [
            {"key": "keya", "title": "", "year": "", "finding": "Labels are expensive"},
            {"key": "keyf", "title": "", "year": "", "finding": "Nobody owns the data"},
            {**NEW_PAPER, "finding": "Deployment takes months"},
        ],
    )
    return ["findings", "import", str(sheet), "--add-papers"]


def prepare_extract(root: Path, db: str | None) -> list[str]:
    with _project(root, db) as project:
        build_report_review(project)
    sheet = _sheet(
        root.parent / "extraction.csv",
        [
            {
                "key": "keya",
                "title": "",
                "year": "",
                "study_type": "interview",
                "practitioners": "12",
            },
            {
                "key": "keyf",
                "title": "",
                "year": "",
                "study_type": "survey",
                "practitioners": "340",
            },
            {**NEW_PAPER, "study_type": "survey", "practitioners": "unspecified"},
        ],
    )
    return ["extract", "import", str(sheet), "--add-papers"]


def prepare_fulltext(root: Path, db: str | None) -> list[str]:
    with _project(root, db) as project:
        ids = build_report_review(project)
    pdf = root.parent / "paper-a.pdf"
    pdf.write_bytes(minimal_pdf())
    return ["fulltext", "attach", str(pdf), "--record", str(ids["a"])]


def _already_imported(ran: crashkit.Ran) -> bool:
    return ran.returncode == 0 or (ran.returncode == 1 and "already imported" in ran.stderr)


CASES = [
    Case(
        "import",
        prepare_import,
        ["import.copied", "import.records", "import.committed"],
        _already_imported,
    ),
    Case("dedup", prepare_dedup, ["dedup.compared", "dedup.stored"]),
    Case("report", prepare_report, ["report.file:3", "report.manifest", "output.swap"]),
    Case("findings import", prepare_findings, ["findings.papers", "findings.stored"]),
    Case("extract import", prepare_extract, ["extract.papers", "extract.stored"]),
    Case("fulltext attach", prepare_fulltext, ["fulltext.staged", "fulltext.stored"]),
]
FULL_ENV = "METASUMMARY_CRASH_FULL"
"""Set to 1 to run every moment on PostgreSQL too."""
IN_TRANSACTION = {
    "import.records",
    "dedup.stored",
    "findings.papers",
    "extract.stored",
    "fulltext.stored",
}
"""The moments inside a write transaction: what the database engine decides (the others are
files and processes, the same whatever holds the data). PostgreSQL runs these; SQLite all."""
MATRIX = [
    pytest.param(engine, case, moment, id=f"{engine}-{case.name}@{moment}", marks=marks)
    for engine, marks in (("sqlite", ()), ("postgresql", (pytest.mark.postgres,)))
    for case in CASES
    for moment in case.moments
    if engine == "sqlite" or moment in IN_TRANSACTION or os.environ.get(FULL_ENV) == "1"
]


def new_database(engine: str, request: pytest.FixtureRequest) -> Callable[[], str | None]:
    """A new database per review: None (the folder's SQLite file) or a PostgreSQL URL."""
    if engine == "sqlite":
        return lambda: None
    server: PgServer = request.getfixturevalue("pg_server")
    return server.new_database


_reference: dict[tuple[str, str], dict[str, list[tuple[object, ...]]]] = {}


def reference(
    case: Case, engine: str, tmp: Path, db: str | None
) -> dict[str, list[tuple[object, ...]]]:
    """The database after the command ran once, never killed (built once per case)."""
    key = (case.name, engine)
    if key not in _reference:
        root = tmp / "reference" / "review"
        args = case.prepare(root, db)
        ran = run_cli(root, db, *args)
        assert ran.returncode == 0, ran.stderr
        _reference[key] = fingerprint(crashkit.url_of(root, db))
    return _reference[key]


def data_version_of(url: str) -> list[int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(data_version(conn))
    finally:
        engine.dispose()


def report_problems(root: Path) -> list[str]:
    """The report a reader is shown, if it is not exactly one complete report."""
    current = manifest.current(root / "report")
    if current is None:
        return ["report/: no complete manifest"]
    folder, found = current
    problems = [f"report/{name}: differs from its manifest" for name in manifest.damaged(folder)]
    listed = {manifest.MANIFEST, *found.names()}
    problems += [
        f"report/{p.relative_to(folder).as_posix()}: not in the manifest"
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).as_posix() not in listed
    ]
    return problems


@pytest.mark.parametrize(("engine", "case", "moment"), MATRIX)
def test_killed_command_leaves_the_review_whole(
    engine: str, case: Case, moment: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    database = new_database(engine, request)
    expected = reference(case, engine, tmp_path, database())
    db = database()
    root = tmp_path / "killed" / "review"
    args = case.prepare(root, db)
    url = crashkit.url_of(root, db)
    before = fingerprint(url)
    report_before = manifest.read(root / "report")

    ran = run_cli(root, db, *args, crash_at=moment)
    assert ran.killed, f"not killed at {moment}: exit {ran.returncode}\n{ran.stderr}"
    # Killed at once: no traceback from the command or any worker process it started.
    assert "Traceback" not in ran.stderr
    assert "Error" not in ran.stderr

    assert integrity(url) == []
    after_kill = fingerprint(url)
    assert after_kill in (before, expected), "half of the command's effect was kept"
    if case.name == "report":
        assert report_problems(root) == []  # the old report, whole, or the new one, whole
        kept = manifest.current(root / "report")
        assert kept is not None
        assert report_before is not None
        assert kept[1].data_version in (report_before.data_version, data_version_of(url))

    opened = run_cli(root, db, "status")
    assert opened.returncode == 0, opened.stderr
    assert leftovers(root) == []
    assert unreferenced_copies(root, url) == []
    if case.name == "report":
        assert report_problems(root) == []

    again = run_cli(root, db, *args)
    assert case.again_ok(again), again.stderr
    assert integrity(url) == []
    assert fingerprint(url) == expected
    assert leftovers(root) == []
    assert unreferenced_copies(root, url) == []
    if case.name == "report":
        assert report_problems(root) == []
