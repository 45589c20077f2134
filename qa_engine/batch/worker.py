"""The work a batch sends to worker processes (local process pool or Dask workers).

Two kinds of task, each over a chunk of dossiers:

* :func:`prepare_chunk` parses and validates raw dossier bytes and returns each
  dossier's id, content hash and canonical JSON (or its one-line error). Parsing is
  the most expensive step, so it runs in the workers; the parent then asks the store
  whether the evaluation exists before any evaluation is spent on it.
* :func:`evaluate_chunk` evaluates canonical dossier JSON and returns the report JSON
  and HTML text. Workers never touch the store or the output folder.

Each worker process resolves the ruleset and rubric and compiles the rules engine
once (:func:`init_worker`, or lazily on the first task under Dask), pinned to the
exact versions and content hashes the parent resolved. durable-rules keeps C state
per process and must not be shared between threads, so a process-wide lock runs one
chunk at a time even when a Dask worker has several threads.
"""

from __future__ import annotations

import datetime as _dt
import os
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any

from ..errors import EngineError, QAError


@dataclass(frozen=True)
class WorkerSpec:
    """Everything a worker needs to evaluate exactly as the parent resolved it."""

    ruleset: str  # id@version
    rubric: str  # id@version
    ruleset_sha256: str
    rubric_sha256: str
    as_of: _dt.date
    engine: str
    rulesets_dirs: tuple[str, ...] = ()
    templates_dir: str | None = None
    html: bool = True


_LOCK = threading.Lock()
_SETUPS: dict[WorkerSpec, Any] = {}


def _setup(spec: WorkerSpec) -> Any:
    """The resolved Setup for ``spec``: built and compiled once per process."""
    setup = _SETUPS.get(spec)
    if setup is not None:
        return setup
    from ..check import resolve
    from ..engine import get_engine
    from ..registry import Registry

    setup = resolve(
        ruleset=spec.ruleset,
        rubric=spec.rubric,
        as_of=spec.as_of,
        engine=spec.engine,
        registry=Registry(ruleset_dirs=list(spec.rulesets_dirs)),
    )
    if setup.ruleset.sha256 != spec.ruleset_sha256 or setup.rubric.sha256 != spec.rubric_sha256:
        raise EngineError(
            f"this worker resolves {spec.ruleset} / {spec.rubric} to other content than the "
            "batch (content hashes differ)",
            hint="install the same qa-engine version and rulesets on every worker",
        )
    get_engine(setup.ruleset, setup.engine)  # compile now, once
    _SETUPS[spec] = setup
    return setup


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when the batch process dies (even by
    kill -9), so that no orphan keeps computing results nobody will collect."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl: workers exit on EOF
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def init_worker(spec: WorkerSpec) -> None:
    """Process-pool initializer: leave Ctrl-C to the parent, die with it, set up once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    with _LOCK:
        _setup(spec)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, QAError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}; rerun with --debug and report it."


def prepare_chunk(spec: WorkerSpec, items: list[tuple[int, str, bytes]]) -> list[dict[str, Any]]:
    """Parse and validate each ``(index, name, raw bytes)``.

    Returns ``{"i", "ok": True, "id", "sha256", "json"}`` (canonical dossier JSON) or
    ``{"i", "ok": False, "error"}`` with the one-line error.
    """
    from ..hashing import canonical_json, sha256_bytes
    from ..loader import _decode, load_dossier

    out: list[dict[str, Any]] = []
    with _LOCK:
        for index, name, data in items:
            try:
                dossier = load_dossier(name, text=_decode(data, name))
                text = canonical_json(dossier.model_dump(mode="json", exclude_none=True))
                out.append(
                    {
                        "i": index,
                        "ok": True,
                        "id": dossier.id,
                        "sha256": sha256_bytes(text.encode("utf-8")),
                        "json": text,
                    }
                )
            except Exception as exc:  # noqa: BLE001 - a bad dossier is a rejection, not a crash
                out.append({"i": index, "ok": False, "error": _error_text(exc)})
    return out


def evaluate_chunk(spec: WorkerSpec, items: list[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """Evaluate each ``(index, name, canonical dossier JSON)``.

    Returns ``{"i", "ok": True, "report": <report JSON>, "html": <HTML or None>}`` or
    ``{"i", "ok": False, "error"}``.
    """
    from ..check import check_dossier, report_json
    from ..dossier import Dossier

    out: list[dict[str, Any]] = []
    with _LOCK:
        setup = _setup(spec)
        for index, name, text in items:
            try:
                dossier = Dossier.model_validate_json(text)
                report = check_dossier(setup, dossier, file=name)
                html = None
                if spec.html:
                    from ..render_html import render_html

                    html = render_html(report, templates_dir=spec.templates_dir)  # type: ignore[arg-type]
                out.append({"i": index, "ok": True, "report": report_json(report), "html": html})
            except Exception as exc:  # noqa: BLE001 - isolate the dossier, keep the batch going
                out.append({"i": index, "ok": False, "error": _error_text(exc)})
    return out


__all__ = ["WorkerSpec", "evaluate_chunk", "init_worker", "prepare_chunk"]
