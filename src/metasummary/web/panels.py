"""The dashboard's panels beside the flow table.

Each panel reads its figures through one call on the project. A panel whose step is not built
yet has no loader and shows what will fill it: the screening, dedup and card-sort services
plug in here by giving their panel a ``load`` function and a template in
``templates/panels/``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from metasummary.project import Project
from metasummary.status import ProjectStatus


@dataclass(frozen=True, slots=True)
class Panel:
    """One dashboard panel.

    Attributes:
        load: Reads the panel's data from the project and the status already read for the
            page; None while the step that provides it is not built.
        template: The partial under ``templates/panels/`` that shows the data.
        arrives_with: What brings the panel, shown while ``load`` is None.
    """

    key: str
    title: str
    load: Callable[[Project, ProjectStatus], Any] | None = None
    template: str = ""
    arrives_with: str = ""


@dataclass(slots=True)
class PanelData:
    key: str
    title: str
    available: bool
    data: Any = None
    arrives_with: str = ""
    template: str = ""


def _synthesis(_project: Project, status: ProjectStatus) -> dict[str, int]:
    return {
        "findings": status.findings,
        "sorted": status.sorted_findings,
        "unsorted": status.findings - status.sorted_findings,
        "themes": status.themes,
    }


PANELS: list[Panel] = [
    Panel(
        "screening-progress",
        "Screening progress per reviewer",
        arrives_with="the screening step: votes per reviewer and phase",
    ),
    Panel(
        "agreement",
        "Agreement between reviewers",
        arrives_with="the screening step: Cohen's kappa and percent agreement per phase",
    ),
    Panel(
        "dedup-pairs",
        "Duplicate pairs waiting for review",
        arrives_with="the dedup step: maybe-pairs to accept or reject",
    ),
    Panel("synthesis", "Findings and themes", load=_synthesis, template="panels/synthesis.html"),
]


def load_panels(project: Project, status: ProjectStatus) -> list[PanelData]:
    return [
        PanelData(
            key=panel.key,
            title=panel.title,
            available=panel.load is not None,
            data=panel.load(project, status) if panel.load is not None else None,
            arrives_with=panel.arrives_with,
            template=panel.template,
        )
        for panel in PANELS
    ]
