"""PDF documents rendered from the HTML reports with WeasyPrint.

One design: the PDF is the HTML audit report (the same template, so the same words)
laid out for paper by the print rules of ``report.css`` and the PDF stylesheet
``pdf.css`` (A4 pages, running footer with the dossier, ruleset and page numbers,
criteria that may break across pages but never leave a heading behind). A
``--templates`` folder may bring its own ``pdf.css``.

Deterministic: the same HTML and date give the same bytes. The PDF carries no clock
time: its creation date is the ``date`` given (none by default), its identifier is
derived from the document's content, and WeasyPrint fetches nothing (a report is
self-contained; any URL but ``data:`` is refused, so a template cannot make the
renderer reach the network or the file system).

:func:`html_to_pdf` is the general entry point (the review workflow's decision letters
use it too); :func:`render_pdf` renders an audit report.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa_engine.errors import QAError
from qa_engine.formats.report import Report
from qa_engine.render.html import render_html
from qa_engine.rules.registry import bundled_reports_dir

#: The PDF stylesheet, looked up like the report templates (a templates folder wins).
PDF_STYLESHEET = "pdf.css"


class PdfError(QAError):
    """A PDF cannot be made (WeasyPrint or its system libraries are missing)."""


def _weasyprint() -> Any:
    try:
        import weasyprint
        from weasyprint.logger import LOGGER, PROGRESS_LOGGER
    except (ImportError, OSError) as exc:  # OSError: Pango/HarfBuzz libraries missing
        raise PdfError(
            f"PDF output needs WeasyPrint and its system libraries ({exc})",
            hint="pip install weasyprint, and install Pango (Debian: apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0)",
        ) from None
    # WeasyPrint reports every CSS rule it skips (screen-only rules of report.css) as a
    # warning: none is the reader's business, and the terminal gets one line or none
    LOGGER.setLevel(logging.ERROR)
    PROGRESS_LOGGER.setLevel(logging.ERROR)
    return weasyprint


def _fetcher() -> Any:
    """WeasyPrint's URL fetcher for reports: ``data:`` URLs (inline images) only."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


@lru_cache(maxsize=16)
def _stylesheet_text(templates_dir: str | None) -> str:
    for folder in ([templates_dir] if templates_dir else []) + [str(bundled_reports_dir())]:
        path = Path(folder) / PDF_STYLESHEET
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise PdfError(
        f"the PDF stylesheet {PDF_STYLESHEET} is missing",
        file=str(bundled_reports_dir() / PDF_STYLESHEET),
        hint="restore it or remove --templates",
    )


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and controls escaped)."""
    out = []
    for ch in text:
        if ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


#: WeasyPrint draws inline SVG with the SVG's own styles only, not the page's: the
#: chart rules of report.css, given to each chart (colours as in report.css).
_CHART_STYLE = (
    "<style>text{font-family:'DejaVu Sans',sans-serif;fill:#1f2937}"
    ".label{font-size:13px}.value{font-size:13px;font-weight:700}"
    ".track{fill:#eef1f5}.bar--good{fill:#15803d}.bar--fair{fill:#b45309}.bar--poor{fill:#b91c1c}"
    ".axis{stroke:#9ca3af;stroke-width:1}.tick{font-size:11px;fill:#4b5563}</style>"
)
_CHART_SVG = re.compile(r'(<svg class="chart"[^>]*>)')


def html_to_pdf(
    html: str,
    *,
    footer: str | None = None,
    date: _dt.date | None = None,
    templates_dir: str | Path | None = None,
) -> bytes:
    """A self-contained HTML document as PDF bytes.

    ``footer`` is the running text at the foot of every page (beside "page N of M");
    ``date`` the creation date in the PDF's metadata (none when None).
    """
    weasyprint = _weasyprint()
    tdir = str(Path(templates_dir).resolve()) if templates_dir is not None else None
    css = _stylesheet_text(tdir)
    if footer:
        css += f"\n@page {{ @bottom-left {{ content: {_css_string(footer)}; }} }}\n"
    html = _CHART_SVG.sub(lambda m: m.group(1) + _CHART_STYLE, html)
    # an author style sheet after the page's own (a user style sheet would lose to it)
    style = "<style>" + css.replace("</", "<\\/") + "</style>"
    head_end = html.find("</head>")
    html = html[:head_end] + style + html[head_end:] if head_end >= 0 else style + html
    try:
        document = weasyprint.HTML(string=html, url_fetcher=_fetcher()).render()
        metadata = document.metadata
        metadata.created = date.isoformat() if date is not None else None
        metadata.modified = None
        identifier = hashlib.sha256(html.encode("utf-8") + css.encode("utf-8")).hexdigest()[:32]
        pdf = document.write_pdf(pdf_identifier=identifier.encode("ascii"))
    except QAError:
        raise
    except Exception as exc:  # a broken template or stylesheet: one line, not a trace
        raise PdfError(
            f"the PDF could not be made: {type(exc).__name__}: {exc}",
            hint="check the report templates and pdf.css (or remove --templates)",
        ) from None
    return bytes(pdf)


def render_pdf(
    report: Report, *, templates_dir: str | Path | None = None, date: _dt.date | None = None
) -> bytes:
    """The audit report of one dossier as PDF: the HTML report laid out for A4."""
    html = render_html(report, templates_dir=Path(templates_dir) if templates_dir is not None else None)
    footer = (
        f"{report.dossier.id} · {report.ruleset.id}@{report.ruleset.version} · "
        f"as of {report.as_of.isoformat()} · {report.decision_label}"
    )
    return html_to_pdf(html, footer=footer, date=date, templates_dir=templates_dir)


__all__ = ["PDF_STYLESHEET", "PdfError", "html_to_pdf", "render_pdf"]
