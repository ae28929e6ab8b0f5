"""A review for the screening, conflicts, dedup and card-sort pages, built in code.

Title and abstract are screened in dual mode by R1, R2 (and R3 as third reviewer); full text
singly. Twelve records wait for screening (one abstract holds ``<script>``), two groups are
in conflict, one pair of records is a maybe-duplicate, and four included papers carry
findings on a board of two themes in two stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from metasummary import Project, RecordData
from metasummary.models import Phase
from metasummary.store import events
from metasummary.store.pairs import insert_pairs, ordered
from tests.helpers import protocol_text

SCRIPT_ABSTRACT = (
    "<script>window.__screened = 1</script><img src=x onerror=alert(1)> Machine learning."
)

TOPICS = [
    "Machine learning in production software",
    "Deep learning model compression for phones",
    "Software engineering for AI systems: a survey",
    "Protein folding with neural networks",
    "Requirements engineering for machine learning",
    "Image segmentation datasets",
    "Testing deep learning systems",
    "Data quality in machine learning pipelines",
    "Explainability tools for practitioners",
    "MLOps adoption in industry",
    "Reinforcement learning for robots",
    "Technical debt in machine learning code",
]


def workshop_protocol() -> str:
    return protocol_text(
        sources=[{"name": "IEEE", "kind": "library", "library": "ieee"}],
        stages=[
            {"code": "REQ", "label": "Requirements", "order": 1},
            {"code": "QA", "label": "Quality assurance", "order": 2},
        ],
        reviewers=[{"id": "R1"}, {"id": "R2"}, {"id": "R3"}],
        screening={"title_abstract": {"mode": "dual"}, "full_text": {"mode": "single"}},
    )


@dataclass(slots=True)
class Workshop:
    """Ids the tests refer to."""

    project: Project
    open: list[int]  # waiting for title/abstract votes
    script: int  # its abstract holds <script>
    conflicts: list[int]
    pair: int  # the maybe-duplicate pair
    pair_records: tuple[int, int]
    papers: list[int]  # included at full text
    themes: dict[str, int] = field(default_factory=dict)  # label -> id
    findings: dict[str, list[int]] = field(default_factory=dict)  # theme label -> finding ids
    unsorted: list[int] = field(default_factory=list)


def _include(project: Project, record: int) -> None:
    for reviewer in ("R1", "R2"):
        project.screening.decide(
            record, phase=Phase.TITLE_ABSTRACT, reviewer=reviewer, verdict="include"
        )
    project.screening.decide(record, phase=Phase.FULL_TEXT, reviewer="R1", verdict="include")


def build_workshop(project: Project) -> Workshop:
    items = [
        RecordData(
            title=f"{topic} ({i})",
            abstract=f"We study {topic.lower()} with interviews of software engineers.",
            authors=[f"Author{i}, A."],
            year=2015 + i % 8,
            venue="ICSE",
        )
        for i, topic in enumerate(TOPICS)
    ]
    items[3].abstract = SCRIPT_ABSTRACT
    open_ids = project.add_records("IEEE", items)
    conflicts = project.add_records(
        "IEEE",
        [
            RecordData(
                title="Conflicting views on ML",
                year=2020,
                abstract="Practitioners disagree on how machine learning systems are tested.",
                keywords=["model testing", "practitioner survey"],
            ),
            RecordData(title="Another one"),
        ],
    )
    for record in conflicts:
        project.screening.decide(record, phase="title-abstract", reviewer="R1", verdict="include")
        project.screening.decide(
            record,
            phase="title-abstract",
            reviewer="R2",
            verdict="exclude",
            criteria=["E1"],
            note="a position paper, no study",
        )
    pair_records = project.add_records(
        "IEEE",
        [
            RecordData(title="Challenges of deploying ML models", authors=["Lee, K."], year=2021),
            RecordData(title="Challenges in deploying ML models", authors=["Lee, K"], year=2022),
        ],
    )
    for record in pair_records:  # screened out, so they do not wait in the queues
        for reviewer in ("R1", "R2"):
            project.screening.decide(
                record,
                phase="title-abstract",
                reviewer=reviewer,
                verdict="exclude",
                criteria=["E2"],
            )
    with project.store.write() as conn:
        a, b = ordered(*pair_records)
        insert_pairs(
            conn,
            [
                {
                    "record_a": a,
                    "record_b": b,
                    "kind": "duplicate",
                    "status": "candidate",
                    "score": 0.71,
                    "reason": "titles close, years differ",
                    "decided_by": "metasummary",
                }
            ],
        )
        events.log(conn, "test.pair", actor="test", entity="record_pair")
    pair = project.dedup.pending()[0].pair.id
    papers = project.add_records(
        "IEEE", [RecordData(title=f"Included paper {i}", year=2019 + i) for i in range(4)]
    )
    for record in papers:
        _include(project, record)
    shop = Workshop(project, open_ids, open_ids[3], conflicts, pair, (a, b), papers)
    sorting = project.synthesis.sorting
    findings = project.synthesis.findings
    for stage, label in (("REQ", "Unclear requirements"), ("QA", "Testing is hard")):
        shop.themes[label] = sorting.create_theme(stage, label).id
        shop.findings[label] = []
    texts = [
        (0, "Unclear requirements", "Customers cannot state requirements for models."),
        (1, "Unclear requirements", "Requirements change as data changes."),
        (1, "Unclear requirements", "Requirements for accuracy are vague."),
        (2, "Testing is hard", "No test oracle for model output."),
    ]
    for paper, label, text in texts:
        finding = findings.add(papers[paper], text).id
        sorting.move_findings([finding], shop.themes[label])
        shop.findings[label].append(finding)
    for paper, text in ((3, "Testing data pipelines takes long."), (0, "<b>Bold</b> claim.")):
        shop.unsorted.append(findings.add(papers[paper], text).id)
    return shop
