"""The review policy: how a panel judges on top of the machine verdicts (DESIGN.md, Part 2).

A policy lies beside its rubric, ``rubrics/<id>/<version>.policy.yaml``, and says who
must sit on a panel, how the panel's judgments of one criterion become one state
(the consensus rule), how long a provider has to meet conditions, how long a decision
is valid and which changes of a dossier force a new review. It is data, so that a
body adopting another scheme (Quality Matters, NZQA, an ESG agency) edits a file
rather than the code; ``docs/review-policy.md`` documents the bundled ones.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from qa_engine.formats.dossier import Dossier
from qa_engine.formats.ruleset import RULESET_ID_RE, SEMVER_RE

POLICY_SCHEMA: Literal["qa-engine.review-policy/1"] = "qa-engine.review-policy/1"

#: How the judgments of one criterion become one state.
#: ``majority``: the state more than half of the panel give; otherwise the chair decides.
#: ``unanimous``: the state every panel member gives; otherwise the chair decides.
#: ``chair``: the chair's own judgment decides.
ConsensusRule = Literal["majority", "unanimous", "chair"]
CONSENSUS_RULES: tuple[str, ...] = ("majority", "unanimous", "chair")

#: The decision outcomes (formats.decision.OUTCOMES), repeated to keep formats acyclic.
_OUTCOMES = ("accredited", "accredited_with_conditions", "not_accredited")


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Source(_M):
    """Where a policy's figures come from (a scheme's handbook, a regulator's rules)."""

    title: str = Field(min_length=1)
    url: str | None = None
    says: str = Field(default="", description="What the source prescribes, in short.")


class PanelPolicy(_M):
    """Who must sit on a panel."""

    size: int = Field(ge=1, le=15, description="Members, the chair included.")
    chair_required: bool = True
    chair_qualified: bool = Field(
        default=True, description="The chair must be qualified to chair (a certified chair)."
    )
    min_external: int = Field(default=0, ge=0, description="Members from outside the body.")
    min_subject_matter: int = Field(default=0, ge=0, description="Subject-matter experts.")

    @model_validator(mode="after")
    def _fits(self) -> PanelPolicy:
        for name in ("min_external", "min_subject_matter"):
            if getattr(self, name) > self.size:
                raise ValueError(f"{name} ({getattr(self, name)}) is larger than the panel size ({self.size})")
        return self


class ConsensusPolicy(_M):
    """The consensus rule per criterion: ``criteria`` names exceptions by criterion id,
    ``essential`` applies to essential criteria, ``default`` to the rest."""

    default: ConsensusRule = "majority"
    essential: ConsensusRule = "unanimous"
    criteria: dict[str, ConsensusRule] = Field(default_factory=dict)

    def rule_for(self, criterion: str, essential: bool) -> ConsensusRule:
        if criterion in self.criteria:
            return self.criteria[criterion]
        return self.essential if essential else self.default


class ReviewPolicy(_M):
    """The review policy of one rubric version."""

    policy_schema: Literal["qa-engine.review-policy/1"] = POLICY_SCHEMA
    rubric: str = Field(description="The rubric id this policy belongs to.")
    version: str = Field(description="The rubric version this policy belongs to.")
    title: str = Field(min_length=1)
    description: str = ""
    panel: PanelPolicy
    consensus: ConsensusPolicy = Field(default_factory=ConsensusPolicy)
    amendment_weeks: int = Field(
        ge=1, le=520, description="Time a provider has to meet conditions; the default due date."
    )
    validity_months: int = Field(ge=1, le=240, description="How long a decision is valid.")
    re_review_on: list[str] = Field(
        default_factory=list,
        description="Dossier fields (top-level names) whose change in an amended dossier forces a new review.",
    )
    outcomes: dict[str, Literal["accredited", "accredited_with_conditions", "not_accredited"]] = Field(
        default_factory=dict,
        description="Rubric band id -> decision outcome, where the band ids are not outcomes themselves.",
    )
    sources: list[Source] = Field(default_factory=list)

    @field_validator("rubric")
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

    @field_validator("re_review_on")
    @classmethod
    def _fields(cls, v: list[str]) -> list[str]:
        known = set(Dossier.model_fields)
        for name in v:
            if name not in known:
                raise ValueError(f"'{name}' is not a dossier field (fields: {', '.join(sorted(known))})")
        return v

    def outcome_of_band(self, band: str) -> str | None:
        """The decision outcome a rubric band stands for (None: the band is no outcome)."""
        if band in self.outcomes:
            return self.outcomes[band]
        return band if band in _OUTCOMES else None
