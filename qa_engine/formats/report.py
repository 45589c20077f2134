"""The report model: one pydantic model that JSON serialises unchanged and every
renderer (text, HTML, JUnit) reads.

``REPORT_SCHEMA`` names the JSON schema version; a change that removes or renames a
field bumps it.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

REPORT_SCHEMA = "qa-engine.report/1"


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ContentRef(_M):
    id: str
    version: str
    sha256: str
    title: str


class DossierRef(_M):
    id: str
    sha256: str
    title: str | None = None
    provider: str | None = None
    file: str | None = None
    imported_from: str | None = Field(default=None, description="Format of the source document, when imported.")
    import_notes: list[str] = Field(default_factory=list, description="What the importer could not map.")


class EvidenceItem(_M):
    path: str
    value: Any = None
    source: str | None = Field(
        default=None, description="Where an imported value came from in the source document."
    )


class Part(_M):
    text: str
    held: bool | None
    detail: str


class ReferenceOut(_M):
    title: str
    id: str | None = None
    url: str | None = None
    section: str | None = None


class ReviewOut(_M):
    """A reviewer's override or waiver applied to a criterion (effective reports only)."""

    action_id: int
    evaluation_id: int = Field(description="The evaluation the reviewer acted on.")
    kind: str = Field(description="override or waiver.")
    state_before: str = Field(description="The engine's state.")
    state: str = Field(description="The state that counts: the override's target, or waived.")
    reason: str
    reviewer: str
    created: _dt.datetime
    expires: _dt.date | None = None


class ReviewSummaryOut(_M):
    """How an effective report differs from the stored evaluation."""

    evaluation_id: int
    as_of: _dt.date = Field(description="Date on which overrides were checked for expiry.")
    stored_decision: str
    stored_score: float
    stored_passed: bool
    active: int = Field(description="Overrides and waivers applied.")
    lapsed: list[str] = Field(default_factory=list, description="Actions not applied, and why.")


class CriterionResult(_M):
    id: str
    title: str
    area: str
    area_title: str
    state: str
    essential: bool
    essential_failed: bool
    weight: float
    points: float
    max_points: float
    evidence: list[EvidenceItem]
    explanation: str
    condition: str | None = None
    parts: list[Part] = Field(default_factory=list)
    rationale: str
    remediation: str
    references: list[ReferenceOut] = Field(default_factory=list)
    error: str | None = None
    sha256: str
    review: ReviewOut | None = Field(default=None, description="Set when a reviewer's action applies.")


class AreaResult(_M):
    id: str
    title: str
    score: float | None
    points: float
    max_points: float
    weight: float
    counted: int
    failed: int


class FixOut(_M):
    criterion: str
    title: str
    area: str
    state: str
    essential: bool
    clears_essential: bool
    gain: float = Field(description="Percentage points the score rises when this criterion is met.")
    in_plan: bool = Field(description="Part of the smallest set of fixes that reaches the next decision.")


class NextDecision(_M):
    decision: str
    label: str
    reachable: bool
    fixes_needed: int


class Report(_M):
    report_schema: str = REPORT_SCHEMA
    engine_version: str
    engine: str
    as_of: _dt.date
    decision: str
    decision_label: str
    passed: bool
    score: float
    score_exact: str
    scoring_model: str
    ruleset: ContentRef
    rubric: ContentRef
    dossier: DossierRef
    areas: list[AreaResult]
    essential_failures: list[str]
    counts: dict[str, int]
    criteria: list[CriterionResult]
    fixes: list[FixOut]
    next_decision: NextDecision | None = None
    notes: list[str] = Field(default_factory=list)
    review: ReviewSummaryOut | None = Field(default=None, description="Set on effective (reviewed) reports.")


def report_json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema()
    schema["$id"] = "https://qa-engine.invalid/schema/report-1.json"
    return schema
