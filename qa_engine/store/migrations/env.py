"""Alembic's environment: always run on the store's own, already write-locked
connection (``config.attributes["connection"]``), inside its transaction, so that a
schema upgrade and its audit entry commit together or not at all."""

from __future__ import annotations

from alembic import context

from qa_engine.store.models import METADATA

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the store runs migrations
    raise RuntimeError("qa-engine migrations run through qa_engine.store.schema.ensure_schema")

context.configure(
    connection=connection,
    target_metadata=METADATA,
    render_as_batch=True,  # SQLite alters tables by copying them
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
