"""The decision letter: one HTML document (the web view shows it) and its PDF.

The same template (``reports/decision-letter.html.j2``) gives both, so the letter a
provider downloads says what the page says. Deterministic apart from the signing
date: the same decision and ``signed_on`` give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from qa_engine.formats.decision import Decision
from qa_engine.render.html import render_template
from qa_engine.render.pdf import html_to_pdf

LETTER_TEMPLATE = "decision-letter.html.j2"
OUTCOME_LABELS = {
    "accredited": "Accredited",
    "accredited_with_conditions": "Accredited with conditions",
    "not_accredited": "Not accredited",
}


def letter_html(decision: Decision, *, signed_on: _dt.date | None = None, body: str = "The accrediting body",
                templates_dir: Path | None = None) -> str:
    return render_template(LETTER_TEMPLATE, templates_dir, decision=decision,
                           outcome_label=OUTCOME_LABELS[decision.outcome], signed_on=signed_on, body=body)


def letter_pdf(decision: Decision, *, signed_on: _dt.date | None = None, body: str = "The accrediting body",
               templates_dir: Path | None = None) -> bytes:
    html = letter_html(decision, signed_on=signed_on, body=body, templates_dir=templates_dir)
    footer = f"Decision {decision.id} · {decision.programme.title}"
    return html_to_pdf(html, footer=footer, date=signed_on, templates_dir=templates_dir)


__all__ = ["LETTER_TEMPLATE", "OUTCOME_LABELS", "letter_html", "letter_pdf"]
