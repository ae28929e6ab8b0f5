"""The Boolean search query: its model, per-library renderings, lint, local test, seed check.

Reach it through ``project.query`` (a :class:`QueryService`). The service and its results
load on first use, so a module that only needs the query's words (the screening page's
highlighting) does not load the file readers the seed check uses.
"""

from __future__ import annotations

import typing as _typing

from metasummary.query.model import BooleanQuery, Term, TermGroup, build_query, parse_term

if _typing.TYPE_CHECKING:
    from metasummary.query.service import CheckResult, QueryService, TestResult

__all__ = [
    "BooleanQuery",
    "CheckResult",
    "QueryService",
    "Term",
    "TermGroup",
    "TestResult",
    "build_query",
    "parse_term",
]


def __getattr__(name: str) -> _typing.Any:
    if name not in {"CheckResult", "QueryService", "TestResult"}:
        raise AttributeError(f"module 'metasummary.query' has no attribute {name!r}")
    from metasummary.query import service

    return getattr(service, name)
