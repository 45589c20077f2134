"""The diff report as text (the terminal) and as JSON."""

from __future__ import annotations

import json
from typing import Any

from qa_engine.formats.diffreport import DiffReport
from qa_engine.textsafe import safe_json, safe_line


def _show(v: Any) -> str:
    if v is None:
        return "(none)"
    if isinstance(v, str):
        return v if len(v) <= 160 else v[:157] + "..."
    return str(v)


def render_diff_text(d: DiffReport) -> str:
    f, t = d.from_, d.to
    out = [
        f"{f.id}@{f.version} [{f.sha256[:12]}] -> {t.id}@{t.version} [{t.sha256[:12]}]",
        f"  rubric {f.rubric} -> {t.rubric}",
    ]
    if not d.changes and not d.rubric_changes:
        out.append("  No changes.")
    kinds = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
    if d.changes:
        counts: dict[str, int] = {}
        for c in d.changes:
            counts[c.kind] = counts.get(c.kind, 0) + 1
        out.append("  Criteria: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    for c in d.changes:
        head = f"  {kinds[c.kind]} {c.criterion} {c.title} ({c.kind}"
        head += f" from {c.previous_id})" if c.previous_id else ")"
        out.append(head)
        for fc in c.fields:
            out.append(f"      {fc.field}: {_show(fc.before)}")
            out.append(f"      {' ' * len(fc.field)}  -> {_show(fc.after)}")
    if d.rubric_changes:
        out.append("  Rubric changes:")
        for fc in d.rubric_changes:
            out.append(f"      {fc.field}: {_show(fc.before)} -> {_show(fc.after)}")
    if d.impact is not None:
        s = d.impact.summary
        out.append(
            f"  Impact on {s.dossiers} dossiers (as of {d.impact.as_of.isoformat()}): "
            f"{s.decision_changed} change decision ({s.improved} better, {s.worsened} worse), "
            f"{s.pass_to_fail} pass -> fail, {s.fail_to_pass} fail -> pass"
        )
        for key, n in s.transitions.items():
            out.append(f"      {key}: {n}")
        for r in d.impact.dossiers:
            mark = "*" if r.decision_before != r.decision_after else " "
            out.append(
                f"    {mark} {r.id}: {r.decision_before} -> {r.decision_after}, "
                f"score {r.score_before:.2f} -> {r.score_after:.2f} ({r.score_delta:+.2f})"
            )
            for ci in r.criteria:
                out.append(
                    f"        {ci.id}: {ci.state_before or '(absent)'} -> {ci.state_after or '(absent)'} "
                    f"({ci.score_contribution:+.2f})"
                )
        for rej in s.rejected:
            out.append(f"    rejected: {rej}")
    # every line is ours; user text inside it (titles, file names, errors) is escaped
    return "\n".join(safe_line(line) for line in out) + "\n"


def diff_json(d: DiffReport) -> str:
    return safe_json(json.dumps(d.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False)) + "\n"
