"""The Boolean search query: its model, per-library renderings, lint, local test, seed check.

Reach it through ``project.query`` (a :class:`QueryService`).
"""

from metasummary.query.model import BooleanQuery, Term, TermGroup, build_query, parse_term
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
