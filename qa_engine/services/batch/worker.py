"""The work a batch sends to worker processes (local process pool or Dask workers).

:func:`process_chunk` takes a chunk of raw dossier files and does everything that
costs CPU for each: decode, parse and validate, hash the canonical dossier, and —
unless the store already holds that dossier's evaluation — evaluate, score, explain,
serialise the JSON report, render the HTML report and reduce the report to the rows
the store records. A bad dossier comes back with its one-line error.

A local worker writes the two report files itself, as fsynced temporary files in the
output folder's reports directory; the parent (the single owner of the folder's names,
journal and store) moves them into place, or drops them. A Dask worker may run on
another machine, so it returns the texts and the parent writes them.

Each worker process resolves the ruleset and rubric and compiles the rules engine
once (:func:`init_worker`, or lazily on the first task under Dask), pinned to the
exact versions and content hashes the parent resolved. durable-rules keeps C state
per process and must not be shared between threads, so a process-wide lock runs one
chunk at a time even when a Dask worker has several threads.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import os
import signal
import sys
import threading
from dataclasses import dataclass
from typing import Any

from qa_engine.errors import EngineError, QAError


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
    #: Which per-dossier files to write: "all", "failing" (dossiers that do not pass)
    #: or "none"; the store holds every report whatever these say.
    html: str = "all"
    json: str = "all"

    def __post_init__(self) -> None:
        for kind in ("html", "json"):  # True/False (the older flag) mean all/none
            value: Any = getattr(self, kind)
            if isinstance(value, bool):
                object.__setattr__(self, kind, "all" if value else "none")
            elif value not in FILE_CHOICES:
                raise ValueError(f"--{kind} must be one of {', '.join(FILE_CHOICES)}")

    def wants(self, kind: str, passed: bool) -> bool:
        """Whether a dossier's ``kind`` ("html" or "json") report file is written."""
        return wanted(self.html if kind == "html" else self.json, passed)


#: The choices of ``--html`` and ``--json``.
FILE_CHOICES = ("all", "failing", "none")


def wanted(mode: str, passed: bool) -> bool:
    """Whether a report file is written under ``mode`` for a dossier that (not) ``passed``."""
    return mode == "all" or (mode == "failing" and not passed)


_LOCK = threading.Lock()
_SETUPS: dict[WorkerSpec, Any] = {}


def _setup(spec: WorkerSpec) -> Any:
    """The resolved Setup for ``spec``: built and compiled once per process."""
    setup = _SETUPS.get(spec)
    if setup is not None:
        return setup
    from qa_engine.engine import get_engine
    from qa_engine.rules.registry import Registry
    from qa_engine.services.check import resolve

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


#: Dossier sha256s the store held when the batch started (set by :func:`init_worker`).
_KNOWN: frozenset[str] = frozenset()


def init_worker(spec: WorkerSpec, known: frozenset[str] = frozenset()) -> None:
    """Process-pool initializer: leave Ctrl-C to the parent, die with it, set up once."""
    global _KNOWN
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _KNOWN = known
    with _LOCK:
        _setup(spec)
    _tune_gc()


def _tune_gc() -> None:
    """Move everything set up so far (modules, compiled rules, templates) out of the
    collector's sight and collect less often: a report makes tens of thousands of
    short-lived objects, and full scans of the long-lived ones cost ~15 % of a worker's
    time (measured). Reference cycles are still collected."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, QAError):
        return str(exc)
    return f"internal error: {type(exc).__name__}: {exc}; rerun with --debug and report it."


def summary_of(report: Any, failing: frozenset[str]) -> dict[str, Any]:
    """The journal's (and dashboard's) view of a report."""
    return {
        "id": report.dossier.id,
        "sha256": report.dossier.sha256,
        "title": report.dossier.title,
        "provider": report.dossier.provider,
        "decision": report.decision,
        "label": report.decision_label,
        "passed": report.passed,
        "score": report.score,
        "essential": list(report.essential_failures),
        "failed": {c.id: c.state for c in report.criteria if c.state in failing},
    }


def _failing() -> frozenset[str]:
    from qa_engine.scoring import GATE_OK
    from qa_engine.states import ALL_STATES

    return frozenset(s for s in ALL_STATES if s not in GATE_OK)


def process_chunk(
    spec: WorkerSpec,
    items: list[tuple[int, str, bytes]],
    known: frozenset[str] | None = None,
    write_dir: str | None = None,
) -> list[dict[str, Any]]:
    """Parse, validate and (when new) evaluate each ``(index, file name, raw bytes)``.

    ``known`` holds the dossier sha256s whose evaluation the store has (``None``: the
    set given to :func:`init_worker`). Returns per item one of

    * ``{"i", "ok": False, "error", "id"?}``: rejected, with the one-line error;
    * ``{"i", "ok": True, "known": True, "id", "sha256"}``: already evaluated;
    * ``{"i", "ok": True, "id", "sha256", "row", "summary", "files": (json, html)}``
      with ``write_dir`` (temporary files there), else ``"report"`` and ``"html"`` texts;
      a report the spec does not want written (``--html``, ``--json``) is None.
    """
    from qa_engine.formats.loader import _decode, load_dossier
    from qa_engine.hashing import canonical_json, sha256_bytes
    from qa_engine.services.check import check_dossier, report_json
    from qa_engine.store import EvaluationRow, report_codec

    seen = _KNOWN if known is None else known
    failing = _failing()
    out: list[dict[str, Any]] = []
    with _LOCK:
        fresh = spec not in _SETUPS
        setup = _setup(spec)
        if fresh and known is not None:  # a Dask worker sets up on its first task, not in init_worker
            _tune_gc()
        codec = report_codec(setup.ruleset, setup.rubric)  # compressed here, not in the writer
        for index, name, data in items:
            dossier_id = None
            try:
                dossier = load_dossier(name, text=_decode(data, name))
                dossier_id = dossier.id
                text = canonical_json(dossier.model_dump(mode="json", exclude_none=True))
                sha = sha256_bytes(text.encode("utf-8"))
                if sha in seen:
                    out.append({"i": index, "ok": True, "known": True, "id": dossier.id, "sha256": sha})
                    continue
                report = check_dossier(setup, dossier, file=name, sha256=sha)
                report_text = report_json(report)
                html = None
                if spec.wants("html", report.passed):
                    from qa_engine.render.html import render_html

                    html = render_html(report, templates_dir=spec.templates_dir)  # type: ignore[arg-type]
                json_file = report_text if spec.wants("json", report.passed) else None
                res: dict[str, Any] = {
                    "i": index, "ok": True, "id": dossier.id, "sha256": sha,
                    "row": EvaluationRow.from_report(
                        report, text, report_text, dossier_content_sha256=sha, report_codec=codec
                    ),
                    "summary": summary_of(report, failing),
                }
            except Exception as exc:  # noqa: BLE001 - a bad dossier is a rejection, not a crash
                out.append({"i": index, "ok": False, "error": _error_text(exc), "id": dossier_id})
                continue
            if write_dir is None:
                res["report"], res["html"] = json_file, html
            else:
                res["files"] = _write_files(write_dir, json_file, html)
            out.append(res)
    return out


def output_error(folder: str | os.PathLike[str], exc: OSError) -> QAError:
    """Reports that cannot be written stop the batch (not the dossier's fault)."""
    from qa_engine.errors import OutputError

    return OutputError(
        f"the reports cannot be written ({exc.strerror or exc})",
        file=str(folder),
        hint="free disk space (or fix the permissions), then run the same command again to resume",
    )


def _write_files(
    folder: str, report_text: str | None, html: str | None
) -> tuple[str | None, str | None]:
    """The reports to write as temporary files (None: not written); a full disk stops
    the batch (not the dossier's fault), leaving no temporary file behind."""
    from qa_engine.fileio import write_temporary

    written: list[str] = []
    out: list[str | None] = []
    try:
        for text in (report_text, html):
            if text is None:
                out.append(None)
                continue
            path = str(write_temporary(folder, text.encode("utf-8")))
            written.append(path)
            out.append(path)
    except OSError as exc:
        for path in written:
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise output_error(folder, exc) from None
    return out[0], out[1]


__all__ = ["FILE_CHOICES", "WorkerSpec", "init_worker", "process_chunk", "summary_of", "wanted"]
