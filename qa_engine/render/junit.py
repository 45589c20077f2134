"""JUnit XML for providers' CI: one ``<testsuite>`` per dossier, one ``<testcase>`` per
criterion.

* ``classname`` is ``<ruleset id>.<area>``, ``name`` is ``<criterion id> <title>``;
* ``not_met``, ``partially_met`` and ``unknown`` give a ``<failure>`` whose ``message``
  is the explanation and whose ``type`` is the state; ``error`` gives an ``<error>``;
  ``not_applicable`` and ``waived`` give ``<skipped>``; an ``overridden`` criterion
  counts as the reviewer's state (its ``<system-out>`` names the reviewer and reason);
  every other state passes;
* the suite's ``<properties>`` name the decision, score, ruleset, rubric, engine and
  the hashes.

The output is deterministic (no timestamps, ``time="0"``), every text is escaped, and
characters XML 1.0 forbids are removed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from qa_engine.formats.report import CriterionResult, Report
from qa_engine.textsafe import safe_text

FAILURE_STATES = ("not_met", "partially_met", "unknown")
ERROR_STATES = ("error",)
SKIPPED_STATES = ("not_applicable",)

# Characters XML 1.0 does not allow (C0 controls except tab/LF/CR, surrogates, U+FFFE/F).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_HELD = {True: "held", False: "did not hold", None: "unknown"}


def xml_text(value: object) -> str:
    """A string safe to put into XML 1.0 (ElementTree escapes the markup characters)
    and to print: other control characters are shown escaped (``\\x1b``)."""
    return _FORBIDDEN.sub("", safe_text(value))


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".") or "0"


def _details(c: CriterionResult) -> str:
    lines = [
        f"State: {c.state.replace('_', ' ')} ({_num(c.points)} of {_num(c.max_points)} points"
        + (", essential gate failed" if c.essential_failed else (", essential" if c.essential else ""))
        + ")",
        f"Explanation: {c.explanation}",
    ]
    if c.error:
        lines.append(f"Error: {c.error}")
    if c.condition:
        lines.append(f"Condition: {c.condition}")
    if c.parts:
        lines.append("Parts:")
        for p in c.parts:
            detail = f" -- {p.detail}" if p.detail and p.detail != p.text else ""
            lines.append(f"  [{_HELD[p.held]}] {p.text}{detail}")
    if c.evidence:
        lines.append("Evidence:")
        for e in c.evidence:
            shown = "missing" if e.value is None else json.dumps(e.value, ensure_ascii=False)
            lines.append(f"  {e.path} = {shown}")
    lines.append(f"How to fix: {c.remediation}")
    if c.references:
        refs = "; ".join(r.title + (f" <{r.url}>" if r.url else "") for r in c.references)
        lines.append(f"References: {refs}")
    return "\n".join(lines)


def _counts_as(c: CriterionResult) -> str:
    """The state that decides the test case: an override's target state, else the state."""
    if c.state == "overridden" and c.review is not None:
        return c.review.state
    return c.state


def _review_text(c: CriterionResult) -> str:
    rv = c.review
    assert rv is not None
    expires = f", expires {rv.expires.isoformat()}" if rv.expires else ""
    return (
        f"{'Waived' if rv.kind == 'waiver' else 'Overridden'} by {rv.reviewer} "
        f"on {rv.created.date().isoformat()} (action {rv.action_id}{expires}): "
        f"engine state {rv.state_before}, counts as {rv.state}. Reason: {rv.reason}"
    )


def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})


def _suite(parent: ET.Element, r: Report) -> dict[str, int]:
    states = [_counts_as(c) for c in r.criteria]
    counts = {
        "tests": len(states),
        "failures": sum(1 for s in states if s in FAILURE_STATES),
        "errors": sum(1 for s in states if s in ERROR_STATES),
        "skipped": sum(1 for s in states if s in SKIPPED_STATES or s == "waived"),
    }
    suite = _el(
        parent, "testsuite", name=r.dossier.id, **{k: str(v) for k, v in counts.items()}, time="0"
    )
    props = _el(suite, "properties")
    values: list[tuple[str, str | None]] = [
        ("decision", r.decision),
        ("decision_label", r.decision_label),
        ("passed", "true" if r.passed else "false"),
        ("score", _num(r.score)),
        ("score_exact", r.score_exact),
        ("scoring_model", r.scoring_model),
        ("ruleset", f"{r.ruleset.id}@{r.ruleset.version}"),
        ("ruleset_sha256", r.ruleset.sha256),
        ("rubric", f"{r.rubric.id}@{r.rubric.version}"),
        ("rubric_sha256", r.rubric.sha256),
        ("dossier", r.dossier.id),
        ("dossier_sha256", r.dossier.sha256),
        ("dossier_title", r.dossier.title),
        ("provider", r.dossier.provider),
        ("dossier_file", r.dossier.file),
        ("as_of", r.as_of.isoformat()),
        ("engine", r.engine),
        ("engine_version", r.engine_version),
        ("report_schema", r.report_schema),
        ("essential_failures", ", ".join(r.essential_failures)),
    ]
    if r.next_decision is not None:
        values.append(("next_decision", r.next_decision.decision))
    for name, value in values:
        if value is not None:
            _el(props, "property", name=name, value=value)
    for c in r.criteria:
        state = _counts_as(c)
        case = _el(
            suite,
            "testcase",
            classname=f"{r.ruleset.id}.{c.area}",
            name=f"{c.id} {c.title}",
            time="0",
        )
        if state in FAILURE_STATES or state in ERROR_STATES:
            tag = "error" if state in ERROR_STATES else "failure"
            message = c.explanation if not c.error else f"{c.explanation} ({c.error})"
            node = _el(case, tag, message=message, type=state)
            node.text = xml_text(_details(c))
        elif state in SKIPPED_STATES:
            _el(case, "skipped", message=c.explanation)
        elif state == "waived" and c.review is not None:
            _el(case, "skipped", message=f"waived by {c.review.reviewer}: {c.review.reason}")
        if c.review is not None:
            _el(case, "system-out").text = xml_text(_review_text(c))
    return counts


def render_junit(reports: Report | Sequence[Report]) -> str:
    """JUnit XML for one report or several (one ``<testsuite>`` each)."""
    items = [reports] if isinstance(reports, Report) else list(reports)
    root = ET.Element("testsuites", {"name": "qa-engine"})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for r in items:
        for k, v in _suite(root, r).items():
            totals[k] += v
    # totals first in the attribute order, after the name
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("time", "0")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


__all__ = ["render_junit", "xml_text"]
