"""The terminal summary of a report: decision, score, essential failures, top fixes."""

from __future__ import annotations

from qa_engine.formats.report import Report
from qa_engine.textsafe import safe_line

_STATE = {
    "exemplary": "exemplary",
    "met": "met",
    "partially_met": "partially met",
    "not_met": "NOT MET",
    "not_applicable": "n/a",
    "unknown": "UNKNOWN",
    "error": "ERROR",
    "waived": "waived",
    "overridden": "overridden",
}


def _bar(score: float | None, width: int = 20) -> str:
    if score is None:
        return "(nothing applies)".ljust(width)
    n = round(score / 100 * width)
    return "#" * n + "." * (width - n)


def _review_lines(r: Report) -> list[str]:
    """Effective (reviewed) reports: what the reviewers changed, and what lapsed."""
    if r.review is None:
        return []
    rv = r.review
    lines = [
        f"  Reviewed: evaluation {rv.evaluation_id}, actions in force on {rv.as_of.isoformat()}: "
        f"{rv.active} applied (stored decision {rv.stored_decision}, {rv.stored_score:.2f}%)"
    ]
    for c in r.criteria:
        x = c.review
        if x is None:
            continue
        change = f"{x.state_before} -> {x.state}" if x.kind == "override" else f"{x.state_before} -> waived"
        until = f", expires {x.expires.isoformat()}" if x.expires else ""
        lines.append(
            f"    {c.id} {x.kind}: {change} by {x.reviewer} on {x.created.date().isoformat()}{until}: {x.reason}"
        )
    lines.extend(f"    {note}" for note in rv.lapsed)
    return lines


def _how_to_fix(remediation: str | None) -> list[str]:
    """The remediation of a failed criterion, on one line under its finding."""
    text = " ".join((remediation or "").split())
    return [f"      How to fix: {text}"] if text else []


def render_text(r: Report, *, verbose: bool = False) -> str:
    out: list[str] = []
    head = r.dossier.id
    if r.dossier.title:
        head += f" - {r.dossier.title}"
    if r.dossier.provider:
        head += f" ({r.dossier.provider})"
    out.append(head)
    out.append(
        f"  ruleset {r.ruleset.id}@{r.ruleset.version} [{r.ruleset.sha256[:12]}]  "
        f"rubric {r.rubric.id}@{r.rubric.version} [{r.rubric.sha256[:12]}]  "
        f"as of {r.as_of.isoformat()}  engine {r.engine}"
    )
    out.extend(f"  Note: {note}" for note in r.notes)
    verdict = "passes" if r.passed else "does not pass"
    out.append(f"  Decision: {r.decision_label.upper()} ({verdict})   Score: {r.score:.2f}%")
    out.append("  Areas:")
    width = max((len(a.title) for a in r.areas), default=10)
    for a in r.areas:
        score = "  n/a " if a.score is None else f"{a.score:6.2f}%"
        out.append(f"    {a.title.ljust(width)}  {score}  {_bar(a.score)}")
    counts = ", ".join(f"{n} {_STATE.get(s, s)}" for s, n in r.counts.items())
    out.append(f"  Criteria: {counts}")
    out.extend(_review_lines(r))
    by_id = {c.id: c for c in r.criteria}
    if r.essential_failures:
        out.append("  Essential criteria failed:")
        for cid in r.essential_failures:
            c = by_id[cid]
            out.append(f"    {cid} {c.title}: {c.explanation}")
            out.extend(_how_to_fix(c.remediation))
    else:
        out.append("  Essential criteria failed: none")
    others = [
        c for c in r.criteria
        if not c.essential_failed and c.state in ("not_met", "partially_met", "unknown", "error")
    ]
    if others and (verbose or len(others) <= 8):
        out.append("  Other findings:")
        for c in others:
            out.append(f"    {c.id} {c.title}: {c.explanation}")
            if verbose:
                out.extend(_how_to_fix(c.remediation))
    elif others:
        out.append(f"  Other findings: {len(others)} (use --format json or -v for all)")
    if r.next_decision is not None:
        nd = r.next_decision
        plan = [f for f in r.fixes if f.in_plan]
        if nd.reachable and plan:
            out.append(f"  Fewest fixes to reach {nd.label.upper()} ({len(plan)}):")
            for i, f in enumerate(plan, 1):
                gate = ", clears an essential gate" if f.clears_essential else ""
                out.append(f"    {i}. {f.criterion} {f.title} (+{f.gain:.2f} points{gate})")
        elif not nd.reachable:
            out.append(f"  {nd.label} cannot be reached by meeting the failed criteria alone.")
    if verbose:
        out.append("  All criteria:")
        for c in r.criteria:
            out.append(f"    [{_STATE.get(c.state, c.state):>13}] {c.id} {c.title}")
    # every line is ours; user text inside it (titles, reasons, names) is escaped
    return "\n".join(safe_line(line) for line in out) + "\n"
