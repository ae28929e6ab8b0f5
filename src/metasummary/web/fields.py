"""The types of every value a request carries, bounded by what the store holds.

A route declares its numbers as :data:`StoreInt` and its text as one of the string types
here (each bounded by the store column it ends up in), so a number too large for the database
or a 50 MB label is refused with 422 naming the field, before any query; no string may hold a
NUL character (PostgreSQL refuses them, and no field means one). ``tests/test_web_limits.py``
checks that every integer and string any route takes is bounded.
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from annotated_types import Ge, Le
from pydantic import AfterValidator, StringConstraints

from metasummary.store import schema
from metasummary.store.limits import INT_MAX, INT_MIN, max_length

StoreInt = Annotated[int, Ge(INT_MIN), Le(INT_MAX)]
"""An id, a position, a year: within the store's integers."""

SHORT = 200
"""Names and codes that are not stored as they are (a phase, a verdict, a search word)."""


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("a NUL character is not allowed here")
    return value


def _bound(column: sa.Column[Any]) -> int:
    found = max_length(column)
    assert found is not None, f"{column}: the schema gives no size"
    return found


NoNul = AfterValidator(_no_nul)

Code = Annotated[str, StringConstraints(max_length=_bound(schema.reviewers.c.code)), NoNul]
"""A reviewer, coder or stage code, a phase or a verdict (64 characters)."""
Note = Annotated[str, StringConstraints(max_length=_bound(schema.decisions.c.note)), NoNul]
Pdf = Annotated[str, StringConstraints(max_length=_bound(schema.decisions.c.pdf)), NoNul]
Label = Annotated[str, StringConstraints(max_length=_bound(schema.themes.c.label)), NoNul]
Finding = Annotated[str, StringConstraints(max_length=_bound(schema.findings.c.text)), NoNul]
Description = Annotated[
    str, StringConstraints(max_length=_bound(schema.themes.c.description)), NoNul
]
FilePath = Annotated[str, StringConstraints(max_length=schema.PATH), NoNul]
"""A file's path below a folder the app serves (checked by ``security.safe_path``)."""
Terms = Annotated[str, StringConstraints(max_length=schema.LABEL), NoNul]
"""Lines of query terms (``GROUP:term``), tried but not stored."""
Word = Annotated[str, StringConstraints(max_length=SHORT), NoNul]
"""A search, a filter value, a comma-separated list of ids."""
AccountName = Annotated[str, StringConstraints(max_length=_bound(schema.accounts.c.name)), NoNul]
"""An account's sign-in name (64 characters)."""
Password = Annotated[str, StringConstraints(max_length=1024), NoNul]
"""A password as typed: hashed, never stored; a kilobyte is longer than any pass phrase."""
Token = Annotated[str, StringConstraints(max_length=4096), NoNul]
"""What an OpenID Connect provider sends back (a code, a state, an error word)."""
