"""The ruleset file format (pydantic models of what authors write in YAML).

A ruleset version is a folder ``rulesets/<id>/<version>/`` with ``ruleset.yaml`` and,
optionally, ``criteria/*.yaml`` (one criterion per file), or a single YAML file.
Conditions are kept as text here; :mod:`qa_engine.rules.registry` parses and checks them.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
RULESET_ID_RE = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
REF_RE = re.compile(r"^([a-z][a-z0-9-]{0,63})(?:@((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)))?$")

LevelName = Literal["exemplary", "met", "partially_met"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Reference(_Strict):
    """A standard or document a ruleset or criterion encodes."""

    id: str | None = None
    title: str
    url: str | None = None
    section: str | None = None


class Level(_Strict):
    """One rubric level and the condition under which the criterion reaches it."""

    level: LevelName
    when: str = Field(description="Condition (see docs/condition-language.md).")


class Example(_Strict):
    """A dossier fragment and the state the criterion must reach on it."""

    name: str
    expect: Literal["exemplary", "met", "partially_met", "not_met", "not_applicable", "unknown"]
    dossier: dict[str, Any] = Field(default_factory=dict)
    as_of: _dt.date | None = None


class Criterion(_Strict):
    id: str = Field(description="Stable id, never reused.")
    title: str
    area: str = Field(description="Id of the standard (area) this criterion belongs to.")
    weight: float = Field(default=1, gt=0, le=1000)
    essential: bool = False
    replaces: list[str] = Field(default_factory=list, description="Earlier ids of this criterion.")
    applies_when: str | None = None
    levels: list[Level] = Field(min_length=1)
    evidence: list[str] = Field(
        default_factory=list, description="Extra dossier paths shown as evidence."
    )
    rationale: str = ""
    remediation: str = ""
    references: list[Reference] = Field(default_factory=list)
    examples: list[Example] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not ID_RE.match(v):
            raise ValueError(
                "criterion ids use letters, digits, '-', '_' or '.', start with a letter"
            )
        return v


class Standard(_Strict):
    """An area of the ruleset (curriculum rigour, assessment, ...)."""

    id: str
    title: str
    description: str = ""


class CriterionTexts(_Strict):
    """Texts an extending ruleset may rewrite for an inherited criterion."""

    title: str | None = None
    rationale: str | None = None
    remediation: str | None = None


class Tailoring(_Strict):
    """How an extending ruleset changes the criteria it inherits."""

    drop: list[str] = Field(default_factory=list)
    reweight: dict[str, float] = Field(default_factory=dict)
    essential: dict[str, bool] = Field(default_factory=dict)
    relevel: dict[str, list[Level]] = Field(default_factory=dict)
    applies: dict[str, str] = Field(
        default_factory=dict,
        description="Set or replace the applies_when condition of an inherited criterion.",
    )
    examples: dict[str, list[Example]] = Field(
        default_factory=dict,
        description="Replace the examples of an inherited criterion (needed when relevel changes what they reach).",
    )
    texts: dict[str, CriterionTexts] = Field(
        default_factory=dict,
        description="Replace the title, rationale or remediation of an inherited criterion.",
    )


class RulesetFile(_Strict):
    id: str
    version: str
    title: str
    description: str = ""
    effective_from: _dt.date
    effective_until: _dt.date | None = None
    extends: str | None = Field(default=None, description="<id>@<version> of the base ruleset.")
    tailoring: Tailoring = Field(default_factory=Tailoring)
    rubric: str = Field(description="<id>@<version> of the rubric this ruleset is scored with.")
    references: list[Reference] = Field(default_factory=list)
    standards: list[Standard] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _rid(cls, v: str) -> str:
        if not RULESET_ID_RE.match(v):
            raise ValueError("ruleset ids are lower-case letters, digits and '-'")
        return v

    @field_validator("version")
    @classmethod
    def _ver(cls, v: str) -> str:
        if not SEMVER_RE.match(v):
            raise ValueError("versions are semantic versions like 1.2.0")
        return v

    @field_validator("extends", "rubric")
    @classmethod
    def _ref(cls, v: str | None) -> str | None:
        if v is not None and not REF_RE.match(v):
            raise ValueError("references are written <id>@<version>, e.g. eu-microcredential@1.0.0")
        return v


def parse_ref(ref: str) -> tuple[str, str | None]:
    """Split ``id[@version]``; raises ValueError on a malformed reference."""
    m = REF_RE.match(ref.strip())
    if not m:
        raise ValueError(ref)
    return m.group(1), m.group(2)


def version_key(version: str) -> tuple[int, int, int]:
    a, b, c = version.split(".")
    return int(a), int(b), int(c)
