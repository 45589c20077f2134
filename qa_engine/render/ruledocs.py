"""The rule reference: Markdown generated from the rulesets themselves.

``qa-engine rulesets docs`` writes ``docs/rules/``; a test regenerates it and fails when
the committed copy is stale, so the reference can never drift from the rules.
"""

from __future__ import annotations

from pathlib import Path

from qa_engine.fileio import atomic_write_text
from qa_engine.rules.registry import LoadedRuleset, Registry

_STATE = {"exemplary": "Exemplary", "met": "Met", "partially_met": "Partially met"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def ruleset_markdown(rs: LoadedRuleset) -> str:
    out: list[str] = []
    out.append(f"# {rs.title}")
    out.append("")
    out.append(f"`{rs.id}@{rs.version}` · sha256 `{rs.sha256}`  ")
    until = f" until {rs.effective_until.isoformat()}" if rs.effective_until else ""
    out.append(f"Effective from {rs.effective_from.isoformat()}{until} · scored with rubric `{rs.rubric_ref}`")
    if rs.extends:
        out.append(f"  \nExtends `{rs.extends}`.")
    out.append("")
    if rs.description:
        out.append(_one_line(rs.description))
        out.append("")
    if rs.references:
        out.append("**References**")
        out.append("")
        for r in rs.references:
            title = f"[{r.title}]({r.url})" if r.url else r.title
            out.append(f"- {title}")
        out.append("")
    out.append("| Criterion | Title | Area | Weight | Essential |")
    out.append("|---|---|---|---|---|")
    for c in rs.criteria:
        out.append(
            f"| [{c.id}](#{c.id.lower()}) | {_cell(c.spec.title)} | {rs.area_title(c.area)} "
            f"| {c.spec.weight:g} | {'yes' if c.essential else ''} |"
        )
    out.append("")
    for s in rs.standards:
        crits = [c for c in rs.criteria if c.area == s.id]
        if not crits:
            continue
        out.append(f"## {s.title}")
        out.append("")
        if s.description:
            out.append(_one_line(s.description))
            out.append("")
        for c in crits:
            out.append(f"### {c.id}")
            out.append("")
            out.append(f"**{_one_line(c.spec.title)}** — weight {c.spec.weight:g}"
                       + (", essential (must pass)" if c.essential else ""))
            if c.spec.replaces:
                out.append(f"  \nReplaces: {', '.join(c.spec.replaces)}")
            out.append("")
            if c.spec.applies_when:
                out.append(f"Applies when: `{_one_line(c.spec.applies_when)}`")
                out.append("")
            for lv in c.levels:
                out.append(f"- {_STATE[lv.level]} when `{_one_line(lv.text)}`")
            out.append("- Otherwise not met; unknown when evidence needed to decide is missing.")
            out.append("")
            out.append(f"*Why:* {_one_line(c.spec.rationale)}")
            out.append("")
            out.append(f"*How to meet it:* {_one_line(c.spec.remediation)}")
            out.append("")
            if c.spec.references:
                refs = []
                for r in c.spec.references:
                    label = _one_line(r.title) + (f", {r.section}" if r.section else "")
                    refs.append(f"[{label}]({r.url})" if r.url else label)
                out.append("*References:* " + "; ".join(refs))
                out.append("")
            if c.spec.examples:
                ex = ", ".join(f"{e.name} → {e.expect}" for e in c.spec.examples)
                out.append(f"*Examples:* {ex}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"


def index_markdown(rulesets: list[LoadedRuleset]) -> str:
    out = [
        "# Rule reference",
        "",
        "Generated from the bundled rulesets by `qa-engine rulesets docs`; do not edit by hand.",
        "",
        "| Ruleset | Version | Title | Effective | Criteria |",
        "|---|---|---|---|---|",
    ]
    for rs in rulesets:
        until = f" – {rs.effective_until.isoformat()}" if rs.effective_until else " –"
        out.append(
            f"| [{rs.id}]({rs.id}-{rs.version}.md) | {rs.version} | {_cell(rs.title)} "
            f"| {rs.effective_from.isoformat()}{until} | {len(rs.criteria)} |"
        )
    return "\n".join(out) + "\n"


def generate(registry: Registry) -> dict[str, str]:
    """File name -> Markdown for every ruleset version the registry holds."""
    rulesets = registry.all_rulesets()
    files = {f"{rs.id}-{rs.version}.md": ruleset_markdown(rs) for rs in rulesets}
    files["README.md"] = index_markdown(rulesets)
    return files


def write(registry: Registry, folder: str | Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = generate(registry)
    written = []
    for name, text in sorted(files.items()):
        atomic_write_text(folder / name, text)
        written.append(folder / name)
    for stale in folder.glob("*.md"):
        if stale.name not in files:
            stale.unlink()
    return written
