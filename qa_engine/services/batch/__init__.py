"""Batch review: many dossiers, in parallel, resumable, into one output folder.

* :mod:`.inputs` finds and reads the dossiers (folders, globs, zip archives).
* :mod:`.worker` is the work done in worker processes (local pool or Dask).
* :mod:`.runner` orchestrates a run (:func:`run_batch`).
* :mod:`.records` keeps the output folder's journal; :mod:`.dashboard` builds
  ``index.html`` and ``summary.csv`` from it; :mod:`.progress` shows progress.
"""

from __future__ import annotations

from qa_engine.services.batch.inputs import ArchiveLimits, Source, discover, read_sources
from qa_engine.services.batch.runner import EXECUTORS, BatchResult, run_batch

__all__ = [
    "EXECUTORS",
    "ArchiveLimits",
    "BatchResult",
    "Source",
    "discover",
    "read_sources",
    "run_batch",
]
