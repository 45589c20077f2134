"""The HTML diff report, in the design language of the audit report."""

from __future__ import annotations

from pathlib import Path

from qa_engine.formats.diffreport import DiffReport
from qa_engine.render.html import render_template

DIFF_TEMPLATE = "diff-report.html.j2"


def render_diff_html(diff: DiffReport, *, templates_dir: Path | None = None) -> str:
    return render_template(DIFF_TEMPLATE, templates_dir, diff=diff)
