"""Errors of the store (all :class:`~qa_engine.errors.QAError`: one sentence, exit 2)."""

from __future__ import annotations

from qa_engine.errors import NotFoundError, QAError


class StoreError(QAError):
    """The store cannot be opened, read or written (foreign, corrupted, locked, newer)."""

    http_status = 500


class StoreBusyError(StoreError):
    """Another process held the store's write lock for longer than the timeout."""

    http_status = 503


class NotInStoreError(StoreError, NotFoundError):
    """An evaluation, criterion or content version asked for is not in the store."""

    http_status = 404


class TrailError(StoreError):
    """A record does not match what the audit trail vouches for (edited, deleted, inserted)."""
