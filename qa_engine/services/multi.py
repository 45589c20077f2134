"""Checking one dossier against several rulesets, with a coverage matrix.

Each ruleset gives its own full report (the same :func:`check_dossier` as a single
check). The crosswalks that map at least two of the chosen ruleset versions group the
corresponding criteria; the matrix shows each group's states in every framework and
which frameworks a fix of the group moves forward at once, most frameworks first.
"""

from __future__ import annotations

from collections.abc import Sequence

from qa_engine import __version__
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.multireport import (
    FrameworkSummary,
    MatrixCell,
    MatrixLink,
    MatrixRow,
    MultiReport,
)
from qa_engine.formats.report import Report
from qa_engine.rules.crosswalks import Crosswalks, LoadedCrosswalk
from qa_engine.services.check import Setup, check_dossier, dossier_sha256

FAILING = frozenset({"not_met", "partially_met", "unknown", "error"})


def check_multi(
    setups: Sequence[Setup],
    dossier: Dossier,
    crosswalks: Crosswalks | None = None,
    *,
    file: str | None = None,
    chosen: Sequence[LoadedCrosswalk] | None = None,
) -> MultiReport:
    """One dossier against every setup; ``chosen`` crosswalks, else every one that
    covers two of the ruleset versions."""
    sha = dossier_sha256(dossier)
    reports = [check_dossier(s, dossier, file=file, sha256=sha) for s in setups]
    refs = [f"{s.ruleset.id}@{s.ruleset.version}" for s in setups]
    if chosen is None:
        chosen = crosswalks.covering(refs) if crosswalks is not None else []
    notes: list[str] = []
    for s in setups:
        notes.extend(f"{s.ruleset.ref}: {w}" for w in s.warnings)
    if not chosen:
        notes.append(
            "no crosswalk maps two of these ruleset versions: the matrix is empty "
            "(qa-engine crosswalk show lists the crosswalks and the versions they map)"
        )
    for cw in chosen:
        missing = [r for r in refs if r not in cw.covers(refs)]
        if missing:
            notes.append(f"crosswalk {cw.ref} does not map {', '.join(missing)}")
    return MultiReport(
        engine_version=__version__,
        as_of=setups[0].as_of,
        dossier_id=dossier.id,
        dossier_title=dossier.title,
        dossier_sha256=sha,
        file=file,
        passed=all(r.passed for r in reports),
        crosswalks=[cw.ref for cw in chosen],
        frameworks=[_summary(r) for r in reports],
        matrix=_matrix(refs, reports, chosen),
        notes=notes,
        reports=reports,
    )


def _summary(r: Report) -> FrameworkSummary:
    return FrameworkSummary(
        ruleset=f"{r.ruleset.id}@{r.ruleset.version}", title=r.ruleset.title, decision=r.decision,
        decision_label=r.decision_label, passed=r.passed, score=r.score,
        essential_failures=list(r.essential_failures),
    )


def _matrix(refs: list[str], reports: list[Report], crosswalks: Sequence[LoadedCrosswalk]) -> list[MatrixRow]:
    by_rid = {ref.split("@", 1)[0]: (ref, rep) for ref, rep in zip(refs, reports, strict=True)}
    crit = {
        (rid, c.id): c for rid, (_ref, rep) in by_rid.items() for c in rep.criteria
    }
    # union-find over "rid:cid" nodes linked by any chosen crosswalk
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: list[MatrixLink] = []
    for cw in crosswalks:
        covered = {r.split("@", 1)[0] for r in cw.covers(refs)}
        for m in cw.spec.mappings:
            s_rid, t_rid = m.source.split(":", 1)[0], m.target.split(":", 1)[0]
            if s_rid in covered and t_rid in covered:
                links.append(MatrixLink(source=m.source, target=m.target, kind=m.kind, note=m.note.strip()))
                parent[find(m.source)] = find(m.target)
    groups: dict[str, list[str]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    rows: list[MatrixRow] = []
    order = {ref: i for i, ref in enumerate(refs)}
    for nodes in groups.values():
        cells: dict[str, list[MatrixCell]] = {ref: [] for ref in refs}
        for node in sorted(nodes, key=lambda n: (order[by_rid[n.split(':', 1)[0]][0]], n)):
            rid, cid = node.split(":", 1)
            c = crit[(rid, cid)]
            cells[by_rid[rid][0]].append(
                MatrixCell(criterion=cid, title=c.title, state=c.state, essential=c.essential, failing=c.state in FAILING)
            )
        failing_in = [ref for ref in refs if any(x.failing for x in cells[ref])]
        failing_nodes = {f"{ref.split('@', 1)[0]}:{x.criterion}" for ref in refs for x in cells[ref] if x.failing}
        row_links = [lk for lk in links if lk.source in nodes or lk.target in nodes]
        between = [lk for lk in row_links if lk.source in failing_nodes and lk.target in failing_nodes]
        first = next(x for ref in refs for x in cells[ref])
        rows.append(
            MatrixRow(
                title=first.title, cells=cells, links=row_links, failing_in=failing_in,
                same_requirement=bool(between) and all(lk.kind == "equal" for lk in between),
            )
        )
    rows.sort(key=lambda r: (-len(r.failing_in), r.title))
    return rows
