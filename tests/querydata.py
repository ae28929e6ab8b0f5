"""A small software-fault-prediction review for the query check tests: seed papers in the
protocol, five records, one reviewer screening alone. Written for these tests."""

from __future__ import annotations

from metasummary import Project, RecordData
from tests.helpers import protocol_text

QUERY = {
    "groups": [
        {"name": "A", "terms": ["software"]},
        {"name": "B", "terms": ["fault", "defect"]},
        {"name": "C", "terms": ["prediction", "estimation"]},
    ]
}
SEEDS = [
    {"title": "Predicting fault-prone software modules", "note": "no 'prediction' in it"},
    {"title": "Software defect prediction with metrics"},
]
RECORDS = [
    RecordData(title="Predicting fault-prone software modules", abstract="Code metrics."),
    RecordData(title="Software defect prediction with metrics", abstract="Churn."),
    RecordData(title="Effort estimation for software projects", abstract="Fault data."),
    RecordData(title="Fault-prone files in software", abstract="Predicting them."),
    RecordData(title="Usability of mobile software", abstract="A user study."),
]


def fault_protocol() -> str:
    return protocol_text(
        query=QUERY,
        seed_papers=SEEDS,
        criteria={
            "inclusion": [{"code": "I1", "text": "Predicts faults."}],
            "exclusion": [{"code": "E1", "text": "Not about faults."}],
        },
        reviewers=[{"id": "R1"}],
        screening={"title_abstract": {"mode": "single"}, "full_text": {"mode": "single"}},
    )


def add_fault_records(project: Project) -> list[int]:
    """The five records (ids 1–5 in a new project)."""
    return project.add_records("IEEE", list(RECORDS))
