"""Helpers that write small rulesets and rubrics for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_BANDS = [
    {"id": "accredited", "label": "Accredited", "min_score": 85, "max_essential_failures": 0, "passes": True},
    {"id": "conditions", "label": "With conditions", "min_score": 60, "max_essential_failures": 0, "passes": True},
    {"id": "not_accredited", "label": "Not accredited", "min_score": 0, "passes": False},
]


def criterion(cid: str, when: str | list[tuple[str, str]], **kw: Any) -> dict[str, Any]:
    levels = [{"level": "met", "when": when}] if isinstance(when, str) else [
        {"level": lv, "when": w} for lv, w in when
    ]
    c: dict[str, Any] = {
        "id": cid,
        "title": f"Criterion {cid}",
        "area": kw.pop("area", "a"),
        "levels": levels,
        "rationale": "Because.",
        "remediation": "Fix it.",
    }
    c.update(kw)
    return c


def write_ruleset(
    root: Path,
    *,
    criteria: list[dict[str, Any]],
    rid: str = "t",
    version: str = "1.0.0",
    standards: list[dict[str, Any]] | None = None,
    rubric: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Any:
    from qa_engine.rules.registry import Registry

    rs_dir = root / "rulesets" / rid / version
    rs_dir.mkdir(parents=True, exist_ok=True)
    areas = sorted({c["area"] for c in criteria})
    doc: dict[str, Any] = {
        "id": rid,
        "version": version,
        "title": f"Test ruleset {rid}",
        "effective_from": "2020-01-01",
        "rubric": f"{rid}@1.0.0",
        "standards": standards or [{"id": a, "title": f"Area {a}"} for a in areas],
        "criteria": criteria,
    }
    doc.update(extra or {})
    (rs_dir / "ruleset.yaml").write_text(json.dumps(doc, indent=1))
    rb_dir = root / "rubrics" / rid
    rb_dir.mkdir(parents=True, exist_ok=True)
    rb: dict[str, Any] = {
        "id": rid, "version": "1.0.0", "title": "Test rubric", "bands": DEFAULT_BANDS,
    }
    rb.update(rubric or {})
    (rb_dir / "1.0.0.yaml").write_text(json.dumps(rb, indent=1))
    return Registry(ruleset_dirs=[root / "rulesets"], include_bundled=False)
