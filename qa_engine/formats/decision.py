"""The accreditation decision, as one model (DESIGN.md, Part 2).

What the review workflow records, the decision letter and the provider's page show,
the signed decision credential carries and the exports (DEQAR, ELM, CTDL) map from.
A decision names everything it rests on by id and hash, so that a reader can check
that the programme, the ruleset and the evaluation it cites are the ones decided on.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DECISION_SCHEMA = "qa-engine.decision/1"

#: The outcomes of a decision (DEQAR: positive / positive with conditions / negative).
OUTCOMES: tuple[str, ...] = ("accredited", "accredited_with_conditions", "not_accredited")
Outcome = Literal["accredited", "accredited_with_conditions", "not_accredited"]

#: A condition's stored state; ``overdue`` is derived (open and past its due date).
ConditionState = Literal["open", "met", "overdue"]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VersionRef(_M):
    """A ruleset or rubric version, as evaluated."""

    id: str
    version: str
    sha256: str


class Programme(_M):
    """The dossier version decided on."""

    dossier_id: str
    title: str
    dossier_sha256: str
    version: int = Field(description="Number of the submission version decided on.")


class Provider(_M):
    slug: str
    name: str
    country: str | None = None
    identifier: str | None = None


class PanelMember(_M):
    name: str
    role: Literal["chair", "member"]
    external: bool = False


class CriterionOutcome(_M):
    """One criterion: the machine's verdict and the state the decision rests on."""

    id: str
    title: str
    machine_state: str
    final_state: str
    source: Literal["machine", "consensus", "chair", "reviewer_override"] = Field(
        description="Where the final state comes from."
    )
    rationale: str | None = Field(default=None, description="Why the panel departed from the machine.")


class Condition(_M):
    """Something the provider must do by ``due`` for the decision to stand unconditioned."""

    id: str = Field(description="Stable within the decision, e.g. C1.")
    criteria: list[str] = Field(min_length=1, description="The criterion ids it concerns.")
    text: str = Field(min_length=1)
    due: _dt.date
    state: Literal["open", "met"] = "open"
    closed_on: _dt.date | None = None
    closed_by: str | None = None
    met_in_version: int | None = Field(default=None, description="The amendment version that met it.")

    def current_state(self, today: _dt.date) -> ConditionState:
        """``overdue`` once an open condition's due date has passed."""
        if self.state == "open" and today > self.due:
            return "overdue"
        return self.state


class Decision(_M):
    """An accreditation decision with its conditions and validity."""

    decision_schema: str = DECISION_SCHEMA
    id: int
    submission: int = Field(description="The submission (case) id.")
    provider: Provider
    programme: Programme
    ruleset: VersionRef
    rubric: VersionRef
    evaluation_id: int
    report_sha256: str = Field(description="sha256 of the machine evaluation's canonical report JSON.")
    panel: list[PanelMember] = Field(default_factory=list)
    criteria: list[CriterionOutcome] = Field(default_factory=list)
    score: float = Field(description="The consolidated score, percent, for display.")
    score_exact: str = Field(description="The consolidated score as an exact fraction.")
    outcome: Outcome
    rationale: str = Field(min_length=1)
    valid_from: _dt.date
    valid_until: _dt.date
    conditions: list[Condition] = Field(default_factory=list)
    decided_on: _dt.date
    decided_by: str
    audit_head: str | None = Field(default=None, description="The audit-chain head when it was recorded.")

    def in_force(self, today: _dt.date) -> bool:
        return self.valid_from <= today <= self.valid_until
