"""A small review with records in two sources, a duplicate group and decisions, built in code.

Decisions are written straight through the store: the screening service that will record them
is another issue's work; the listing only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from metasummary import Phase, Project, RecordData, Verdict
from metasummary.store import events
from metasummary.store import records as store_records
from metasummary.store.clock import now
from metasummary.store.schema import decisions, import_batches, reviewers, sources
from tests.helpers import protocol_text

SCRIPT_TITLE = "<script>alert('title')</script> Sneaky title"
SCRIPT_ABSTRACT = "<script>window.__pwned = 1</script><b>bold?</b> An abstract with markup."


def review_protocol() -> str:
    return protocol_text(
        sources=[
            {"name": "IEEE", "kind": "library", "library": "ieee"},
            {"name": "ACM", "kind": "library", "library": "acm"},
        ]
    )


@dataclass(slots=True)
class Review:
    """Ids of the records the tests refer to."""

    project: Project
    ieee: list[int]
    acm: list[int]
    script: int  # the record whose title and abstract hold <script>
    canonical: int  # head of the duplicate group
    duplicate: int  # ACM copy pointing at ``canonical``


def vote(
    project: Project,
    record_id: int,
    verdict: Verdict | None,
    *,
    reviewer: str = "R1",
    phase: Phase = Phase.TITLE_ABSTRACT,
    kind: str = "vote",
    criteria: tuple[str, ...] = (),
) -> None:
    with project.store.write() as conn:
        reviewer_id = conn.execute(
            sa.select(reviewers.c.id).where(reviewers.c.code == reviewer)
        ).scalar_one()
        conn.execute(
            decisions.insert().values(
                record_id=record_id,
                phase=phase.value,
                reviewer_id=reviewer_id,
                kind=kind,
                verdict=verdict.value if verdict else None,
                criteria=list(criteria),
                note="",
                pdf="",
                pilot=False,
                created_at=now(),
            )
        )
        events.log(conn, "test.decision", actor="test", entity="record", entity_id=record_id)


def link_duplicate(project: Project, record_id: int, canonical: int) -> None:
    with project.store.write() as conn:
        store_records.set_duplicate_of(conn, record_id, canonical)
        events.log(conn, "test.link", actor="test", entity="record", entity_id=record_id)


def imported(project: Project, source: str, items: list[RecordData], file_name: str) -> list[int]:
    """Records added as one import batch, with entry positions, the way an import would."""
    with project.store.write() as conn:
        source_id = conn.execute(
            sa.select(sources.c.id).where(sources.c.name == source)
        ).scalar_one()
        batch_id = conn.execute(
            import_batches.insert().values(
                source_id=source_id,
                file_name=file_name,
                sha256="ab" * 32,
                format="ris",
                stored_path="",
                entries=len(items),
                imported=len(items),
                skipped=0,
                skipped_entries=[],
                created_at=now(),
            )
        ).inserted_primary_key
        assert batch_id is not None
        return store_records.insert_many(
            conn, items, source_id=source_id, batch_id=int(batch_id[0]), raw_format="ris"
        )


def build_review(project: Project) -> Review:
    """Twelve records: 8 from IEEE (one import file), 4 from ACM (added by hand).

    IEEE record 1 holds ``<script>`` in title and abstract; ACM's first record duplicates
    IEEE's second; four groups are decided at title/abstract, one of them at full text.
    """
    ieee_items = [
        RecordData(
            title=f"Machine learning challenges {i}",
            abstract=f"Abstract {i} about deployment of models.",
            authors=[f"Author{i}, A."],
            year=2015 + i,
            doi=f"10.1000/ieee.{i}",
            venue="ICSE",
            entry_index=i,
            entry_line=1 + 10 * i,
            raw=f"TY  - JOUR\nTI  - Machine learning challenges {i}\nER  -",
        )
        for i in range(8)
    ]
    ieee_items[1].title = SCRIPT_TITLE
    ieee_items[1].abstract = SCRIPT_ABSTRACT
    ieee = imported(project, "IEEE", ieee_items, "ieee-export.ris")
    acm = project.add_records(
        "ACM",
        [
            RecordData(title="Machine learning challenges 2", year=2017, doi="10.1000/ieee.2"),
            RecordData(title="Data quality for ML", year=2020),
            RecordData(title="Requirements for AI systems", year=2021),
            RecordData(title="Undated paper"),
        ],
    )
    link_duplicate(project, acm[0], ieee[2])
    vote(project, ieee[0], Verdict.INCLUDE)
    vote(project, ieee[2], Verdict.EXCLUDE, criteria=("E1",))
    vote(project, acm[0], Verdict.INCLUDE, reviewer="R2")  # on the duplicate: same group
    vote(project, ieee[3], Verdict.EXCLUDE)
    vote(project, ieee[3], None, kind="retraction")  # undone: undecided again
    vote(project, ieee[4], Verdict.INCLUDE)
    vote(project, ieee[4], Verdict.INCLUDE, phase=Phase.FULL_TEXT)
    return Review(
        project=project,
        ieee=ieee,
        acm=acm,
        script=ieee[1],
        canonical=ieee[2],
        duplicate=acm[0],
    )
