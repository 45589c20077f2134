"""The rubric file format: how verdicts become points, a score and a decision."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa_engine.formats.ruleset import RULESET_ID_RE, SEMVER_RE

ScoringModel = Literal["weighted", "flat", "flat_unweighted", "absolute"]


class Band(BaseModel):
    """A decision band; bands are tried in order and the first whose conditions hold wins."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str
    label: str
    min_score: float = Field(default=0, ge=0, le=100)
    max_essential_failures: int | None = Field(
        default=None, ge=0, description="None: any number of essential failures is allowed."
    )
    passes: bool = Field(description="Whether this decision counts as passing (exit code 0).")
    description: str = ""


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    id: str
    version: str
    title: str
    description: str = ""
    scoring: ScoringModel = "weighted"
    credits: dict[str, float] = Field(
        default_factory=lambda: {"exemplary": 1.0, "met": 1.0, "partially_met": 0.5, "not_met": 0.0}
    )
    unknown_credit: float = Field(default=0, ge=0, le=1)
    not_applicable: Literal["exclude"] = "exclude"
    area_weights: dict[str, float] = Field(default_factory=dict)
    bands: list[Band] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _rid(cls, v: str) -> str:
        if not RULESET_ID_RE.match(v):
            raise ValueError("rubric ids are lower-case letters, digits and '-'")
        return v

    @field_validator("version")
    @classmethod
    def _ver(cls, v: str) -> str:
        if not SEMVER_RE.match(v):
            raise ValueError("versions are semantic versions like 1.2.0")
        return v

    @field_validator("credits")
    @classmethod
    def _credits(cls, v: dict[str, float]) -> dict[str, float]:
        for k, c in v.items():
            if k not in ("exemplary", "met", "partially_met", "not_met"):
                raise ValueError(f"unknown level '{k}' (levels: exemplary, met, partially_met, not_met)")
            if not 0 <= c <= 1:
                raise ValueError(f"credit for {k} must be between 0 and 1")
        merged = {"exemplary": 1.0, "met": 1.0, "partially_met": 0.5, "not_met": 0.0}
        merged.update(v)
        return merged
