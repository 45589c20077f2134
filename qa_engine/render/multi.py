"""The multi-ruleset report as terminal text, JSON and HTML.

Text and HTML show the frameworks' decisions side by side and the coverage matrix:
each group of corresponding criteria with its state in every framework, the groups
whose fix moves the most frameworks forward first.
"""

from __future__ import annotations

from pathlib import Path

from qa_engine.formats.multireport import MatrixCell, MultiReport
from qa_engine.render.html import render_template
from qa_engine.render.text import _STATE, render_text
from qa_engine.textsafe import safe_json, safe_line

MULTI_TEMPLATE = "multi-report.html.j2"


def _cell(cells: list[MatrixCell]) -> str:
    return ", ".join(f"{c.criterion} {_STATE.get(c.state, c.state)}" for c in cells) or "-"


def render_multi_text(m: MultiReport, *, verbose: bool = False) -> str:
    head = f"{m.dossier_id}" + (f" - {m.dossier_title}" if m.dossier_title else "")
    lines = [safe_line(head), f"  as of {m.as_of.isoformat()}  {len(m.frameworks)} rulesets"]
    if m.crosswalks:
        lines.append(f"  crosswalks: {', '.join(m.crosswalks)}")
    for note in m.notes:
        lines.append(f"  Note: {safe_line(note)}")
    lines.append("  Decisions:")
    width = max(len(f.ruleset) for f in m.frameworks)
    for f in m.frameworks:
        verdict = "passes" if f.passed else "does not pass"
        lines.append(f"    {f.ruleset.ljust(width)}  {safe_line(f.decision_label).upper()} ({verdict})  {f.score:.2f}%")
    if m.matrix:
        lines.append("  Coverage matrix (criteria that correspond across frameworks):")
        refs = [f.ruleset for f in m.frameworks]
        for row in m.matrix:
            if row.failing_in:
                moves = f"a fix moves {len(row.failing_in)} framework{'s' if len(row.failing_in) != 1 else ''} forward"
                if len(row.failing_in) > 1:
                    moves += " (the same requirement)" if row.same_requirement else " (corresponding, not identical: check each)"
            else:
                moves = "met everywhere it applies"
            lines.append(f"    * {safe_line(row.title)}: {moves}")
            for ref in refs:
                lines.append(f"        {ref.ljust(width)}  {safe_line(_cell(list(row.cells[ref])))}")
    out = "\n".join(lines) + "\n"
    if verbose:
        out += "\n" + "\n".join(render_text(r, verbose=True) for r in m.reports)
    return out


def render_multi_json(reports: list[MultiReport]) -> str:
    if len(reports) == 1:
        return safe_json(reports[0].model_dump_json(indent=2)) + "\n"
    import json

    return safe_json(json.dumps([r.model_dump(mode="json") for r in reports], indent=2, ensure_ascii=False)) + "\n"


def render_multi_html(m: MultiReport, *, templates_dir: Path | None = None) -> str:
    return render_template(MULTI_TEMPLATE, templates_dir, multi=m, state_label=_STATE)
