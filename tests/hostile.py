"""Hostile inputs for the renderers: a dossier whose every text field carries markup,
and a ruleset whose every text carries it too."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from qa_engine.formats import dossier as dm

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOAD = f'{SCRIPT}{IMG}"\'&amp;'
# The same markup without spaces, for fields whose pattern forbids them (URIs).
URI_PAYLOAD = "javascript:alert(1)//<script>alert(1)</script>"
# Characters XML 1.0 forbids (the JUnit renderer must drop them).
CONTROL = "\x00\x01\x08\x0b\x0c\x1b\ufffe"

_PATTERN_VALUES = {
    dm.SLUG_PATTERN: "xss-dossier",
    dm.COUNTRY_PATTERN: "DE",
    dm.LANGUAGE_PATTERN: "en",
    dm.URI_PATTERN: URI_PAYLOAD,
}
_BY_NAME = {"languages": ["en"]}


def _pattern(field: Any) -> str | None:
    for meta in field.metadata:
        pat = getattr(meta, "pattern", None)
        if pat:
            return str(pat)
    return None


def _value(annotation: Any, field: Any, text: str, stats: dict[str, int]) -> Any:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return _value(args[0], field, text, stats)
    if annotation is str:
        pat = _pattern(field)
        if pat is not None:
            return _PATTERN_VALUES[pat]
        stats["str"] += 1
        return text
    if origin is Literal:
        return get_args(annotation)[0]
    if origin is list:
        (item,) = get_args(annotation)
        return [_value(item, field, text, stats)]
    if origin is dict:
        stats["str"] += 1
        return {text: text}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return fill(annotation, text, stats)
    if origin is typing.Annotated:
        return _value(get_args(annotation)[0], field, text, stats)
    return None  # numbers, flags and dates stay missing


def fill(model: type[BaseModel], text: str = PAYLOAD, stats: dict[str, int] | None = None) -> dict[str, Any]:
    """A document for ``model`` with every string field set to ``text``, recursively."""
    stats = stats if stats is not None else {"str": 0}
    out: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name in _BY_NAME:
            out[name] = _BY_NAME[name]
            continue
        value = _value(field.annotation, field, text, stats)
        if value is not None:
            out[name] = value
    return out


def hostile_dossier(text: str = PAYLOAD) -> dict[str, Any]:
    doc = fill(dm.Dossier, text)
    dm.Dossier.model_validate(doc)  # it must be a valid dossier
    return doc


def write_hostile_dossier(folder: Path, text: str = PAYLOAD) -> Path:
    """The hostile dossier as JSON, in a file whose name is markup too."""
    path = folder / f"{IMG}.json"
    path.write_text(json.dumps(hostile_dossier(text), ensure_ascii=False), encoding="utf-8")
    return path


def hostile_ruleset_criteria() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Criteria and standards whose texts (titles, rationale, remediation, references,
    ids where allowed: area ids) are markup; they read hostile dossier strings so evidence carries markup too."""
    area = f"area{SCRIPT}"
    criteria = [
        {
            "id": "X-1",
            "title": f"Title {PAYLOAD}",
            "area": area,
            "levels": [{"level": "met", "when": "title == 'nope' and exists(provider.name)"}],
            "evidence": ["title", "provider.name", "credential.title"],
            "rationale": f"Rationale {PAYLOAD}",
            "remediation": f"Remediation {PAYLOAD}",
            "references": [
                {"title": f"Ref {PAYLOAD}", "url": "javascript:alert(1)", "section": PAYLOAD, "id": PAYLOAD},
                {"title": "Good ref", "url": f"https://example.org/?q={IMG}"},
            ],
        },
        {
            "id": "X-2",
            "title": f"Second {PAYLOAD}",
            "area": area,
            "essential": True,
            "levels": [{"level": "met", "when": "any(o in outcomes: o.statement == 'x')"}],
            "rationale": PAYLOAD,
            "remediation": PAYLOAD,
        },
        {
            "id": "X-3",
            "title": "Not applicable here",
            "area": area,
            "applies_when": "count(cohorts) > 5",
            "levels": [{"level": "met", "when": "count(cohorts) > 6"}],
            "rationale": PAYLOAD,
            "remediation": PAYLOAD,
        },
    ]
    standards = [{"id": area, "title": f"Area {PAYLOAD}"}]
    return criteria, standards
