"""The multi-ruleset report: one dossier checked against several rulesets at once.

Beside each ruleset's own report it holds the coverage matrix: the criteria that a
crosswalk maps onto each other, grouped, with their states in every framework, and for
each group the frameworks that fixing it moves forward at once.
"""

from __future__ import annotations

import datetime as _dt

from pydantic import BaseModel, ConfigDict

from qa_engine.formats.report import Report


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FrameworkSummary(_Model):
    ruleset: str  # id@version
    title: str
    decision: str
    decision_label: str
    passed: bool
    score: float
    essential_failures: list[str]


class MatrixCell(_Model):
    criterion: str
    title: str
    state: str
    essential: bool
    failing: bool


class MatrixLink(_Model):
    source: str  # ruleset-id:criterion-id
    target: str
    kind: str
    note: str


class MatrixRow(_Model):
    """One group of criteria that correspond across frameworks."""

    title: str
    #: ruleset ref -> the group's criteria in that ruleset (empty: the framework has none)
    cells: dict[str, list[MatrixCell]]
    links: list[MatrixLink]
    #: frameworks in which a criterion of the group is not met, partially met or unknown
    failing_in: list[str]
    #: True when every link among the failing criteria is `equal`: fixing one fixes all
    same_requirement: bool


class MultiReport(_Model):
    engine_version: str
    as_of: _dt.date
    dossier_id: str
    dossier_title: str | None
    dossier_sha256: str
    file: str | None
    passed: bool
    crosswalks: list[str]
    frameworks: list[FrameworkSummary]
    matrix: list[MatrixRow]
    notes: list[str]
    reports: list[Report]
