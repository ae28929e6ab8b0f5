"""What route handlers receive: the project, and whether htmx asked for a fragment."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from metasummary.project import Project
from metasummary.web.holder import ProjectHolder


def get_project(request: Request) -> Project:
    holder: ProjectHolder = request.app.state.projects
    return holder.get()


ProjectDep = Annotated[Project, Depends(get_project)]


def wants_fragment(request: Request, target: str) -> bool:
    """Whether htmx asked to swap only the element with id ``target``."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-target") == target
        and request.headers.get("hx-history-restore-request") != "true"
    )
