"""The diff report model: what changed between two ruleset versions and whom it affects.

One pydantic model that the JSON output serialises unchanged and the text and HTML
renderers read (the computation is :mod:`qa_engine.services.diff`).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from qa_engine import __version__

DIFF_SCHEMA = "qa-engine.diff/1"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VersionRef(_M):
    id: str
    version: str
    sha256: str
    rubric: str
    rubric_sha256: str


class FieldChange(_M):
    field: str
    before: Any = None
    after: Any = None


class CriterionChange(_M):
    criterion: str
    kind: Literal["added", "removed", "renamed", "changed"]
    title: str
    previous_id: str | None = None
    fields: list[FieldChange] = Field(default_factory=list)


class CriterionImpact(_M):
    id: str
    state_before: str | None
    state_after: str | None
    score_contribution: float = Field(description="Percentage points this criterion moved the score.")
    score_contribution_exact: str


class DossierImpact(_M):
    id: str
    file: str | None = None
    decision_before: str
    decision_after: str
    passed_before: bool
    passed_after: bool
    score_before: float
    score_after: float
    score_delta: float
    score_delta_exact: str
    criteria: list[CriterionImpact]


class ImpactSummary(_M):
    dossiers: int
    decision_changed: int
    improved: int
    worsened: int
    unchanged: int
    pass_to_fail: int
    fail_to_pass: int
    transitions: dict[str, int]
    rejected: list[str] = Field(default_factory=list)


class Impact(_M):
    as_of: _dt.date
    dossiers: list[DossierImpact]
    summary: ImpactSummary


class DiffReport(_M):
    diff_schema: str = DIFF_SCHEMA
    engine_version: str = __version__
    from_: VersionRef = Field(alias="from")
    to: VersionRef
    changes: list[CriterionChange]
    rubric_changes: list[FieldChange]
    impact: Impact | None = None

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
