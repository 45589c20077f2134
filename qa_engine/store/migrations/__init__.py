"""Alembic migrations of the store (run by :func:`qa_engine.store.schema.ensure_schema`)."""
