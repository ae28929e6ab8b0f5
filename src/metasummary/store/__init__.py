"""The store: the only package that speaks SQL.

:class:`Store` owns the engine and hands out transactions; the modules beside it hold the
queries, as functions that take a connection. Services above the store never build SQL.
``Store`` loads on first use, so importing one query module does not load the migrations.
"""

from __future__ import annotations

import typing as _typing

if _typing.TYPE_CHECKING:
    from metasummary.store.database import Store

__all__ = ["Store"]


def __getattr__(name: str) -> _typing.Any:
    if name != "Store":
        raise AttributeError(f"module 'metasummary.store' has no attribute {name!r}")
    from metasummary.store.database import Store

    return Store
