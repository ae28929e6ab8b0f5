"""One module per page; each holds the page and its JSON twin, built from one core call."""

from fastapi import APIRouter

from metasummary.web.routes import (
    acting,
    board,
    conflicts,
    dashboard,
    dedup,
    fulltext,
    imports,
    query,
    records,
    report,
    screening,
    signin,
)

BODY_LIMITS: dict[str, int] = {**fulltext.BODY_LIMITS}
"""Paths whose requests may be larger than the app's body limit (uploads), and how large."""

ROUTERS: list[APIRouter] = [
    dashboard.router,
    imports.router,
    query.router,
    records.router,
    screening.router,
    fulltext.router,
    conflicts.router,
    dedup.router,
    board.router,
    report.router,
    acting.router,
    signin.router,
]
