"""One module per page; each holds the page and its JSON twin, built from one core call.

Part 2 of the web issue adds ``screening``, ``dedup`` and ``board`` here (and to
:data:`metasummary.web.navigation.NAVIGATION`).
"""

from fastapi import APIRouter

from metasummary.web.routes import dashboard, records, report

ROUTERS: list[APIRouter] = [dashboard.router, records.router, report.router]
