"""Builders for screening tests: a project with reviewers, criteria and a few records."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from metasummary import Project, RecordData
from tests.helpers import protocol_text

TOPICS = [
    ("Machine learning in production software", "Interviews with engineers about deployment."),
    ("Deep learning model compression", "Pruning convolutional networks for phones."),
    ("Software engineering for AI systems", "A survey of practitioners building ML products."),
    ("Protein folding with neural networks", "Structure prediction benchmarks."),
    ("Requirements for ML-enabled systems", "Interview study on requirements challenges."),
    ("Image segmentation datasets", "A new dataset of annotated street scenes."),
]


def screening_protocol(
    *,
    mode: str = "single",
    reviewers: Sequence[str] = ("R1", "R2", "R3"),
    free_notes: bool = False,
    pilot_size: int = 0,
) -> str:
    return protocol_text(
        criteria={
            "inclusion": [{"code": "I1", "text": "About SE for ML."}],
            "exclusion": [
                {"code": "E1", "text": "Model-centric."},
                {"code": "E2", "text": "Non-technical people only."},
            ],
            "allow_free_notes": free_notes,
        },
        reviewers=[{"id": r} for r in reviewers],
        screening={
            "title_abstract": {"mode": mode, "pilot_size": pilot_size},
            "full_text": {"mode": mode},
        },
    )


def add_records(project: Project, count: int = 6) -> list[int]:
    items = [
        RecordData(
            title=f"{TOPICS[i % len(TOPICS)][0]} ({i})",
            abstract=TOPICS[i % len(TOPICS)][1],
            year=2020 + i % 5,
            venue="ICSE",
        )
        for i in range(count)
    ]
    return project.add_records("Manual", items)


def screening_project(
    make_project: Callable[..., Project], *, name: str = "review", **options: object
) -> Project:
    project = make_project(screening_protocol(**options), name=name)  # type: ignore[arg-type]
    add_records(project)
    return project
