"""Correcting the record without erasing it (issue 18, failure 1): imports routed by what the
file says, the same file refused in a second source, ``import undo``/``redo``, and sources
renamed, merged and unmerged; each a logged event with its actor, and each checked for its
effect on status, flow, PRISMA, the records list and exports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from metasummary import Project
from metasummary.errors import ImportFileError, InputError, SourceChoiceError
from metasummary.store import events
from tests.correctiondata import correction_protocol, counts, ris, write


@pytest.fixture
def review(make_project: Callable[..., Project], db_url: str) -> Project:
    return make_project(correction_protocol(dual=False), db=db_url)


def test_files_go_to_the_source_their_content_names(
    review: Project, shared_data: Path, tmp_path: Path
) -> None:
    exports = shared_data / "exports"
    # The files: an ACM BibTeX (acmid fields) and a Scopus RIS (DB  - Scopus).
    assert review.imports.import_file(exports / "acm/acm.bib").source == "ACM Digital Library"
    assert review.imports.import_file(exports / "scopus/scopus.ris").source == "Scopus"
    assert review.imports.import_file(exports / "ieee/ieee.csv").source == "IEEE Xplore"
    # IEEE's RIS names no library: asked for, never filed under its own file name.
    with pytest.raises(SourceChoiceError, match="names no library") as info:
        review.imports.import_file(exports / "ieee/example.ris")
    assert info.value.choices == ["IEEE Xplore", "ACM Digital Library", "Scopus"]
    names = {s.name for s in review.sources.list()}
    assert names == {"IEEE Xplore", "ACM Digital Library", "Scopus"}


def test_a_file_two_sources_fit_is_not_guessed(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(
        correction_protocol(
            sources=[
                {"name": "Scopus 2023", "kind": "library", "library": "scopus"},
                {"name": "Scopus update 2024", "kind": "library", "library": "scopus"},
            ]
        )
    )
    path = write(tmp_path, "s.ris", ris(["A paper"], database="Scopus"))
    with pytest.raises(SourceChoiceError, match="fits 2 sources") as info:
        project.imports.import_file(path)
    assert info.value.choices == ["Scopus 2023", "Scopus update 2024"]


def test_a_source_given_against_the_file_is_warned_about(review: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "scopus.ris", ris(["A paper"], database="Scopus"))
    result = review.imports.import_file(path, source="IEEE Xplore")
    assert [w.message for w in result.warnings] == [
        "the file names scopus, but 'IEEE Xplore' is the ieee source; the protocol's source "
        "for it is 'Scopus' (metasummary import undo moves it)"
    ]


def test_the_same_file_in_a_second_source_is_refused(review: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "s.ris", ris(["A", "B", "C"], database="Scopus"))
    review.imports.import_file(path)
    with pytest.raises(ImportFileError, match=r"already import 1 in 'Scopus'.*--again"):
        review.imports.import_file(path, source="IEEE Xplore")
    assert counts(review).status_records == 3
    review.imports.undo(1)  # once the first import is undone, the file may go elsewhere
    assert review.imports.import_file(path, source="IEEE Xplore").imported == 3
    with pytest.raises(InputError, match="the same file is import 2 in 'IEEE Xplore'"):
        review.imports.redo(1)


def test_undo_takes_an_import_out_of_every_count_and_redo_brings_it_back(
    review: Project, tmp_path: Path
) -> None:
    scopus = write(tmp_path, "scopus.ris", ris(["S1", "S2", "S3"], database="Scopus"))
    ieee = write(tmp_path, "ieee.ris", ris(["I1", "I2"], doi_prefix="10.5555/i"))
    review.imports.import_file(scopus)
    batch = review.imports.import_file(ieee, source="IEEE Xplore").batch_id
    review.screening.decide(4, phase="ta", reviewer="R1", verdict="include")  # an IEEE record
    before = counts(review)
    assert before.status_records == 5
    assert before.flow_rows["IEEE Xplore"] == (2, 1, 0)

    undone = review.imports.undo(batch, reason="wrong file", actor="R3")
    assert (undone.records, undone.decided) == (2, 1)
    after = counts(review)
    assert after.status_records == after.listed == after.exported == 3
    assert after.status_sources == {"Scopus": 3}
    assert after.flow_rows == {
        "IEEE Xplore": (0, 0, 0),
        "ACM Digital Library": (0, 0, 0),
        "Scopus": (3, 0, 0),
    }
    assert dict(after.prisma_databases)["IEEE Xplore"] == 0
    assert after.prisma_screened == (3, 0, 3)
    # Nothing is erased: the batch, its rows and the decision stay; the log says who and why.
    log = {b.id: b for b in review.imports.log()}
    assert log[batch].retracted
    assert log[batch].retracted_by == "R3"
    assert review.record(4).batch_id == batch
    with review.store.read() as conn:
        (event,) = list(events.listed(conn, prefix="import.undo"))
    assert (event.actor, event.entity_id, event.payload["reason"]) == ("R3", batch, "wrong file")
    with pytest.raises(InputError, match="already undone"):
        review.imports.undo(batch)

    review.imports.redo(batch, actor="R3")
    assert counts(review) == before
    with review.store.read() as conn:
        redo = events.listed(conn, prefix="import.redo")[0]
        assert redo.undoes == event.id
        assert events.of_entity(conn, "import_batch", batch)[-2].undone


def test_a_paper_found_elsewhere_too_stays_with_its_decisions(
    review: Project, tmp_path: Path
) -> None:
    wrong = write(tmp_path, "wrong.ris", ris(["Shared paper", "Only here"], database="Scopus"))
    right = write(tmp_path, "right.ris", ris(["Shared paper"], doi_prefix="10.5555/x"))
    review.imports.import_file(wrong)  # records 1, 2
    review.imports.import_file(right, source="IEEE Xplore")  # record 3: same DOI as record 1
    review.dedup.run()
    assert review.record(3).duplicate_of == 1
    review.screening.decide(1, phase="ta", reviewer="R1", verdict="include")
    review.screening.decide(2, phase="ta", reviewer="R1", verdict="include")

    review.imports.undo(1)
    assert review.record(3).duplicate_of is None
    assert review.record(1).duplicate_of == 3  # the undone record stays in the group
    after = counts(review)
    assert after.status_sources == {"IEEE Xplore": 1}
    assert review.status().total.phases["title-abstract"].included == 1  # the shared paper
    assert review.browser.detail(3).states["title-abstract"].value == "included"

    review.imports.redo(1)
    assert counts(review).status_records == 3
    assert review.status().total.phases["title-abstract"].included == 2


def test_rename_merge_and_unmerge_a_mistaken_source(review: Project, tmp_path: Path) -> None:
    path = write(tmp_path, "acm.bib", "@article{a1, title={One}, year=2020, acmid={1}}\n")
    review.imports.import_file(path, source="acm.bib")  # the mistake the issue made
    review.imports.import_file(
        write(tmp_path, "b.ris", ris(["Two"], doi_prefix="10.5555/b")), source="ACM Digital Library"
    )
    assert counts(review).status_sources == {"acm.bib": 1, "ACM Digital Library": 1}
    with pytest.raises(InputError, match=r"named by protocol\.yaml"):
        review.sources.rename("Scopus", "Elsevier", actor="R1")
    with pytest.raises(InputError, match=r"already exists.*source merge"):
        review.sources.rename("acm.bib", "Scopus", actor="R1")
    review.sources.rename("acm.bib", "ACM (file)", actor="R1")
    assert "ACM (file)" in counts(review).status_sources

    merged = review.sources.merge("ACM (file)", "ACM Digital Library", actor="R2")
    assert (merged.records, merged.imports) == (1, [1])
    after = counts(review)
    assert after.status_sources == {"ACM Digital Library": 2}
    assert after.flow_rows["ACM Digital Library"][0] == 2
    assert "ACM (file)" not in after.flow_rows
    assert ("ACM Digital Library", 2) in after.prisma_databases
    assert [b.source for b in review.imports.log()] == ["ACM Digital Library"] * 2
    with pytest.raises(InputError, match="merged into 'ACM Digital Library'"):
        review.imports.import_file(path, source="ACM (file)")

    review.sources.unmerge("ACM (file)", actor="R2")
    assert counts(review).status_sources == {"ACM (file)": 1, "ACM Digital Library": 1}
    with review.store.read() as conn:
        actions = [(e.action, e.actor) for e in events.listed(conn, prefix="source.")]
    assert actions[:3] == [
        ("source.unmerge", "R2"),
        ("source.merge", "R2"),
        ("source.rename", "R1"),
    ]


def test_every_change_names_who_made_it(
    make_project: Callable[..., Project], tmp_path: Path
) -> None:
    project = make_project(correction_protocol())
    with project.store.write() as conn, pytest.raises(Exception, match="no one is named"):
        events.log(conn, "test.nobody", actor=" ")
    anonymous = Project.open(project.root, actor="")
    try:
        path = write(tmp_path, "s.ris", ris(["A"], database="Scopus"))
        with pytest.raises(Exception, match="no one is named"):
            anonymous.imports.import_file(path)
        assert anonymous.imports.log() == []  # refused whole: nothing was imported
        anonymous.imports.import_file(path, actor="R1")
    finally:
        anonymous.close()
    with project.store.read() as conn:
        assert all(e.actor for e in events.listed(conn, limit=1000))
