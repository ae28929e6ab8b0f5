"""Roles in a review and what each may do.

An owner runs the review (protocol, accounts, sources, resolving conflicts, corrections) and
may do anything a reviewer does; a reviewer screens, reads, extracts, appraises quality and
sorts; an observer reads what blinding allows. The web app checks every request against these
grants (``web/access.py``); the core's visibility rule decides what each may read.
"""

from __future__ import annotations

from enum import StrEnum

from metasummary.errors import InputError


class Role(StrEnum):
    OWNER = "owner"
    REVIEWER = "reviewer"
    OBSERVER = "observer"


class Permission(StrEnum):
    READ = "read"
    SCREEN = "screen"
    EXTRACT = "extract"
    QUALITY = "quality"
    SORT = "sort"
    RESOLVE = "resolve"
    PROTOCOL = "protocol"
    USERS = "users"
    SOURCES = "sources"
    CORRECT = "correct"
    """Corrections: undoing imports, merging sources, dedup links, writing the report."""


_REVIEWING = frozenset(
    {Permission.READ, Permission.SCREEN, Permission.EXTRACT, Permission.QUALITY, Permission.SORT}
)
GRANTS: dict[Role, frozenset[Permission]] = {
    Role.OWNER: frozenset(Permission),
    Role.REVIEWER: _REVIEWING,
    Role.OBSERVER: frozenset({Permission.READ}),
}


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise InputError(
            f"role {value!r}: unknown; use {', '.join(r.value for r in Role)}"
        ) from None


def allows(role: Role | str, permission: Permission) -> bool:
    return permission in GRANTS[Role(role)]
