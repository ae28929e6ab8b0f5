"""One module per page; each holds the page and its JSON twin, built from one core call."""

from fastapi import APIRouter

from metasummary.web.routes import (
    board,
    conflicts,
    dashboard,
    dedup,
    fulltext,
    query,
    records,
    report,
    screening,
    signin,
)

ROUTERS: list[APIRouter] = [
    dashboard.router,
    query.router,
    records.router,
    screening.router,
    fulltext.router,
    conflicts.router,
    dedup.router,
    board.router,
    report.router,
    signin.router,
]
