"""The pages in the header's navigation, in order.

A page joins the app by adding its router to :data:`metasummary.web.routes.ROUTERS` and its
entry here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    label: str
    path: str


NAVIGATION: list[NavItem] = [
    NavItem("dashboard", "Dashboard", "/"),
    NavItem("query", "Query", "/query"),
    NavItem("records", "Records", "/records"),
    NavItem("screening", "Screening", "/screening"),
    NavItem("conflicts", "Conflicts", "/conflicts"),
    NavItem("dedup", "Duplicates", "/dedup"),
    NavItem("fulltext", "Full texts", "/fulltext"),
    NavItem("board", "Card sort", "/board"),
    NavItem("report", "Report", "/report"),
]
