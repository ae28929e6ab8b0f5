"""The dashboard: flow counts per source and phase, and the panels of the later steps."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metasummary.project import Project
from metasummary.screening.status import ProjectStatus
from metasummary.web.cache import ViewCache
from metasummary.web.deps import ProjectDep
from metasummary.web.panels import PanelData, load_panel, load_panels
from metasummary.web.rendering import render

router = APIRouter()


@dataclass(slots=True)
class Dashboard:
    status: ProjectStatus
    panels: list[PanelData]


def dashboard(project: Project, cache: ViewCache, *, lazy: bool = True) -> Dashboard:
    status = project.status()
    return Dashboard(status=status, panels=load_panels(project, status, cache, lazy=lazy))


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def dashboard_page(request: Request, project: ProjectDep) -> HTMLResponse:
    return render(
        request,
        "dashboard.html",
        dashboard=dashboard(project, request.app.state.views, lazy=False),
        active="dashboard",
        title="Dashboard",
        json_url="/api/dashboard",
    )


@router.get("/api/dashboard", tags=["dashboard"])
def dashboard_json(request: Request, project: ProjectDep) -> Dashboard:
    """Flow counts per source and phase (as `metasummary status --json`) and every panel."""
    return dashboard(project, request.app.state.views)


@router.get("/panels/{key}", response_class=HTMLResponse, include_in_schema=False)
def panel_view(request: Request, project: ProjectDep, key: str) -> HTMLResponse:
    panel = load_panel(project, project.status(), key, request.app.state.views)
    return render(request, "panel.html", panel=panel)


@router.get("/api/panels/{key}", tags=["dashboard"])
def panel_json(request: Request, project: ProjectDep, key: str) -> PanelData:
    """One dashboard panel: screening-progress, agreement, dedup-pairs or synthesis."""
    return load_panel(project, project.status(), key, request.app.state.views)
