"""The store: the only package that speaks SQL.

:class:`Store` owns the engine and hands out transactions; the modules beside it hold the
queries, as functions that take a connection. Services above the store never build SQL.
"""

from metasummary.store.database import Store

__all__ = ["Store"]
