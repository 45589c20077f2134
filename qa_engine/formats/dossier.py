"""The dossier: a structured description of one programme and the credential it awards.

The model follows the EU Council Recommendation on micro-credentials (2022/C 243/02,
Annex I) for the credential and adds what an accrediting body reviews: outcomes,
modules, assessments, staff, learner support, quality assurance, cohort data and
evidence.

Conventions (rulesets rely on them):

* every model forbids unknown fields and non-finite numbers;
* validation is strict: a number must be a number (not ``"5"`` nor ``true``), a flag
  must be ``true``/``false``; dates are ``YYYY-MM-DD`` (a ``date`` or an ISO string);
* almost every field is optional (``None``) so that missing evidence stays *unknown*;
  lists default to ``[]``;
* rates, weights and shares are fractions between 0 and 1;
* cross-field checks (impossible cohort numbers, weights summing to more than 1,
  duplicate ids, references to unknown ids) raise a ``PydanticCustomError`` of type
  ``dossier_consistency`` whose ``ctx`` carries ``message``, ``hint``, the precise
  field path *relative to the error's loc* (``ctx["path"]``, a tuple) and every
  problem found (``ctx["problems"]``: dicts with ``path``, ``message``, ``hint``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "SCHEMA_VERSION",
    "DOSSIER_SCHEMA_ID",
    "PATTERN_HELP",
    "AccessibilityClaim",
    "Activity",
    "Assessment",
    "Body",
    "Cohort",
    "Credential",
    "Dossier",
    "EvidenceItem",
    "FeedbackChange",
    "Level",
    "Material",
    "MaterialAccessibility",
    "Module",
    "Outcome",
    "Participation",
    "Provider",
    "QualityAssurance",
    "Relevance",
    "Source",
    "StaffMember",
    "Support",
    "Transparency",
    "Workload",
    "dossier_json_schema",
]

SCHEMA_VERSION = "1.0"
DOSSIER_SCHEMA_ID = "urn:qa-engine:schema:dossier:1.0"

#: Tolerance when checking that assessment weights add up to at most 1.
WEIGHT_TOLERANCE = 1e-9
#: Upper bounds of counts and durations. Beyond them a value is a mistake, and every
#: sum or product a condition computes over a dossier stays a finite number (an
#: unbounded 1e308 or a 5,000-digit count would overflow a float).
MAX_HOURS = 20000
MAX_LEARNERS = 1_000_000_000

#: Names Windows reserves for devices: a file ``con.html`` or ``nul.json`` cannot be
#: created there, so a dossier id (which names report files) may not be one of them,
#: nor start with one followed by a dot.
WINDOWS_RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in "0123456789"]
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"
# The same rule for JSON Schema (ECMA-262 regexes support the look-ahead; the
# Rust regex engine pydantic uses does not, so ".." and the device names Windows
# reserves are checked by a validator).
SLUG_PATTERN_JSON = (
    r"^(?!.*\.\.)(?!(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$))[a-z0-9][a-z0-9._-]{0,127}$"
)
COUNTRY_PATTERN = r"^[A-Z]{2}$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
URI_PATTERN = r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"

#: Human wording for each pattern, used by the loader's error messages.
PATTERN_HELP: dict[str, str] = {
    SLUG_PATTERN: (
        "must be a lowercase slug: a-z, 0-9, '.', '_' and '-', starting with a letter "
        "or digit, at most 128 characters, no '..'"
    ),
    COUNTRY_PATTERN: "must be an ISO 3166-1 alpha-2 country code in capitals, such as 'DE'",
    LANGUAGE_PATTERN: "must be an ISO 639-1 two-letter language code in lowercase, such as 'en'",
    URI_PATTERN: "must be a URI such as 'http://data.europa.eu/esco/skill/...'",
}

Date = date  # alias: FeedbackChange has a field named ``date``

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

SupervisionLevel = Literal["unsupervised_no_id", "supervised_no_id", "supervised_with_id"]
WcagLevel = Literal["A", "AA", "AAA"]
AssessmentType = Literal[
    "exam",
    "quiz",
    "project",
    "portfolio",
    "presentation",
    "practical",
    "essay",
    "peer_review",
    "participation",
    "other",
]


def _as_date(value: Any) -> Any:
    """Accept a ``date``, a midnight ``datetime`` or a ``YYYY-MM-DD`` string.

    Anything else is passed on unchanged so that pydantic reports a ``date_type`` error.
    """
    if isinstance(value, datetime):
        if value.time() == datetime.min.time() and value.tzinfo is None:
            return value.date()
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _consistency(path: tuple[str | int, ...], message: str, hint: str) -> PydanticCustomError:
    return PydanticCustomError(
        "dossier_consistency",
        "{message}",
        {
            "message": message,
            "path": path,
            "hint": hint,
            "problems": [{"path": path, "message": message, "detail": message, "hint": hint}],
        },
    )


def _q(text: str) -> str:
    """Quote a user-supplied text for a one-line message."""
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'" if text.isprintable() and "'" not in text else repr(text)


def _path_text(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        strict=True,
    )


# --------------------------------------------------------------------------- identity


class Provider(_Model):
    """The organisation that offers the programme."""

    name: str | None = Field(None, description="Legal or public name of the provider.")
    country: str | None = Field(
        None,
        pattern=COUNTRY_PATTERN,
        description="Country of the provider, ISO 3166-1 alpha-2 (e.g. 'DE').",
    )
    identifier: str | None = Field(
        None, description="Registry identifier of the provider (e.g. Erasmus code, VAT, PIC)."
    )
    website: str | None = Field(None, description="Provider website URL.")


class Body(_Model):
    """An awarding body named on the credential."""

    name: str = Field(description="Name of the awarding body.", min_length=1)
    country: str | None = Field(
        None, pattern=COUNTRY_PATTERN, description="Country, ISO 3166-1 alpha-2."
    )
    identifier: str | None = Field(None, description="Registry identifier of the body.")
    url: str | None = Field(None, description="Website of the body.")


class Workload(_Model):
    """Notional workload needed to achieve the learning outcomes (1 ECTS = 25-30 hours)."""

    ects: float | None = Field(None, ge=0, le=360, description="ECTS credits.")
    hours: float | None = Field(None, ge=0, le=MAX_HOURS, description="Notional learning hours.")
    credits: float | None = Field(
        None, ge=0, le=1000,
        description="Credit value in a national credit system other than ECTS (see credit_system).",
    )
    credit_system: str | None = Field(
        None,
        description=(
            "The system `credits` are counted in, e.g. 'NZQCF' (New Zealand: 1 credit = 10 "
            "notional learning hours) or 'UK' (10 notional hours per credit)."
        ),
    )


class Level(_Model):
    """Level of the credential in qualifications frameworks."""

    eqf: int | None = Field(
        None, ge=1, le=8, description="European Qualifications Framework level (1-8)."
    )
    nqf_framework: str | None = Field(
        None, description="Name of the national qualifications framework."
    )
    nqf_level: str | None = Field(None, description="Level in the national framework.")
    qf_ehea_cycle: Literal["short", "first", "second", "third"] | None = Field(
        None, description="Cycle of the QF-EHEA the credential belongs to."
    )


class Participation(_Model):
    """Form of participation in the learning activity."""

    mode: Literal["online", "blended", "on_site"] | None = Field(
        None, description="Online, blended or on-site."
    )
    synchronicity: Literal["synchronous", "asynchronous", "mixed"] | None = Field(
        None, description="Synchronous, asynchronous or mixed."
    )


class Credential(_Model):
    """The credential awarded (EU Council Recommendation 2022/C 243/02, Annex I)."""

    title: str | None = Field(None, description="Title of the micro-credential.")
    awarding_bodies: list[Body] = Field(
        default_factory=list, description="Awarding body or bodies named on the credential."
    )
    issuer_countries: list[str] = Field(
        default_factory=list, description="Country(ies) or region(s) of the issuer."
    )
    learner_identification: str | None = Field(
        None, description="What identifies the learner on the credential."
    )
    issue_date_shown: bool | None = Field(
        None, description="The credential shows its date of issuing."
    )
    outcomes_shown: bool | None = Field(
        None, description="The credential lists the learning outcomes."
    )
    workload: Workload | None = Field(None, description="Notional workload (ECTS and/or hours).")
    level: Level | None = Field(None, description="Level (EQF and/or national framework).")
    assessment_type: str | None = Field(
        None, description="Type of assessment, as stated on the credential."
    )
    participation: Participation | None = Field(
        None, description="Form of participation (online/blended/on-site, synchronicity)."
    )
    quality_assurance_type: str | None = Field(
        None, description="Type of quality assurance underpinning the credential."
    )
    prerequisites: str | None = Field(None, description="Prerequisites needed to enrol.")
    supervision: SupervisionLevel | None = Field(
        None, description="Supervision and identity verification during assessment."
    )
    grade: str | None = Field(None, description="Grade achieved or grading scheme.")
    stackability: str | None = Field(
        None, description="Integration or stackability options (e.g. into a degree)."
    )
    further_information: str | None = Field(None, description="Further information.")
    field_of_education: str | None = Field(
        None,
        description=(
            "Classification code of the field of education, e.g. a six-digit NZSCED code "
            "('020101') or an ISCED-F 2013 code ('0613')."
        ),
    )
    format: str | None = Field(
        None,
        description="Format of the credential, e.g. 'European Digital Credential', 'Open Badge 3.0'.",
    )


# --------------------------------------------------------------------------- curriculum


class Outcome(_Model):
    """A learning outcome."""

    id: str = Field(min_length=1, max_length=128, description="Unique id of the outcome.")
    statement: str = Field(min_length=1, description="The learning outcome statement.")
    bloom_level: int | None = Field(
        None, ge=1, le=6, description="Cognitive level on Bloom's revised taxonomy (1-6)."
    )
    action_verb: str | None = Field(None, description="Action verb of the statement.")
    esco_skill: str | None = Field(
        None, pattern=URI_PATTERN, description="ESCO skill URI the outcome relates to."
    )
    assessed_by: list[str] = Field(
        default_factory=list, description="Ids of the assessments that assess this outcome."
    )


class Activity(_Model):
    """A learning activity within a module."""

    type: str | None = Field(
        None, description="Kind of activity, e.g. lecture, discussion, lab, project, peer_review."
    )
    description: str | None = Field(None, description="What learners do.")
    interactive: bool | None = Field(
        None, description="Learners interact with teachers or peers in this activity."
    )
    hours: float | None = Field(
        None, ge=0, le=MAX_HOURS, description="Notional hours of the activity."
    )


class MaterialAccessibility(_Model):
    """Accessibility information of a learning material."""

    captions: bool | None = Field(None, description="Videos have captions.")
    transcripts: bool | None = Field(None, description="Audio and video have transcripts.")
    alt_text: bool | None = Field(None, description="Images have text alternatives.")
    wcag_level: WcagLevel | None = Field(None, description="WCAG conformance level.")


class Material(_Model):
    """A learning material."""

    title: str = Field(min_length=1, description="Title of the material.")
    type: str | None = Field(None, description="Kind of material, e.g. video, text, dataset.")
    url: str | None = Field(None, description="Where the material is.")
    accessibility: MaterialAccessibility | None = Field(
        None, description="Accessibility of the material."
    )


class Module(_Model):
    """A module or unit of the programme."""

    id: str = Field(min_length=1, max_length=128, description="Unique id of the module.")
    title: str | None = Field(None, description="Title of the module.")
    hours: float | None = Field(
        None, ge=0, le=MAX_HOURS, description="Notional hours of the module."
    )
    outcomes: list[str] = Field(
        default_factory=list, description="Ids of the outcomes the module covers."
    )
    activities: list[Activity] = Field(default_factory=list, description="Learning activities.")
    materials: list[Material] = Field(default_factory=list, description="Learning materials.")


class Assessment(_Model):
    """An assessment."""

    id: str = Field(min_length=1, max_length=128, description="Unique id of the assessment.")
    type: AssessmentType | None = Field(None, description="Type of assessment.")
    title: str | None = Field(None, description="Title of the assessment.")
    weight: float | None = Field(
        None, ge=0, le=1, description="Weight in the final grade, a fraction 0-1."
    )
    outcomes: list[str] = Field(
        default_factory=list, description="Ids of the outcomes this assessment assesses."
    )
    pass_mark: float | None = Field(None, ge=0, le=1, description="Pass mark, a fraction 0-1.")
    rubric_published: bool | None = Field(
        None, description="The marking rubric is given to learners in advance."
    )
    supervision: SupervisionLevel | None = Field(
        None, description="Supervision and identity verification of this assessment."
    )
    identity_verified: bool | None = Field(
        None, description="The learner's identity is verified for this assessment."
    )


# --------------------------------------------------------------------------- delivery


class StaffMember(_Model):
    """A member of the teaching staff."""

    role: str | None = Field(None, description="Role, e.g. lead instructor, tutor, assessor.")
    name: str | None = Field(None, description="Name (may be omitted for privacy).")
    qualification_eqf: int | None = Field(
        None, ge=1, le=8, description="EQF level of the highest qualification (1-8)."
    )
    years_experience: float | None = Field(
        None, ge=0, le=100, description="Years of relevant professional or teaching experience."
    )
    online_teaching_training: bool | None = Field(
        None, description="Has had training in online teaching."
    )


class AccessibilityClaim(_Model):
    """Accessibility conformance claimed for the learning platform."""

    wcag_level: WcagLevel | None = Field(None, description="WCAG conformance level.")
    wcag_version: str | None = Field(None, description="WCAG version, e.g. '2.1' or '2.2'.")
    statement_url: str | None = Field(None, description="URL of the accessibility statement.")


class Support(_Model):
    """Learner support and accessibility."""

    services: list[str] = Field(
        default_factory=list,
        description="Support services, e.g. tutoring, technical helpdesk, counselling.",
    )
    response_time_hours: float | None = Field(
        None,
        ge=0,
        le=24 * 366,
        description="Promised response time to learner questions, in hours.",
    )
    accessibility: AccessibilityClaim | None = Field(
        None, description="Accessibility conformance of the platform."
    )


# --------------------------------------------------------------------------- quality


class FeedbackChange(_Model):
    """A change made in response to learner (or other stakeholder) feedback."""

    date: Date | None = Field(None, description="When the change was made (YYYY-MM-DD).")
    feedback: str = Field(min_length=1, description="The feedback received.")
    change: str = Field(min_length=1, description="What was changed in response.")

    check_date = field_validator("date", mode="before")(_as_date)


class QualityAssurance(_Model):
    """Internal and external quality assurance."""

    internal_review_cycle_months: int | None = Field(
        None, ge=1, le=1200, description="Months between internal reviews of the programme."
    )
    last_internal_review: date | None = Field(
        None, description="Date of the last internal review (YYYY-MM-DD)."
    )
    external_body: str | None = Field(None, description="External QA body or agency.")
    external_last_review: date | None = Field(
        None, description="Date of the last external review (YYYY-MM-DD)."
    )
    external_result: str | None = Field(None, description="Result of the last external review.")
    feedback_changes: list[FeedbackChange] = Field(
        default_factory=list, description="How feedback led to changes."
    )

    check_dates = field_validator("last_internal_review", "external_last_review", mode="before")(
        _as_date
    )


class Cohort(_Model):
    """Outcome data of one cohort."""

    id: str = Field(min_length=1, max_length=128, description="Unique id of the cohort.")
    start: date | None = Field(None, description="Start date of the cohort (YYYY-MM-DD).")
    enrolled: int | None = Field(None, ge=0, le=MAX_LEARNERS, description="Learners enrolled.")
    completed: int | None = Field(
        None, ge=0, le=MAX_LEARNERS, description="Learners who completed."
    )
    passed: int | None = Field(None, ge=0, le=MAX_LEARNERS, description="Learners who passed.")
    satisfaction: float | None = Field(
        None, ge=0, le=1, description="Learner satisfaction, a fraction 0-1."
    )
    survey_response_rate: float | None = Field(
        None, ge=0, le=1, description="Response rate of the satisfaction survey, 0-1."
    )
    progression_rate: float | None = Field(
        None, ge=0, le=1, description="Share progressing to further study, 0-1."
    )
    employment_rate: float | None = Field(
        None, ge=0, le=1, description="Share employed in a relevant job afterwards, 0-1."
    )

    check_start = field_validator("start", mode="before")(_as_date)

    @model_validator(mode="after")
    def check_possible_numbers(self) -> Cohort:
        if (
            self.enrolled is not None
            and self.completed is not None
            and self.completed > self.enrolled
        ):
            raise _consistency(
                ("completed",),
                f"completed ({self.completed}) is more than enrolled ({self.enrolled})",
                "correct the cohort numbers",
            )
        if self.passed is not None:
            if self.completed is not None and self.passed > self.completed:
                raise _consistency(
                    ("passed",),
                    f"passed ({self.passed}) is more than completed ({self.completed})",
                    "correct the cohort numbers",
                )
            if self.completed is None and self.enrolled is not None and self.passed > self.enrolled:
                raise _consistency(
                    ("passed",),
                    f"passed ({self.passed}) is more than enrolled ({self.enrolled})",
                    "correct the cohort numbers",
                )
        return self


class Relevance(_Model):
    """Labour-market relevance."""

    employer_involvement: bool | None = Field(
        None, description="Employers are involved in design or delivery."
    )
    employer_partners: list[str] = Field(default_factory=list, description="Employer partners.")
    labour_market_evidence: str | None = Field(
        None, description="Evidence of labour-market need for the skills."
    )
    skills_framework: str | None = Field(
        None, description="Skills framework the outcomes map to, e.g. ESCO, SFIA, DigComp."
    )
    support_evidence: list[str] = Field(
        default_factory=list,
        description=(
            "Ids of evidence items (under `evidence`) showing support from employers, industry "
            "or the community, e.g. letters of support or minutes of an advisory group."
        ),
    )
    overlap_statement: str | None = Field(
        None,
        description=(
            "How the programme differs from approved qualifications and credentials that "
            "cover similar outcomes (why it does not duplicate them)."
        ),
    )


class Transparency(_Model):
    """Public information about the programme."""

    public_url: str | None = Field(None, description="Public page describing the programme.")
    published_items: list[str] = Field(
        default_factory=list,
        description=(
            "Items published before enrolment, e.g. fees, outcomes, assessment, workload, "
            "prerequisites."
        ),
    )


class EvidenceItem(_Model):
    """A named attachment or URL that claims point to."""

    id: str = Field(min_length=1, max_length=128, description="Unique id of the evidence item.")
    title: str | None = Field(None, description="Title of the evidence.")
    url: str | None = Field(None, description="URL of the evidence.")
    file: str | None = Field(None, description="Attached file name.")
    description: str | None = Field(None, description="What the evidence shows.")


class Source(_Model):
    """Where the dossier came from (filled by importers)."""

    format: str | None = Field(
        None, description="Source format, e.g. 'openbadges-3.0', 'elm-3', 'ctdl'."
    )
    file: str | None = Field(None, description="Source file.")
    notes: list[str] = Field(
        default_factory=list, description="Importer notes, e.g. what could not be mapped."
    )
    provenance: dict[str, str] = Field(
        default_factory=dict, description="Dossier path -> path in the source document."
    )
    unresolved: dict[str, str] | None = Field(
        None,
        description=(
            "Dossier path -> what the source carried that is related to this element but is "
            "not it (a validity start instead of an issue date, an organisation only by "
            "reference). Criteria reading the path are unknown rather than met or not met."
        ),
    )


# --------------------------------------------------------------------------- dossier


class Dossier(_Model):
    """A provider's dossier: one programme and the credential it awards."""

    model_config = ConfigDict(
        title="qa-engine dossier",
        json_schema_extra={"$id": DOSSIER_SCHEMA_ID},
    )

    schema_version: Literal["1.0"] = Field(
        description='Version of the dossier schema; write it as the string "1.0".'
    )
    id: str = Field(
        pattern=SLUG_PATTERN,
        description="Dossier id: lowercase slug (a-z, 0-9, '.', '_', '-'), at most 128 characters.",
        json_schema_extra={"pattern": SLUG_PATTERN_JSON},
    )
    title: str | None = Field(None, description="Title of the programme.")
    description: str | None = Field(None, description="Short description of the programme.")
    languages: list[str] = Field(
        default_factory=list,
        description="Languages of instruction and assessment (ISO 639-1 codes, e.g. 'en').",
        json_schema_extra={"items": {"type": "string", "pattern": LANGUAGE_PATTERN}},
    )
    submitted: date | None = Field(None, description="Date of submission (YYYY-MM-DD).")
    status: Literal["new", "running", "closed"] | None = Field(
        None,
        description=(
            "Where the programme stands: 'new' (it has not run yet, so it has no cohort "
            "outcome data), 'running' or 'closed' (no longer enrols)."
        ),
    )
    provider: Provider | None = Field(None, description="The provider.")
    credential: Credential | None = Field(None, description="The credential awarded.")
    outcomes: list[Outcome] = Field(default_factory=list, description="Learning outcomes.")
    modules: list[Module] = Field(default_factory=list, description="Modules or units.")
    assessments: list[Assessment] = Field(default_factory=list, description="Assessments.")
    staff: list[StaffMember] = Field(default_factory=list, description="Teaching staff.")
    support: Support | None = Field(None, description="Learner support and accessibility.")
    quality_assurance: QualityAssurance | None = Field(
        None, description="Internal and external quality assurance."
    )
    cohorts: list[Cohort] = Field(default_factory=list, description="Outcome data per cohort.")
    relevance: Relevance | None = Field(None, description="Labour-market relevance.")
    transparency: Transparency | None = Field(None, description="Public information.")
    evidence: list[EvidenceItem] = Field(
        default_factory=list, description="Attachments or URLs that claims point to."
    )
    source: Source | None = Field(
        None, description="Where the dossier came from (filled by importers)."
    )

    check_submitted = field_validator("submitted", mode="before")(_as_date)

    @field_validator("id")
    @classmethod
    def check_no_double_dot(cls, value: str) -> str:
        if ".." in value:
            raise PydanticCustomError(
                "string_pattern_mismatch",
                "must not contain '..'",
                {"pattern": SLUG_PATTERN},
            )
        device = value.split(".", 1)[0]
        if device in WINDOWS_RESERVED_NAMES:
            raise PydanticCustomError(
                "reserved_name",
                "{message}",
                {
                    "message": f"must not be {_q(device)}, a device name that Windows "
                    "reserves (report files named after it could not be saved there)",
                    "hint": f"choose another id, such as '{device}-course'",
                },
            )
        return value

    @field_validator("languages")
    @classmethod
    def check_language_codes(cls, value: list[str]) -> list[str]:
        for index, code in enumerate(value):
            if not re.match(LANGUAGE_PATTERN, code):
                raise _consistency(
                    (index,),
                    f"{_q(code)} {PATTERN_HELP[LANGUAGE_PATTERN]}",
                    "use the two-letter code of the language",
                )
        return value

    @model_validator(mode="after")
    def check_consistency(self, info: ValidationInfo) -> Dossier:
        problems: list[dict[str, Any]] = []

        def problem(path: tuple[str | int, ...], detail: str, hint: str) -> None:
            problems.append(
                {
                    "path": path,
                    "message": f"{_path_text(path)}: {detail}",
                    "detail": detail,
                    "hint": hint,
                }
            )

        kinds = {
            "outcomes": "outcome",
            "modules": "module",
            "assessments": "assessment",
            "cohorts": "cohort",
            "evidence": "evidence item",
        }
        for field, kind in kinds.items():
            seen: dict[str, int] = {}
            for index, item in enumerate(getattr(self, field)):
                if item.id in seen:
                    first = _path_text((field, seen[item.id], "id"))
                    problem(
                        (field, index, "id"),
                        f"duplicate id {_q(item.id)}, already used at {first}",
                        f"give every {kind} a unique id",
                    )
                else:
                    seen[item.id] = index

        outcome_ids = {o.id for o in self.outcomes}
        assessment_ids = {a.id for a in self.assessments}
        for i, outcome in enumerate(self.outcomes):
            for k, ref in enumerate(outcome.assessed_by):
                if ref not in assessment_ids:
                    path = ("outcomes", i, "assessed_by", k)
                    problem(
                        path,
                        f"refers to unknown assessment {_q(ref)}",
                        "use the id of an entry in assessments",
                    )
        for field in ("modules", "assessments"):
            for i, item in enumerate(getattr(self, field)):
                for k, ref in enumerate(item.outcomes):
                    if ref not in outcome_ids:
                        path = (field, i, "outcomes", k)
                        problem(
                            path,
                            f"refers to unknown outcome {_q(ref)}",
                            "use the id of an entry in outcomes",
                        )

        today = (info.context or {}).get("today") if info is not None else None
        if isinstance(today, date):
            for where, day, what in past_event_dates(self):
                if day > today:
                    problem(
                        where,
                        f"{day.isoformat()} is in the future (today is {today.isoformat()}); "
                        f"{what} cannot lie in the future",
                        "correct the date (a typo in the year?)",
                    )

        weights = [a.weight for a in self.assessments if a.weight is not None]
        total = sum(weights)
        if total > 1 + WEIGHT_TOLERANCE:
            shown = " + ".join(f"{w:g}" for w in weights)
            problem(
                ("assessments",),
                f"the weights add up to {total:g} ({shown}), more than 1: "
                "weights that cannot add up",
                "make the weights of the assessments sum to at most 1",
            )

        if problems:
            head = problems[0]
            message = head["message"]
            if len(problems) > 1:
                message += f" (and {len(problems) - 1} more consistency problems)"
            raise PydanticCustomError(
                "dossier_consistency",
                "{message}",
                {
                    "message": message,
                    "path": head["path"],
                    "hint": head["hint"],
                    "problems": problems,
                },
            )
        return self


DatePath = tuple[str | int, ...]


def past_event_dates(d: Dossier) -> list[tuple[DatePath, date, str]]:
    """Dates that record something that has already happened: the submission, the
    last internal and external reviews, changes made after feedback. A date after
    *today* is refused when a dossier is loaded; after the *as-of date* it is a
    warning (:func:`dates_after`), since an evaluation may look back in time."""
    out: list[tuple[DatePath, date, str]] = []
    if d.submitted is not None:
        out.append((("submitted",), d.submitted, "a submission"))
    qa = d.quality_assurance
    if qa is not None:
        if qa.last_internal_review is not None:
            out.append((("quality_assurance", "last_internal_review"), qa.last_internal_review,
                        "the last internal review"))
        if qa.external_last_review is not None:
            out.append((("quality_assurance", "external_last_review"), qa.external_last_review,
                        "the last external review"))
        for i, ch in enumerate(qa.feedback_changes):
            if ch.date is not None:
                out.append((("quality_assurance", "feedback_changes", i, "date"), ch.date,
                            "a change already made"))
    return out


def dates_after(d: Dossier, as_of: date) -> list[str]:
    """Warnings for the dossier's dates that lie after the as-of date of an evaluation:
    past events dated later than it (the evaluation looks back to a day before they
    happened), and cohorts that had not started yet but report outcome data. The
    evaluation goes on (the condition language decides what such a date means for a
    rule); the report carries the warning in its notes."""
    out = []
    for path, day, what in past_event_dates(d):
        if day > as_of:
            out.append(
                f"{_path_text(path)} is {day.isoformat()}, after the as-of date {as_of.isoformat()}: "
                f"on that date {what} dated later had not happened yet"
            )
    for i, c in enumerate(d.cohorts):
        if c.start is not None and c.start > as_of and any(
            v is not None for v in (c.completed, c.passed, c.satisfaction)
        ):
            out.append(
                f"{_path_text(('cohorts', i, 'start'))} is {c.start.isoformat()}, after the as-of date "
                f"{as_of.isoformat()}, yet the cohort reports outcomes"
            )
    return out


def dossier_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the dossier, for editors and external validation."""
    schema = Dossier.model_json_schema()
    out: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": DOSSIER_SCHEMA_ID,
    }
    out.update(schema)
    out["title"] = f"qa-engine dossier {SCHEMA_VERSION}"
    out["description"] = (
        "A provider's dossier describing one micro-credential programme and the credential "
        "it awards, evaluated by qa-engine rulesets. Rates, weights and shares are fractions "
        "between 0 and 1; dates are YYYY-MM-DD."
    )
    return out
