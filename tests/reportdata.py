"""A small review for the report tests: duplicates across two libraries, a snowball source with
reported counts, decisions citing criteria at both phases, and a sorted finding."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from metasummary import Project, RecordData
from metasummary.models import SourceKind
from metasummary.store import catalog
from metasummary.store.schema import decisions, records
from tests.helpers import protocol_text

SOURCES = [
    {"name": "IEEE", "kind": "library", "library": "ieee"},
    {"name": "ACM", "kind": "library", "library": "acm"},
    {"name": "Snowballing", "kind": "snowball", "reported": {"title_abstract": 5, "full_text": 2}},
]
CRITERIA = {
    "inclusion": [{"code": "I1", "text": "About SE for ML."}],
    "exclusion": [
        {"code": "E1", "text": "Model-centric."},
        {"code": "E2", "text": "Non-technical people only."},
    ],
    "allow_free_notes": True,
}
STAGES = [{"code": "QA", "label": "Quality assurance", "order": 1}]
FIELDS = [
    {"name": "study_type", "type": "choice", "choices": ["interview", "survey"]},
    {"name": "practitioners", "type": "integer", "allow_unspecified": True},
]


def report_protocol() -> str:
    return protocol_text(
        sources=SOURCES, criteria=CRITERIA, stages=STAGES, extraction={"fields": FIELDS}
    )


@dataclass(frozen=True, slots=True)
class Ids:
    """Record ids by letter: a..d in IEEE, a2, b2 (duplicates of a, b) and e in ACM, f and g
    from snowballing."""

    by: dict[str, int]

    def __getitem__(self, key: str) -> int:
        return self.by[key]


def paper(letter: str, year: int) -> RecordData:
    return RecordData(
        title=f"Paper {letter.upper()} on machine learning",
        authors=[f"Author{letter.upper()}, Ann", "Second, Bo"],
        year=year,
        venue="Some Conference",
        original_key=f"key{letter}",
    )


def vote(
    project: Project,
    record_id: int,
    phase: str,
    verdict: str,
    criteria: Sequence[str] = (),
    *,
    reviewer: str = "R1",
) -> None:
    with project.store.write() as conn:
        reviewer_id = {r.code: r.id for r in catalog.list_reviewers(conn)}[reviewer]
        conn.execute(
            decisions.insert().values(
                record_id=record_id,
                phase=phase,
                reviewer_id=reviewer_id,
                kind="vote",
                verdict=verdict,
                criteria=list(criteria),
                created_at=datetime.now(UTC),
            )
        )


def link(project: Project, duplicate: int, canonical: int) -> None:
    with project.store.write() as conn:
        conn.execute(
            records.update().where(records.c.id == duplicate).values(duplicate_of=canonical)
        )


def build(project: Project) -> Ids:
    """Records, duplicate links and decisions; a theme with two findings."""
    ieee = project.add_records(
        "IEEE",
        [paper("a", 2019), paper("b", 2020), paper("c", 2020), paper("d", 2021)],
        kind=SourceKind.LIBRARY,
    )
    acm = project.add_records(
        "ACM", [paper("a", 2019), paper("b", 2020), paper("e", 2021)], kind=SourceKind.LIBRARY
    )
    snow = project.add_records(
        "Snowballing", [paper("f", 2022), paper("g", 2022)], kind=SourceKind.SNOWBALL
    )
    ids = Ids(dict(zip("abcd", ieee, strict=True)) | {"a2": acm[0], "b2": acm[1], "e": acm[2]})
    ids.by.update(f=snow[0], g=snow[1])
    link(project, ids["a2"], ids["a"])
    link(project, ids["b2"], ids["b"])
    for letter in "abf":
        vote(project, ids[letter], "title-abstract", "include")
    vote(project, ids["c"], "title-abstract", "exclude", ["E1"])
    vote(project, ids["d"], "title-abstract", "exclude", ["E1", "E2"])
    vote(project, ids["e"], "title-abstract", "exclude", ["I1"])
    vote(project, ids["a"], "full-text", "include")
    vote(project, ids["b"], "full-text", "exclude", ["E2"])
    vote(project, ids["f"], "full-text", "include")
    synthesis = project.synthesis
    theme = synthesis.sorting.create_theme(
        "QA", "Testing is hard", description="No specifications.", sub_points=["no oracle"]
    )
    first = synthesis.findings.add(ids["a"], "there isn't an actual spec", kind="quote")
    second = synthesis.findings.add(ids["f"], "tests are unclear | <b>bold</b> & 100% $x_1$")
    synthesis.sorting.move_findings([first.id, second.id], theme.id)
    return ids
