"""The dashboard's panels beside the flow table: each reads its figures through one call on
the project, kept until the data changes (:class:`~metasummary.web.cache.ViewCache`).

Panels that fold every decision of the review (progress per reviewer, agreement) or compare
pairs load after the page, so the dashboard shows at once on a large review.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from metasummary.errors import NotFoundError
from metasummary.models import PHASES
from metasummary.project import Project
from metasummary.screening.status import ProjectStatus
from metasummary.web.cache import ViewCache


@dataclass(frozen=True, slots=True)
class Panel:
    """One dashboard panel.

    Attributes:
        load: Reads the panel's data from the project, the status already read, and the
            reviewer looking (None: no reviewer; blind screening hides others' verdicts).
        template: The partial under ``templates/panels/`` that shows the data.
        lazy: Loaded by the page after it shows (``/panels/<key>``), not with it.
        reads: What its figures depend on: ``"records"`` (records, links, decisions: kept
            across changes to the synthesis) or ``"all"``.
    """

    key: str
    title: str
    load: Callable[[Project, ProjectStatus, str | None], Any]
    template: str
    lazy: bool = False
    reads: str = "all"


@dataclass(slots=True)
class PanelData:
    """A panel and its figures (``None`` in a page that loads them after it shows)."""

    key: str
    title: str
    data: Any = None
    template: str = ""
    lazy: bool = False


def _progress(project: Project, status: ProjectStatus, viewer: str | None) -> dict[str, Any]:
    rows = project.screening.progress(viewer)
    phases = []
    for phase in PHASES:
        eligible = status.total.phases[phase.value].eligible
        listed = [
            {**row.to_dict(), "percent": round(100 * row.votes / eligible) if eligible else 0}
            for row in rows
            if row.phase is phase
        ]
        phases.append({"phase": phase.value, "eligible": eligible, "reviewers": listed})
    return {"phases": phases}


def _stopping(project: Project, _status: ProjectStatus, _viewer: str | None) -> dict[str, Any]:
    """Per phase with settled records: the gain curve, the rules' readings, the decision."""
    from metasummary.report.charts import GainChart

    phases = []
    for phase in PHASES:
        curve = project.screening.stopping(phase)
        if curve.history.screened == 0:
            continue
        first = curve.first_stop()
        decision = curve.decision
        chart = GainChart(
            f"gain-{phase.value}",
            "Inclusions found against records screened",
            list(curve.history.labels),
            curve.history.total,
            stop_at=first,
            stop_label=f"{curve.settings.rule} rule: stop",
            decided_at=None if decision is None else decision.screened,
        ).draw(("svg",))
        phases.append(
            {
                **curve.to_dict(),
                "first_stop": first,
                # An image, not inline SVG: the page's policy allows no inline styles.
                "chart": "data:image/svg+xml;base64,"
                + base64.b64encode(chart.files["svg"]).decode("ascii"),
            }
        )
    return {"phases": phases}


def _agreement(
    project: Project, _status: ProjectStatus, _viewer: str | None
) -> list[dict[str, object]]:
    return [a.to_dict() for a in project.screening.agreement()]


def _dedup(project: Project, _status: ProjectStatus, _viewer: str | None) -> dict[str, int]:
    return {
        "waiting": len(project.dedup.pending()),
        "duplicates": _status.total.duplicates,
    }


def _synthesis(_project: Project, status: ProjectStatus, _viewer: str | None) -> dict[str, int]:
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
        _progress,
        "panels/screening.html",
        lazy=True,
        reads="records",
    ),
    Panel(
        "stopping",
        "When to stop",
        _stopping,
        "panels/stopping.html",
        lazy=True,
        reads="records",
    ),
    Panel(
        "agreement",
        "Agreement between reviewers",
        _agreement,
        "panels/agreement.html",
        lazy=True,
        reads="records",
    ),
    Panel(
        "dedup-pairs",
        "Duplicate pairs waiting for review",
        _dedup,
        "panels/dedup.html",
        lazy=True,
        reads="records",
    ),
    Panel("synthesis", "Findings and themes", _synthesis, "panels/synthesis.html"),
]
BY_KEY = {panel.key: panel for panel in PANELS}


def load_panel(
    project: Project, status: ProjectStatus, key: str, cache: ViewCache, viewer: str | None = None
) -> PanelData:
    """One panel with its data, as ``viewer`` may see it.

    Raises:
        NotFoundError: No panel is called ``key``.
    """
    panel = BY_KEY.get(key)
    if panel is None:
        raise NotFoundError(f"panel {key!r}: no such panel (panels: {', '.join(BY_KEY)})")
    data = cache.get(
        project,
        f"panel:{key}:{viewer}",
        lambda: panel.load(project, status, viewer),
        reads=panel.reads,
    )
    return PanelData(panel.key, panel.title, data, panel.template, panel.lazy)


def load_panels(
    project: Project,
    status: ProjectStatus,
    cache: ViewCache,
    *,
    lazy: bool = True,
    viewer: str | None = None,
) -> list[PanelData]:
    """Every panel; with ``lazy`` false, those the page loads later come without data."""
    return [
        load_panel(project, status, panel.key, cache, viewer)
        if lazy or not panel.lazy
        else PanelData(panel.key, panel.title, None, panel.template, panel.lazy)
        for panel in PANELS
    ]
