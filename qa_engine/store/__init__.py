"""The qa-engine store: evaluations, reviewer actions and a hash-chained audit log.

SQLite by default (a file, zero set-up), PostgreSQL for shared use. See
:func:`open_store` and :class:`Store`.
"""

from __future__ import annotations

from .audit import AuditResult
from .backend import DEFAULT_DB, ENV_DB, resolve_url
from .errors import NotInStoreError, StoreBusyError, StoreError
from .models import SCHEMA_VERSION
from .store import OVERRIDE_STATES, EvaluationRow, HistoryEntry, OverrideView, Store, open_store

__all__ = [
    "DEFAULT_DB",
    "ENV_DB",
    "OVERRIDE_STATES",
    "SCHEMA_VERSION",
    "AuditResult",
    "EvaluationRow",
    "HistoryEntry",
    "NotInStoreError",
    "OverrideView",
    "Store",
    "StoreBusyError",
    "StoreError",
    "open_store",
    "resolve_url",
]
