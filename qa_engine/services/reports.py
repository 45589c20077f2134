"""Reports on demand: any evaluation in the store, rendered at any time.

A batch records every evaluation in the store and writes per-dossier files only as
asked (``--html``/``--json``); :func:`render_stored` gives the report of a stored
evaluation as HTML, JSON or PDF, byte-identical to the file the batch writes (or would
have written) for it. ``qa-engine report`` and the web workspace call it; the batch
calls :func:`render_report` for the files it writes.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_engine.errors import UsageError
from qa_engine.formats.report import Report

#: Formats a stored report renders to, and their media types.
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
FORMATS = tuple(MEDIA_TYPES)


@dataclass(frozen=True)
class RenderedReport:
    """A rendered report: its bytes, media type and a file name to offer."""

    content: bytes
    media_type: str
    filename: str
    passed: bool
    evaluation_id: int | None = None


def render_report(
    report: Report,
    fmt: str,
    *,
    templates_dir: str | Path | None = None,
    date: _dt.date | None = None,
) -> bytes:
    """The report as ``fmt`` (html, json or pdf) bytes. ``date`` is the only date a PDF
    carries in its metadata (none when None): the same report gives the same bytes."""
    if fmt == "json":
        from qa_engine.services.check import report_json

        return report_json(report).encode("utf-8")
    if fmt == "html":
        from qa_engine.render.html import render_html

        tdir = Path(templates_dir) if templates_dir is not None else None
        return render_html(report, templates_dir=tdir).encode("utf-8")
    if fmt == "pdf":
        from qa_engine.render.pdf import render_pdf

        return render_pdf(report, templates_dir=templates_dir, date=date)
    raise UsageError(f"unknown report format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}")


def render_stored(
    store: Any,
    evaluation_id: int,
    fmt: str = "html",
    *,
    templates_dir: str | Path | None = None,
    date: _dt.date | None = None,
) -> RenderedReport:
    """The stored report of ``evaluation_id`` (no reviewer actions applied; see
    :func:`qa_engine.services.review.effective_report` for those) as ``fmt``."""
    if fmt not in MEDIA_TYPES:
        raise UsageError(f"unknown report format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}")
    report = store.get_report(evaluation_id)
    return RenderedReport(
        content=render_report(report, fmt, templates_dir=templates_dir, date=date),
        media_type=MEDIA_TYPES[fmt],
        filename=f"{report.dossier.id}.{fmt}",
        passed=report.passed,
        evaluation_id=evaluation_id,
    )


__all__ = ["FORMATS", "MEDIA_TYPES", "RenderedReport", "render_report", "render_stored"]
