"""The HTML audit report: one self-contained file rendered from the report model.

Templates live in ``reports/`` (``audit-report.html.j2`` extending ``base.html.j2``,
partials under ``partials/``, shared macros in ``macros.html.j2``; ``report.css``
and ``report.js`` are inlined). A body may point ``templates_dir`` at its own branded
copy: files found there win, missing ones fall back to the bundled designs.

Rendering is deterministic (no clock, no random ids, the model's own order), uses
``autoescape=True`` and ``StrictUndefined``, and each Environment is built and its
templates compiled once per process and templates folder.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from qa_engine.errors import QAError
from qa_engine.formats.report import Report
from qa_engine.rules.registry import bundled_reports_dir
from qa_engine.textsafe import safe_markup

AUDIT_TEMPLATE = "audit-report.html.j2"

_MARKER = re.compile(r"^<(object|list of \d+ items?)>$")
_ANCHOR_BAD = re.compile(r"[^A-Za-z0-9_.-]+")


class TemplateError(QAError):
    """A report template is missing or broken."""


# --------------------------------------------------------------------------- helpers


def num(value: float | int | None, places: int | None = None) -> str:
    """A number as a reader wants it: ``3``, ``1.5``, ``56.55`` (at most 2 decimals)."""
    if value is None:
        return "n/a"
    if places is not None:
        return f"{value:.{places}f}"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def anchor(criterion_id: str) -> str:
    """A stable HTML id for a criterion id."""
    return "crit-" + (_ANCHOR_BAD.sub("-", str(criterion_id)).strip("-") or "x")


def safe_url(url: str | None) -> str | None:
    """The URL when it may be linked (http, https, mailto), else None."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https", "mailto") else None


def value_view(value: Any) -> dict[str, str]:
    """How to show an evidence value: missing, a marker (object, list of objects) or JSON."""
    if value is None:
        return {"kind": "missing", "text": ""}
    if isinstance(value, str) and _MARKER.match(value):
        inner = value[1:-1]
        return {"kind": "marker", "text": "an object" if inner == "object" else f"a {inner}"}
    return {"kind": "value", "text": json.dumps(value, ensure_ascii=False)}


# --------------------------------------------------------------------------- states

#: Display order of the states, their labels (always shown as text) and help texts.
STATE_ORDER = [
    "error", "not_met", "unknown", "partially_met", "met", "exemplary", "not_applicable",
    "waived", "overridden",
]
STATE_LABELS = {
    "exemplary": "Exemplary",
    "met": "Met",
    "partially_met": "Partially met",
    "not_met": "Not met",
    "not_applicable": "Not applicable",
    "unknown": "Unknown",
    "error": "Error",
    "waived": "Waived",
    "overridden": "Overridden",
}
STATE_HELP = {
    "exemplary": "meets the best level of the criterion",
    "met": "the criterion is satisfied",
    "partially_met": "only a lower level of the criterion holds",
    "not_met": "no level of the criterion holds",
    "not_applicable": "the criterion does not apply to this dossier",
    "unknown": "evidence is missing, so the criterion could not be decided",
    "error": "the check could not run",
    "waived": "a reviewer waived the criterion",
    "overridden": "a reviewer overrode the verdict",
}
#: States that are findings: something for the provider to act on.
FINDING_STATES = ["not_met", "partially_met", "unknown", "error"]

# The small building blocks every criterion repeats are Python functions returning
# escaped markup: a report has hundreds of them, and a Jinja macro call costs several
# times more than a function call (macros.html.j2 delegates to these, so there is one
# definition of each).


def icon(name: str, label: str | None = None) -> Markup:
    """An icon from the page's inline SVG sprite; decorative unless it has a label."""
    role = f'role="img" aria-label="{escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(
        f'<svg class="icon" viewBox="0 0 16 16" width="16" height="16" focusable="false" {role}>'
        f'<use href="#i-{escape(name)}"></use></svg>'
    )


@lru_cache(maxsize=64)
def state_badge(state: str) -> Markup:
    """A state as badge: icon, label and help text."""
    shown = state if state in STATE_LABELS else "unknown"
    return Markup(
        f'<span class="badge badge--{escape(state)}" title="{escape(STATE_HELP.get(state, state))}">'
        f"{icon(shown)}{escape(STATE_LABELS.get(state, state))}</span>"
    )


_HELD = {
    True: Markup(f'<span class="held held--yes">{icon("met")}held</span>'),
    False: Markup(f'<span class="held held--no">{icon("not_met")}did not hold</span>'),
    None: Markup(f'<span class="held held--unknown">{icon("unknown")}unknown</span>'),
}


def held(value: bool | None) -> Markup:
    """Whether a part of a condition held: yes, no or unknown, in words and icon."""
    return _HELD[value if value is True or value is False else None]


_MISSING = Markup('<span class="missing">missing (not in the dossier)</span>')


def evidence_value(value: Any) -> Markup:
    """An evidence value: missing, a marker for objects/lists of objects, or JSON."""
    view = value_view(value)
    if view["kind"] == "missing":
        return _MISSING
    if view["kind"] == "marker":
        return Markup(f'<span class="missing">{escape(view["text"])}</span>')
    return Markup(f"<code>{escape(view['text'])}</code>")


def parts_html(parts: Any) -> Markup:
    """The ``<li>`` of each part of a condition: whether it held, its text and detail."""
    out = []
    for p in parts:
        detail = (
            f'<span class="detail">{escape(p.detail)}</span>' if p.detail and p.detail != p.text else ""
        )
        out.append(f"\n        <li>{held(p.held)}<span><code>{escape(p.text)}</code>{detail}</span></li>")
    return Markup("".join(out))


def evidence_rows_html(evidence: Any) -> Markup:
    """The ``<tr>`` of each evidence value: dossier path and value."""
    return Markup(
        "".join(
            f"\n        <tr><td><code>{escape(e.path)}</code></td><td>{evidence_value(e.value)}</td></tr>"
            for e in evidence
        )
    )


def csp_hash(text: str) -> str:
    """The CSP source expression allowing exactly this inline style or script."""
    digest = hashlib.sha256(str(text).encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# --------------------------------------------------------------------------- environment


def _loader_dirs(templates_dir: str | None) -> list[str]:
    bundled = str(bundled_reports_dir())
    if templates_dir is None or templates_dir == bundled:
        return [bundled]
    return [templates_dir, bundled]


@lru_cache(maxsize=16)
def _environment(templates_dir: str | None) -> jinja2.Environment:
    dirs = _loader_dirs(templates_dir)
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(d, encoding="utf-8") for d in dirs])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        keep_trailing_newline=True,
        cache_size=-1,
    )
    assets: dict[str, Markup] = {}

    def asset(name: str) -> Markup:
        """A text file of the design (CSS, JS) to inline verbatim."""
        if name not in assets:
            try:
                source, _, _ = loader.get_source(env, name)
            except jinja2.TemplateNotFound:
                raise TemplateError(
                    f"the report asset {name} is missing",
                    file=str(Path(dirs[0]) / name),
                    hint="restore it or remove --templates",
                ) from None
            # an inlined file must not end its own <style>/<script> element early
            source = re.sub(r"</(?=(style|script)\b)", r"<\\/", source, flags=re.IGNORECASE)
            assets[name] = Markup(source)
        return assets[name]

    env.globals.update(
        asset=asset, value_view=value_view, safe_url=safe_url, icon_html=icon,
        state_badge_html=state_badge, held_html=held, evidence_value_html=evidence_value,
        parts_html=parts_html, evidence_rows_html=evidence_rows_html,
        STATE_ORDER=STATE_ORDER, STATE_LABELS=STATE_LABELS, STATE_HELP=STATE_HELP,
        FINDING_STATES=FINDING_STATES,
    )
    env.filters.update(num=num, anchor=anchor, csp_hash=csp_hash)
    return env


def render_template(name: str, templates_dir: Path | str | None, **context: Any) -> str:
    key = None if templates_dir is None else str(Path(templates_dir).resolve())
    if key is not None and not Path(key).is_dir():
        raise TemplateError(
            "the templates folder does not exist",
            file=str(templates_dir),
            hint="point --templates at a folder with the report templates",
        )
    env = _environment(key)
    try:
        html = safe_markup(env.get_template(name).render(**context))
    except TemplateError:
        raise
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            f"the report template {exc.name} is missing",
            file=str(templates_dir or bundled_reports_dir()),
            hint="restore it or point --templates at a complete design",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"the report template does not parse: {exc.message}",
            file=exc.filename or exc.name,
            line=exc.lineno,
            hint="fix the template syntax",
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(
            f"the report template {name} uses an undefined value: {exc.message}",
            file=str(templates_dir or bundled_reports_dir()),
            hint="use only fields of the report model (qa-engine schema report)",
        ) from None
    return html if html.endswith("\n") else html + "\n"


def render_html(report: Report, *, templates_dir: Path | None = None) -> str:
    """The self-contained HTML audit report of one dossier."""
    return render_template(AUDIT_TEMPLATE, templates_dir, report=report)


__all__ = ["AUDIT_TEMPLATE", "TemplateError", "render_html", "render_template"]
