"""Alembic environment: migrations run on the connection the store hands over."""

from __future__ import annotations

from alembic import context

from metasummary.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("metasummary migrations run through metasummary.store, not the alembic CLI")

# Batch mode lets ALTER TABLE work on SQLite by copying the table.
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
