"""What route handlers receive: the project, the screening desk, and whether htmx asked for a
fragment."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from metasummary.errors import InputError
from metasummary.project import Project
from metasummary.store.limits import INT_MAX, INT_MIN
from metasummary.web.desk import Desk
from metasummary.web.holder import ProjectHolder
from metasummary.web.indexing import SearchIndexer


def get_project(request: Request) -> Project:
    holder: ProjectHolder = request.app.state.projects
    return holder.get()


def get_desk(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def get_indexer(request: Request) -> SearchIndexer:
    indexer: SearchIndexer = request.app.state.indexer
    return indexer


ProjectDep = Annotated[Project, Depends(get_project)]
DeskDep = Annotated[Desk, Depends(get_desk)]
IndexerDep = Annotated[SearchIndexer, Depends(get_indexer)]


def wants_fragment(request: Request, target: str) -> bool:
    """Whether htmx asked to swap only the element with id ``target``."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-target") == target
        and request.headers.get("hx-history-restore-request") != "true"
    )


def id_list(text: str, what: str = "skip") -> list[int]:
    """Ids from a comma-separated form value (``"3,17"``); blank gives none."""
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(f"{what} {text!r}: give record ids separated by commas") from None
    return [store_int(i, what) for i in ids]


def store_int(value: int, what: str) -> int:
    """``value`` when the store's integers hold it, else an error naming the field."""
    if not INT_MIN <= value <= INT_MAX:
        raise InputError(f"{what}: {value} is out of range (ids go up to {INT_MAX:,})")
    return value
