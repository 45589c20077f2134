"""Errors of the store (all :class:`~qa_engine.errors.QAError`: one sentence, exit 2)."""

from __future__ import annotations

from qa_engine.errors import QAError


class StoreError(QAError):
    """The store cannot be opened, read or written (foreign, corrupted, locked, newer)."""


class StoreBusyError(StoreError):
    """Another process held the store's write lock for longer than the timeout."""


class NotInStoreError(StoreError):
    """An evaluation, criterion or content version asked for is not in the store."""


class TrailError(StoreError):
    """A record does not match what the audit trail vouches for (edited, deleted, inserted)."""
