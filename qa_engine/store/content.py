"""Ruleset and rubric versions as stored: canonical JSON whose sha256 is the content hash.

:func:`ruleset_content` rebuilds the canonical form the registry hashes, so that the
stored JSON of a ruleset version hashes to its ``sha256``; :func:`ruleset_from_content`
turns it back into a :class:`LoadedRuleset` good for *scoring and display* (criteria,
weights, areas, titles) — its conditions are not compiled, so it cannot evaluate.
Re-scoring from the store therefore uses exactly the version that was evaluated, even
when the registry no longer has it.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from qa_engine.formats.rubric import Rubric
from qa_engine.formats.ruleset import Criterion, Reference, Standard
from qa_engine.hashing import canonical_json, sha256_of
from qa_engine.rules.registry import CompiledCriterion, LoadedRubric, LoadedRuleset
from qa_engine.store.errors import StoreError


def ruleset_content(rs: LoadedRuleset) -> dict[str, Any]:
    return {
        "id": rs.id,
        "version": rs.version,
        "title": rs.title,
        "description": rs.description,
        "effective_from": rs.effective_from,
        "effective_until": rs.effective_until,
        "extends": rs.extends,
        "rubric": rs.rubric_ref,
        "references": [r.model_dump(mode="json") for r in rs.references],
        "standards": [s.model_dump(mode="json") for s in rs.standards],
        "criteria": [{**c.spec.model_dump(mode="json"), "sha256": c.sha256} for c in rs.criteria],
    }


def rubric_content(rb: LoadedRubric) -> dict[str, Any]:
    return rb.spec.model_dump(mode="json")


def content_json(content: dict[str, Any]) -> str:
    return canonical_json(content)


def _check_hash(kind: str, text: str, sha256: str, display: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(text)
    if sha256_of(data) != sha256:
        raise StoreError(
            f"{display}: the stored {kind} {data.get('id')}@{data.get('version')} does not match "
            f"its sha256 {sha256[:12]} (edited?)",
            hint="run `qa-engine audit verify` and restore the store from a backup",
        )
    return data


def ruleset_from_content(text: str, sha256: str, *, source: str | None, display: str) -> LoadedRuleset:
    data = _check_hash("ruleset", text, sha256, display)
    file = source or f"{display}#ruleset/{data['id']}@{data['version']}"
    crits: list[CompiledCriterion] = []
    for raw in data["criteria"]:
        raw = dict(raw)
        csha = raw.pop("sha256")
        crits.append(
            CompiledCriterion(
                spec=Criterion.model_validate(raw), file=file, applies=None, levels=(),
                paths=(), refs=frozenset(), sha256=csha,
            )
        )
    until = data.get("effective_until")
    return LoadedRuleset(
        id=data["id"],
        version=data["version"],
        title=data["title"],
        description=data.get("description", ""),
        effective_from=_dt.date.fromisoformat(data["effective_from"]),
        effective_until=_dt.date.fromisoformat(until) if until else None,
        rubric_ref=data["rubric"],
        extends=data.get("extends"),
        source=file,
        standards=tuple(Standard.model_validate(s) for s in data["standards"]),
        criteria=tuple(crits),
        references=tuple(Reference.model_validate(r) for r in data.get("references", [])),
        sha256=sha256,
        strata=(tuple(crits),),
    )


def rubric_from_content(text: str, sha256: str, *, source: str | None, display: str) -> LoadedRubric:
    data = _check_hash("rubric", text, sha256, display)
    return LoadedRubric(
        spec=Rubric.model_validate(data),
        source=source or f"{display}#rubric/{data['id']}@{data['version']}",
        sha256=sha256,
    )
