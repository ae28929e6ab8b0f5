"""Atomic outputs (issue 23, failures 1, 2 and 4): staged files and folders, the manifest, the
sweep of what killed runs left, and two imports of one file at once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project, ProjectError
from metasummary.outputs import manifest
from metasummary.outputs.staging import OLD, StagedFile, StagedFolder, is_claimed, parse_name
from metasummary.outputs.sweep import review_folders, sweep
from metasummary.report import service as report_service
from metasummary.report import xlsx as xlsx_writer
from metasummary.store import fulltexts as store_fulltexts
from tests.crashkit import leftovers, unreferenced_copies, url_of
from tests.fulltextdata import minimal_pdf
from tests.pgserver import PgServer
from tests.reportdata import build, report_protocol, vote

# -- staging ----------------------------------------------------------------------------------


def test_a_staged_file_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with StagedFile(target) as staged:
        staged.write_bytes(b"new")
        assert target.read_text() == "old"  # nothing shows before the commit
        assert parse_name(staged.path) == (target, os.getpid(), ".ms-tmp")
        assert is_claimed(staged.path)
        staged.commit()
    assert target.read_text() == "new"
    with pytest.raises(RuntimeError), StagedFile(target) as failing:
        failing.write_bytes(b"half")
        raise RuntimeError("the writer failed")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_two_writers_of_one_target_never_meet(tmp_path: Path) -> None:
    """Failure 4's cause: both imports wrote ``<sha>.ris.part`` and renamed it away from each
    other. Each temporary is now its own, so any interleaving ends with the file in place."""
    target = tmp_path / "imports" / "abc.ris"
    first, second = StagedFile(target), StagedFile(target)
    assert first.path != second.path
    first.write_bytes(b"same bytes")
    second.write_bytes(b"same bytes")
    first.commit()
    second.commit()
    assert target.read_bytes() == b"same bytes"
    assert leftovers(tmp_path) == []


def test_a_live_writer_is_left_alone_and_a_dead_one_swept(tmp_path: Path) -> None:
    target = tmp_path / "report"
    live = StagedFolder(target)
    (live.path / "index.html").write_text("being written")
    assert sweep([tmp_path]) == []  # claimed: a process is writing it
    live._claim.release()  # as when the process is killed
    done = sweep([tmp_path])
    assert [(s.path, s.action) for s in done] == [(live.path, "removed")]
    assert list(tmp_path.iterdir()) == []


def _complete_folder(path: Path, text: str, version: list[int]) -> None:
    path.mkdir()
    (path / "index.html").write_text(text)
    manifest.write(path, "report", report_service.clock.now(), version, ["index.html"])


def test_a_swap_cut_between_its_renames_is_finished(tmp_path: Path) -> None:
    target = tmp_path / "report"
    old = tmp_path / f".report.{os.getpid()}-0000beef{OLD}"
    _complete_folder(old, "old", [1])  # moved aside by the first rename
    new = StagedFolder(target)
    (new.path / "index.html").write_text("new")
    manifest.write(new.path, "report", report_service.clock.now(), [2], ["index.html"])
    new._claim.release()  # the process died before the second rename
    found = manifest.current(target)  # a reader shown the finished one meanwhile
    assert found is not None
    assert found[0] == new.path
    assert found[1].data_version == [2]
    done = sweep([tmp_path])
    assert {s.action for s in done} == {"restored", "removed"}
    assert (target / "index.html").read_text() == "new"
    assert manifest.damaged(target) == []
    assert [p.name for p in tmp_path.iterdir()] == ["report"]


def test_a_half_written_folder_is_never_current(tmp_path: Path) -> None:
    target = tmp_path / "report"
    _complete_folder(target, "whole", [1])
    (target / "index.html").write_text("cut")  # another size than the manifest says
    assert manifest.current(target) is None
    (target / "index.html").write_text("wholE")  # same size, other bytes: verify() finds it
    assert manifest.current(target) is not None
    assert manifest.damaged(target) == ["index.html"]


# -- the report (failure 1) --------------------------------------------------------------------


@pytest.fixture
def review(make_project: Callable[..., Project]) -> Project:
    project = make_project(report_protocol())
    build(project)
    return project


def test_a_failed_report_leaves_the_last_one_whole(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = review.report.write()
    assert first.manifest is not None
    before = {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()}

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError(28, "No space left on device")

    vote(review, review.record(1).id, "title-abstract", "exclude", ["E1"])
    monkeypatch.setattr(xlsx_writer, "render", broken)
    with pytest.raises(OSError, match="No space"):
        review.report.write()
    assert {p: p.read_bytes() for p in first.folder.rglob("*") if p.is_file()} == before
    assert leftovers(first.folder.parent) == []
    written = review.report.written()
    assert written is not None
    assert written.outdated  # the data changed since; status and the web app say so
    assert review.status().report == written.to_dict()


def test_the_report_replaces_only_a_report_folder(review: Project, tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "main.tex").write_text("my paper")
    with pytest.raises(ProjectError, match=r"holds files that are not a report \(main\.tex\)"):
        review.report.write(paper)
    assert (paper / "main.tex").read_text() == "my paper"
    legacy = tmp_path / "legacy"  # written before manifests: report files only
    (legacy / "figures").mkdir(parents=True)
    (legacy / "index.html").write_text("old")
    (legacy / "figures" / "prisma.svg").write_text("<svg/>")
    written = review.report.write(legacy, formats=["markdown"])
    assert not (legacy / "index.html").exists()  # one report, not two mixed
    assert "report.md" in written.files


# -- import copies (failure 2) ----------------------------------------------------------------


RIS = "TY  - JOUR\nTI  - One paper\nPY  - 2020\nER  - \n"


def test_a_failed_import_leaves_no_copy(review: Project, tmp_path: Path) -> None:
    root = review.root
    assert root is not None
    bad = tmp_path / "bad.ris"
    bad.write_text(RIS + "TY  - JOUR\nTI  - cut short\n")
    with pytest.raises(Exception, match="bad entr"):
        review.imports.import_file(bad, source="IEEE")
    assert leftovers(root) == []
    assert not (root / "imports").exists() or list((root / "imports").iterdir()) == []


def test_a_copy_left_after_the_commit_is_put_in_place(review: Project, tmp_path: Path) -> None:
    """Killed between the commit and the rename: the next open adopts the copy."""
    root = review.root
    assert root is not None
    good = tmp_path / "good.ris"
    good.write_text(RIS)
    result = review.imports.import_file(good, source="IEEE")
    copy = root / result.stored_path
    stranded = copy.parent / f".{copy.name}.999999-00c0ffee.ms-tmp"
    copy.rename(stranded)
    stray = copy.parent / f".{'0' * 64}.ris.999998-00decade.ms-tmp"  # its import never landed
    stray.write_text("x")
    done = review.clean_up()
    assert {(s.path.name, s.action) for s in done} == {
        (stranded.name, "restored"),
        (stray.name, "removed"),
    }
    assert copy.read_text() == RIS
    assert unreferenced_copies(root, url_of(root, None)) == []


def test_opening_the_review_says_what_it_cleaned(review: Project) -> None:
    root = review.root
    assert root is not None
    (root / "imports").mkdir()
    (root / "imports" / f".{'1' * 64}.ris.999997-00facade.ms-tmp").write_text("x")
    ran = subprocess.run(
        [sys.executable, "-m", "metasummary", "-p", str(root), "status"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr.startswith("note: imports/.1111")
    assert "left by a run that was stopped; removed" in ran.stderr
    assert review_folders(root)[0] == root
    assert leftovers(root) == []


# -- two imports of one file at once (failure 4) ----------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def shared_review(
    request: pytest.FixtureRequest, make_project: Callable[..., Project]
) -> tuple[Path, str | None]:
    db = None
    if request.param == "postgresql":
        server: PgServer = request.getfixturevalue("pg_server")
        db = server.new_database()
    project = make_project(report_protocol(), db=db)
    assert project.root is not None
    return project.root, db


def _import_at_once(
    root: Path, db: str | None, file: Path, sources: list[str], *extra: str
) -> list[str]:
    base = [sys.executable, "-m", "metasummary", "-p", str(root)] + (["--db", db] if db else [])
    env = {k: v for k, v in os.environ.items() if not k.startswith("METASUMMARY_")}
    processes = [
        subprocess.Popen(
            [*base, "import", str(file), "--source", source, *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for source in sources
    ]
    results = []
    for process in processes:
        _, err = process.communicate(timeout=240)
        results.append(f"{process.returncode}:{err.strip()}")
    return results


@pytest.mark.slow
def test_one_file_imported_twice_at_once(
    shared_review: tuple[Path, str | None], tmp_path: Path
) -> None:
    root, db = shared_review
    for round_ in range(3):
        file = tmp_path / f"search{round_}.ris"
        file.write_text(RIS.replace("One paper", f"Paper of round {round_}") * 1)
        same = _import_at_once(root, db, file, ["IEEE", "IEEE"])
        assert sorted(r[:2] for r in same) == ["0:", "1:"], same
        assert any("already imported into 'IEEE'" in r for r in same), same
        other = tmp_path / f"other{round_}.ris"
        other.write_text(RIS.replace("One paper", f"Another of round {round_}"))
        # Into two sources at once: the second is refused (its records would count twice) ...
        one = _import_at_once(root, db, other, ["IEEE", "ACM"])
        assert sorted(r[:2] for r in one) == ["0:", "1:"], one
        assert any("--again" in r for r in one), one
        # ... unless --again says it is meant: then both go in, one copy kept for both.
        again = tmp_path / f"again{round_}.ris"
        again.write_text(RIS.replace("One paper", f"Again of round {round_}"))
        both = _import_at_once(root, db, again, ["IEEE", "ACM"], "--again")
        assert [r[:2] for r in both] == ["0:", "0:"], both
    assert leftovers(root) == []
    assert unreferenced_copies(root, url_of(root, db)) == []


# -- attached PDFs (issue 20's copies, the same mechanism) --------------------------------------


def test_a_failed_attachment_leaves_no_pdf(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = review.root
    assert root is not None

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(store_fulltexts, "insert_pages", broken)
    with pytest.raises(RuntimeError):
        review.fulltexts.attach_data([("blank.pdf", minimal_pdf())], record=review.record(1).id)
    assert leftovers(root) == []
    assert not (root / "fulltexts").exists() or list((root / "fulltexts").iterdir()) == []


def test_a_pdf_left_after_its_commit_is_put_in_place(review: Project) -> None:
    root = review.root
    assert root is not None
    (attached,) = review.fulltexts.attach_data(
        [("blank.pdf", minimal_pdf())], record=review.record(1).id
    )
    assert attached.status == "attached"
    kept = root / "fulltexts" / f"{attached.sha256}.pdf"
    stranded = kept.parent / f".{kept.name}.999999-00c0ffee.ms-tmp"
    kept.rename(stranded)
    done = review.clean_up()
    assert [(s.path, s.action) for s in done] == [(stranded, "restored")]
    assert kept.read_bytes() == minimal_pdf()
