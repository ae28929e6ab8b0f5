"""The dashboard: flow counts per source and phase, and the panels of the later steps."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metasummary.project import Project
from metasummary.status import ProjectStatus
from metasummary.web.deps import ProjectDep
from metasummary.web.panels import PanelData, load_panels
from metasummary.web.rendering import render

router = APIRouter()


@dataclass(slots=True)
class Dashboard:
    status: ProjectStatus
    panels: list[PanelData]


def dashboard(project: Project) -> Dashboard:
    status = project.status()
    return Dashboard(status=status, panels=load_panels(project, status))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(request: Request, project: ProjectDep) -> HTMLResponse:
    return render(
        request,
        "dashboard.html",
        dashboard=dashboard(project),
        active="dashboard",
        title="Dashboard",
        json_url="/api/dashboard",
    )


@router.get("/api/dashboard", tags=["dashboard"])
def dashboard_json(project: ProjectDep) -> Dashboard:
    """Flow counts per source and phase (as `metasummary status --json`) and the panels."""
    return dashboard(project)
