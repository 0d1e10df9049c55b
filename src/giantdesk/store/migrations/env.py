"""Alembic environment: always run by the store with an open connection (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from giantdesk.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the store always passes its connection
    raise RuntimeError("the GiantDesk migrations run only through giantdesk.store")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
