"""The qa-engine store: evaluations, reviewer actions and a hash-chained audit log.

SQLite by default (a file, zero set-up), PostgreSQL for shared use. See
:func:`open_store` and :class:`Store`.
"""

from __future__ import annotations

# the workspace's writers bind their tables to the audit trail when imported: the
# store always knows them, so `audit verify` checks them whoever opened it
from qa_engine.store import accounts as accounts  # (registers)
from qa_engine.store import cases as cases  # (registers)
from qa_engine.store import publication as publication  # noqa: E402  (registers)

# the review workflow binds its tables to the audit trail when imported
from qa_engine.store import workflow as workflow  # noqa: E402  (registers)
from qa_engine.store.audit import AuditResult
from qa_engine.store.backend import DEFAULT_DB, ENV_DB, resolve_url
from qa_engine.store.errors import NotInStoreError, StoreBusyError, StoreError, TrailError
from qa_engine.store.models import SCHEMA_VERSION
from qa_engine.store.store import (
    OVERRIDE_STATES,
    EvaluationRow,
    HistoryEntry,
    OverrideView,
    Store,
    open_store,
    report_codec,
)

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
    "TrailError",
    "open_store",
    "report_codec",
    "resolve_url",
]
