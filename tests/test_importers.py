"""Importers on real public samples (read from ../shared/realdata, never copied) and own CTDL/ELM data."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from realdata import DATA, ELM, OB, REALDATA, VAL, skip_module_without_samples  # noqa: E402

from qa_engine.errors import InputError, QAError
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import dump_dossier_yaml, load_dossier
from qa_engine.importers import ImportResult, detect_format, import_document
from qa_engine.importers._common import (
    country_code,
    duration_hours,
    language_code,
    slug,
    text,
    texts,
)

skip_module_without_samples()
AS_OF = date(2026, 1, 1)

SAMPLES = sorted(
    p for p in REALDATA.glob("*/*") if p.is_file() and p.name != "PROVENANCE.txt"
)
#: Samples that are not credentials or are deliberately invalid: rejected with a reason.
REJECTED = {
    "ob30_simple-err-type.json": "`$.type` must include OpenBadgeCredential or AchievementCredential",
    "ob30_simple-err-credential-subject-achievement-result-description-type.json": (
        "`$.credentialSubject.achievement.resultDescription[2].type` must include ResultDescription"
    ),
    "context-3.0.3.json": "is a JSON-LD context document, not a credential",
    "edc-ap-context.jsonld": "is a JSON-LD context document, not a credential",
    "loq_withLearningAchievementSpecification.xml": "is an XML document",
}


def one(path: Path | dict[str, Any], fmt: str = "auto", as_of: date = AS_OF) -> Dossier:
    result = import_document(path, fmt, as_of=as_of)
    assert len(result.dossiers) == 1
    return result.dossiers[0]


def notes(d: Dossier) -> list[str]:
    assert d.source is not None
    return d.source.notes


def prov(d: Dossier) -> dict[str, str]:
    assert d.source is not None
    return d.source.provenance


def has_note(d: Dossier, *parts: str) -> bool:
    return any(all(p in n for p in parts) for n in notes(d))


_TOKEN = re.compile(r"\.([A-Za-z_@][A-Za-z0-9_:@-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]")


def resolve(doc: Any, path: str) -> Any:
    """Follow a provenance JSON path (``$.a.b[0]``, ``$['k']``) in a document."""
    assert path.startswith("$"), path
    rest = path[1:]
    node = doc
    while rest:
        match = _TOKEN.match(rest)
        assert match, f"cannot parse {path!r} at {rest!r}"
        key, index, quoted = match.groups()
        if index is not None:
            assert isinstance(node, list) and int(index) < len(node), path
            node = node[int(index)]
        else:
            name = key if key is not None else re.sub(r"\\(.)", r"\1", quoted)
            assert isinstance(node, dict) and name in node, f"{path}: no {name!r}"
            node = node[name]
        rest = rest[match.end() :]
    return node


def provenance_resolves(d: Dossier, doc: Any) -> None:
    for target, sources in prov(d).items():
        for source in re.split(r", (?=\$)", sources):
            resolve(doc, source)
        assert target  # a dossier path


# --------------------------------------------------------------------------- every sample


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_imports_or_is_rejected_with_a_reason(sample: Path) -> None:
    if sample.name in REJECTED:
        with pytest.raises(InputError) as info:
            import_document(sample, as_of=AS_OF)
        message = str(info.value)
        assert REJECTED[sample.name] in message
        assert message.startswith(str(sample)) and message.endswith(".")
        assert "\n" not in message
        return
    result = import_document(sample, as_of=AS_OF)
    assert isinstance(result, ImportResult) and result.dossiers
    doc = json.loads(sample.read_text(encoding="utf-8"))
    for d in result.dossiers:
        assert d.source is not None
        assert d.source.format in ("openbadges-3.0", "clr-2.0", "elm-3", "ctdl")
        assert d.source.file == str(sample)
        assert d.source.provenance and d.source.notes
        provenance_resolves(d, doc)
        assert load_dossier(text=dump_dossier_yaml(d)) == d  # writes back and reloads
    # deterministic: the same input gives the same dossiers
    again = import_document(sample, as_of=AS_OF)
    assert [dump_dossier_yaml(d) for d in again.dossiers] == [
        dump_dossier_yaml(d) for d in result.dossiers
    ]


def test_realdata_is_present_and_not_copied_into_the_project() -> None:
    assert len(SAMPLES) >= 18
    project = Path(__file__).resolve().parents[1]
    digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in SAMPLES}
    names = {p.name for p in SAMPLES}
    for folder in ("qa_engine", "tests", "examples", "rulesets", "rubrics", "reports", "docs"):
        for path in (project / folder).rglob("*"):
            if path.is_file() and path.stat().st_size < 2_000_000:
                assert path.name not in names, path
                assert hashlib.sha256(path.read_bytes()).hexdigest() not in digests, path


# --------------------------------------------------------------------------- Open Badges 3.0


def test_basic_open_badge_credential() -> None:
    d = one(OB / "basicOpenBadgeCredential.json")
    c = d.credential
    assert c is not None
    assert d.id == "example.com-credentials-3527"
    assert d.title == c.title == "Teamwork"
    assert c.assessment_type == (
        "Team members are nominated for this badge by their peers and recognized upon review "
        "by Example Corp management."
    )
    assert [b.name for b in c.awarding_bodies] == ["Example Corp"]
    assert d.provider is not None and d.provider.name == "Example Corp"
    # validFrom is the validity start, not the date of issuing: related, recorded, unknown
    assert c.issue_date_shown is None
    assert d.source is not None and d.source.unresolved is not None
    assert d.source.unresolved["credential.issue_date_shown"].startswith("$.validFrom = ")
    # the issuer only stands in for the awarding body (no creator says it is the same)
    assert "Open Badges has no awarding-body property" in d.source.unresolved["credential.awarding_bodies"]
    assert c.learner_identification == "credentialSubject.id (a DID)"
    assert c.format == "Open Badges 3.0"
    # not carried -> empty, never invented
    assert c.workload is None and c.level is None and c.participation is None
    assert c.issuer_countries == [] and d.outcomes == [] and c.outcomes_shown is None
    assert d.source is not None and d.source.format == "openbadges-3.0"
    p = prov(d)
    assert p["credential.title"] == "$.credentialSubject.achievement.name"
    assert p["credential.assessment_type"] == "$.credentialSubject.achievement.criteria.narrative"
    assert p["credential.issue_date_shown"] == "$.validFrom"
    assert p["credential.awarding_bodies[0].name"] == "$.issuer.name"
    assert has_note(d, "not mapped: $.name = 'Teamwork Badge'", "achievement's name is the title")
    assert has_note(d, "criteria narrative")


@pytest.mark.parametrize(
    ("name", "framework", "kind"),
    [
        ("achievementAlignmentCase.json", "Alabama Course of Study: English Language Arts", "CFItem"),
        ("achievementAlignmentCe.json", "Edmonds College Course Catalog", "ceterms:Credential"),
        ("skillAssertionCtdl.json", "Ivy Tech Community College of Indiana, MATH 135,", "ceasn:Competency"),
        ("skillAssertionCase.json", "Example Robotics Framework", "CFItem"),
    ],
)
def test_alignments_that_are_not_esco_become_notes(name: str, framework: str, kind: str) -> None:
    d = one(OB / name)
    assert d.outcomes == []
    assert has_note(d, "not mapped: $.credentialSubject.achievement.alignment[0]", framework, kind, "not an ESCO skill")


def test_alignment_examples_name_and_criteria() -> None:
    d = one(OB / "achievementAlignmentCase.json")
    assert d.credential is not None
    assert d.title == "Text analysis" and d.description == "Analyze a sample text"
    assert d.credential.assessment_type is not None
    assert d.credential.assessment_type.startswith("Cite strong and thorough textual evidence")
    assert [b.name for b in d.credential.awarding_bodies] == ["Example University"]
    d = one(OB / "skillAssertionCtdl.json")
    assert d.title == "Linear equations and inequalities"
    assert d.credential is not None and d.credential.assessment_type == (
        "Learners must demonstrate understanding of linear algebra and graphic representation of "
        "linear equations."
    )


def test_skill_assertion_issuer_is_the_awarding_body_and_the_creator_a_note() -> None:
    d = one(OB / "skillAssertionCase.json")
    assert d.credential is not None
    assert [b.name for b in d.credential.awarding_bodies] == ["1EdTech University"]
    assert d.credential.awarding_bodies[0].url == "https://1edtech.edu"
    assert d.title == "Robot Programming"
    assert has_note(d, "$.credentialSubject.achievement.creator = 'Example Industry Group'", "another organisation than the issuer")
    assert d.source is not None and "credential.awarding_bodies" in (d.source.unresolved or {})
    assert has_note(d, "not mapped: $.evidence", "learner's evidence")
    assert has_note(d, "achievementType = 'Competency'")


def test_full_open_badge() -> None:
    d = one(OB / "fullOpenBadge.json")
    c = d.credential
    assert c is not None and d.provider is not None
    assert d.title == "1EdTech University Degree"
    assert c.issuer_countries == ["US"] and d.provider.country == "US"
    body = c.awarding_bodies[0]
    assert (body.name, body.country, body.identifier) == ("1EdTech University", "US", "12345 (sourcedId)")
    assert c.learner_identification == "credentialSubject.id (a DID); identity objects: emailAddress, emailAddress"
    assert c.assessment_type == "# Degree Requirements\\nStudents must complete..."
    assert c.grade == "Final Project Grade: A; Final Project Grade: Mastery; Final Project Grade: Completed"
    assert [a.title for a in d.assessments] == ["Final Project Grade", "Final Project Grade", "Project Status"]
    # creditsAvailable are credit hours of an unstated system: not ECTS, not hours
    assert c.workload is None
    assert has_note(d, "creditsAvailable = 36", "neither ECTS credits nor notional hours")
    assert has_note(d, "fieldOfStudy = 'Research'")
    assert has_note(d, "$.endorsement", "endorsement credentials are not imported")
    assert prov(d)["credential.issuer_countries"] == "$.issuer.address.addressCountryCode"
    assert prov(d)["credential.grade"].startswith("$.credentialSubject.result[0].value")
    # validUntil 2030-01-01: valid on 2026-01-01, expired on 2031-01-01
    assert not has_note(d, "has expired")
    later = one(OB / "fullOpenBadge.json", as_of=date(2031, 1, 1))
    assert has_note(later, "the credential itself has expired", "validUntil 2030-01-01")


def test_esco_alignment_becomes_an_outcome_with_its_skill() -> None:
    doc = json.loads((OB / "basicOpenBadgeCredential.json").read_text(encoding="utf-8"))
    esco = "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-0000000000ab"
    doc["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": "work in teams", "targetUrl": esco, "targetFramework": "ESCO"},
        {"type": ["Alignment"], "targetName": "Local skill", "targetUrl": "https://example.org/s/1"},
    ]
    d = one(doc)
    assert [(o.statement, o.esco_skill) for o in d.outcomes] == [("work in teams", esco)]
    assert d.credential is not None and d.credential.outcomes_shown is True
    assert prov(d)["outcomes[0].esco_skill"] == "$.credentialSubject.achievement.alignment[0].targetUrl"
    assert has_note(d, "alignment[1] = 'Local skill'", "not an ESCO skill")


def test_bare_achievement_definition() -> None:
    doc = json.loads((OB / "skillAssertionCase.json").read_text(encoding="utf-8"))
    d = one(doc["credentialSubject"]["achievement"])
    assert d.credential is not None
    assert d.title == "Robot Programming"
    assert [b.name for b in d.credential.awarding_bodies] == ["Example Industry Group"]
    assert d.credential.issue_date_shown is None and d.credential.learner_identification is None
    assert has_note(d, "Achievement definition, not an awarded credential")


def test_validator_simple_and_noproof() -> None:
    d = one(VAL / "ob30_simple.json")
    assert d.title == "Teamwork"
    assert has_note(d, "not mapped: $.proof", "not authenticity")
    d = one(VAL / "ob30_simple-noproof.json")
    assert d.title == "Example University Degree"
    assert d.credential is not None and d.credential.issue_date_shown is True
    assert prov(d)["credential.issue_date_shown"] == "$.issuanceDate"
    assert has_note(d, "$.credentialSubject.achievement is missing")


def test_expired_credential_imports_with_a_note() -> None:
    d = one(VAL / "ob30_simple-err-expired.json")
    assert d.title == "Teamwork"
    assert has_note(d, "the credential itself has expired", "validUntil 2010-01-01", "2026-01-01")


def test_wrong_type_is_rejected_with_what_was_expected() -> None:
    with pytest.raises(InputError) as info:
        import_document(VAL / "ob30_simple-err-type.json", "ob3")
    assert "`$.type` must include OpenBadgeCredential or AchievementCredential, got ['VerifiableCredential', 'OtherCredential']" in str(info.value)
    with pytest.raises(InputError) as info:
        import_document(VAL / "ob30_simple-err-credential-subject-achievement-result-description-type.json")
    assert "got 'InvalidResultDescription'" in str(info.value)


@pytest.mark.parametrize(
    ("fmt", "sample", "expected", "hint"),
    [
        ("clr", OB / "basicOpenBadgeCredential.json", "must include ClrCredential", "Open Badges 3.0 credential (ob3)"),
        ("elm", OB / "basicOpenBadgeCredential.json", "must include EuropeanDigitalCredential", "(ob3)"),
        ("ob3", ELM / "credential-sample.jsonld", "must include OpenBadgeCredential", "ELM v3 (elm)"),
        ("ctdl", ELM / "credential-sample.jsonld", "must be a CTDL credential class", ""),
    ],
)
def test_a_document_imported_as_the_wrong_format(fmt: str, sample: Path, expected: str, hint: str) -> None:
    with pytest.raises(InputError) as info:
        import_document(sample, fmt)
    assert expected in str(info.value) and hint in str(info.value)


def test_unrecognised_documents() -> None:
    with pytest.raises(InputError, match="cannot tell which credential format"):
        import_document({"type": ["VerifiableCredential", "SomethingElse"], "name": "x"})
    with pytest.raises(InputError, match="not one JSON object"):
        import_document([1, 2], file="list.json")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="unknown import format"):
        import_document({}, "pdf")


# --------------------------------------------------------------------------- CLR 2.0


def test_clr_gives_one_dossier_per_achievement_credential() -> None:
    result = import_document(VAL / "clr20_simple.json", as_of=AS_OF)
    assert result.format == "clr-2.0" and len(result.dossiers) == 1
    d = result.dossiers[0]
    assert d.title == "Teamwork"
    assert d.credential is not None and d.credential.format == "Open Badges 3.0 (in a CLR 2.0)"
    assert prov(d)["credential.title"] == (
        "$.credentialSubject.verifiableCredential[0].credentialSubject.achievement.name"
    )
    assert has_note(d, "the only achievement credential in the CLR 'Sample Transcript'")
    assert has_note(d, "$.credentialSubject.achievement = 2 entries", "without its own credential")
    assert has_note(d, "$.credentialSubject.association")


def test_clr_with_several_credentials() -> None:
    doc = json.loads((VAL / "clr20_simple.json").read_text(encoding="utf-8"))
    second = copy.deepcopy(doc["credentialSubject"]["verifiableCredential"][0])
    second["credentialSubject"]["achievement"]["name"] = "Leadership"
    third = copy.deepcopy(second)
    third["id"] = "urn:uuid:0b7d1b2e-0000-4000-8000-000000000003"
    third["type"] = ["VerifiableCredential", "AchievementCredential"]
    header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps({"vc": third}).encode()).rstrip(b"=").decode()
    doc["credentialSubject"]["verifiableCredential"] += [second, f"{header}.{payload}.", {"type": ["Other"]}]
    result = import_document(doc, "clr", as_of=AS_OF, file="several.json")
    ids = [d.id for d in result.dossiers]
    assert [d.title for d in result.dossiers] == ["Teamwork", "Leadership", "Leadership"]
    assert len(set(ids)) == 3 and ids[1] == ids[0] + "-2"
    assert result.notes == ["3 dossiers: " + ", ".join(ids)]
    jwt = result.dossiers[2]
    assert prov(jwt)["credential.title"].startswith("$.credentialSubject.verifiableCredential[2]<jwt payload>")
    assert has_note(jwt, "signature is not verified")
    assert has_note(result.dossiers[0], "verifiableCredential[3]", "not an OpenBadgeCredential")


def test_clr_without_achievement_credentials_is_rejected() -> None:
    doc = json.loads((VAL / "clr20_simple.json").read_text(encoding="utf-8"))
    doc["credentialSubject"]["verifiableCredential"] = []
    with pytest.raises(InputError, match="holds no achievement credential"):
        import_document(doc, "auto")


# --------------------------------------------------------------------------- ELM v3


def test_elm_certificate_of_participation() -> None:
    d = one(ELM / "Sample-CertOfPart-unsigned.jsonld")
    c = d.credential
    assert c is not None and d.provider is not None
    assert d.source is not None and d.source.format == "elm-3"
    assert c.title == d.title == "EDC Updates Webinar"
    assert d.languages == ["en"]
    assert d.provider.name == "European Digital Credentials for Learning Support Team"
    assert c.issuer_countries == ["BE"] and c.awarding_bodies[0].country == "BE"
    assert c.learner_identification == "full name, date of birth, national ID, Student ID"
    # only validFrom (the validity start); ELM keeps the date of issuing in `issued`
    assert c.issue_date_shown is None
    assert (d.source.unresolved or {})["credential.issue_date_shown"].startswith("$.validFrom = ")
    assert c.participation is not None and c.participation.mode == "online"
    # the webinar states no credit points, no level and no learning outcomes
    assert c.workload is not None and c.workload.ects is None
    assert c.workload.hours == 2.0  # the activity's workload PT2H; volumeOfLearning P2M is months
    assert c.level is None and len(d.outcomes) == 0 and c.outcomes_shown is None
    assert c.assessment_type is None and d.assessments == []
    assert c.further_information is not None and "ELM on Github" in c.further_information
    p = prov(d)
    assert p["credential.participation.mode"] == "$.credentialSubject.hasClaim.specifiedBy.mode"
    assert p["credential.workload.hours"] == "$.credentialSubject.hasClaim.workload"
    assert p["credential.issuer_countries"] == "$.issuer.location.address.countryCode"
    assert has_note(d, "LearningActivity (participation), not a LearningAchievement")
    assert has_note(d, "volumeOfLearning = 'P2M'", "months or years")
    assert has_note(d, "$.credentialSubject.gender", "personal data")


def test_elm_small_sample_has_expired() -> None:
    d = one(ELM / "credential-sample.jsonld")
    c = d.credential
    assert c is not None
    assert c.title == "some kind of learning achievement"
    assert [(b.name, b.country) for b in c.awarding_bodies] == [("some legal name of the organistion", "FR")]
    assert c.issuer_countries == ["FR"]
    assert prov(d)["credential.issue_date_shown"] == "$.issued"
    assert has_note(d, "the credential itself has expired", "2024-09-25")
    assert has_note(d, "$.issuer['eIDASΙdentifier']")  # the sample's key has a Greek capital iota


def test_elm_micro_credential() -> None:
    d = one(DATA / "elm" / "microcredential.jsonld", "elm")
    c = d.credential
    assert c is not None and c.workload is not None and c.level is not None
    assert c.title == "Data Literacy for Public Servants" and d.title == "Micro-credential in Data Literacy"
    assert c.workload.ects == 5.0 and c.workload.hours == 132.0  # P5DT12H
    assert (c.level.eqf, c.level.nqf_level) == (5, "NLQF level 5")
    assert len(d.outcomes) == 3 and c.outcomes_shown is True
    assert d.outcomes[0].esco_skill == "http://data.europa.eu/esco/skill/00000000-0000-4000-8000-000000000002"
    assert d.outcomes[1].esco_skill is None
    assert c.participation is not None and c.participation.mode == "blended"
    assert c.assessment_type == "written exam" and c.grade == "8.5 / 10"
    assert c.supervision == "supervised_with_id"
    assert [(a.type, a.supervision, a.identity_verified) for a in d.assessments] == [("exam", "supervised_with_id", True)]
    assert c.prerequisites == "A secondary-school diploma or equivalent work experience."
    assert c.stackability == "partial qualification (isPartialQualification: true)"
    assert c.quality_assurance_type == "Institutional accreditation by the national QA agency"
    assert d.quality_assurance is not None
    assert d.quality_assurance.external_body == "Example National Accreditation Agency"
    assert d.quality_assurance.external_last_review == date(2022, 3, 15)
    assert d.languages == ["nl", "en"]
    assert [(m.title, m.hours) for m in d.modules] == [("Module 1: Open government data", 50.0)]
    assert prov(d)["credential.workload.ects"].startswith(
        "$.credentialSubject.hasClaim[0].specifiedBy.creditPoint[0].point"
    )
    assert prov(d)["credential.level.eqf"] == "$.credentialSubject.hasClaim[0].specifiedBy.eqfLevel"
    assert has_note(d, "learningSetting = 'non-formal learning'")
    assert has_note(d, "learningOutcome[1].relatedSkill")


@pytest.mark.parametrize("encoding", ["json", "base64url"])
def test_elm_sealed_envelope(encoding: str) -> None:
    raw = (ELM / "Sample-CertOfPart-unsigned.jsonld").read_text(encoding="utf-8")
    payload = raw if encoding == "json" else base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    envelope = {"payload": payload, "signatures": [{"protected": "e30", "signature": "AAAA"}]}
    d = one(envelope)
    plain = one(ELM / "Sample-CertOfPart-unsigned.jsonld")
    assert d.credential == plain.credential and d.title == plain.title
    assert prov(d)["credential.title"] == "$.payload.credentialSubject.hasClaim.title"
    assert has_note(d, "sealed envelope at $.payload", "not verified")
    with pytest.raises(InputError, match="neither JSON nor base64url"):
        import_document({"payload": "%%%", "signatures": []})


# --------------------------------------------------------------------------- CTDL


def test_ctdl_certificate() -> None:
    d = one(DATA / "ctdl" / "certificate.json")
    c = d.credential
    assert c is not None and c.workload is not None
    assert d.source is not None and d.source.format == "ctdl"
    assert d.id == "ce-5b0c8a4e-0f6d-4a52-9a55-2d1f3c7e9a10"
    assert c.title == d.title == "Certificate in Applied Data Analytics"
    assert [(b.name, b.country) for b in c.awarding_bodies] == [("Example University of Applied Sciences", "NL")]
    assert c.issuer_countries == ["NL"]
    assert c.participation is not None and c.participation.mode == "online"
    assert (c.workload.ects, c.workload.hours) == (6.0, 150.0)
    assert c.prerequisites == "A bachelor's degree or two years of relevant work experience."
    assert c.quality_assurance_type == "Accredited by Example Accreditation Organisation"
    assert d.quality_assurance is not None and d.quality_assurance.external_body == "Example Accreditation Organisation"
    assert c.assessment_type == "A proctored online exam and a graded data project."
    assert [(a.title, a.type) for a in d.assessments] == [("Final proctored exam", "exam")]
    assert [o.statement for o in d.outcomes] == [
        "Analyse data sets with statistical software",
        "Present findings with clear visualisations",
    ]
    assert d.outcomes[0].esco_skill is not None and d.outcomes[1].esco_skill is None
    assert c.stackability == "preparation for: Counts towards the Master of Data Science."
    assert d.languages == ["en"]
    assert d.transparency is not None and d.transparency.public_url == "https://example.edu/certificates/applied-data-analytics"
    # a description of a credential, not an issued one
    assert c.issue_date_shown is None and c.learner_identification is None and c.outcomes_shown is None
    assert has_note(d, "not an issued credential")
    assert has_note(d, "creditValue[1]", "other than ECTS")
    assert prov(d)["credential.participation.mode"] == "$.ceterms:deliveryType[0]"


def test_ctdl_learning_program_graph() -> None:
    result = import_document(DATA / "ctdl" / "learning-program-graph.json", "ctdl", as_of=AS_OF)
    assert len(result.dossiers) == 1
    d = result.dossiers[0]
    c = d.credential
    assert c is not None
    assert d.title == "Cloud Operations Bootcamp" and c.title is None  # a programme names no credential
    assert d.provider is not None and d.provider.name == "Example Tech Academy" and d.provider.country is None
    assert c.participation is not None and c.participation.mode == "blended"
    assert c.workload is None  # P12W is elapsed time
    assert c.quality_assurance_type == "Approved by Example State Workforce Board"
    assert [(m.title, m.hours) for m in d.modules] == [("Linux Fundamentals", 40.0)]
    assert [o.statement for o in d.outcomes] == ["Automate deployments with infrastructure as code"]
    assert prov(d)["provider.name"] == "$.@graph[1].ceterms:name"
    assert has_note(d, "exactDuration = 'P12W'", "elapsed time")
    assert has_note(d, "addressCountry = 'United States'", "not an ISO 3166")
    assert has_note(d, "$.@graph[4] = 'An unrelated framework'")


def test_ctdl_course_with_two_delivery_types_and_an_unresolved_owner() -> None:
    d = one(DATA / "ctdl" / "course.json")
    assert d.title == "Introduction to Statistics"
    assert d.credential is None or d.credential.participation is None
    assert d.provider is None
    assert has_note(d, "deliveryType[0]", "several delivery types")
    assert has_note(d, "offeredBy[0]", "not described in this document")


def test_ctdl_unsupported_types() -> None:
    with pytest.raises(InputError) as info:
        import_document(DATA / "ctdl" / "organization.json")
    assert "must be a CTDL credential class" in str(info.value)
    assert "got 'ceterms:CredentialOrganization'" in str(info.value)
    with pytest.raises(InputError, match="holds no CTDL credential"):
        import_document({"@graph": [{"@id": "_:x", "@type": "ceterms:CredentialOrganization"}]})


# --------------------------------------------------------------------------- helpers


def test_detect_format() -> None:
    assert detect_format({"type": ["VerifiableCredential", "ClrCredential"]}) == "clr"
    assert detect_format({"type": "Achievement"}) == "ob3"
    assert detect_format({"type": ["EuropeanDigitalCredential"]}) == "elm"
    assert detect_format({"@type": "ceterms:Badge"}) == "ctdl"
    assert detect_format({"@context": "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}) == "ob3"
    assert detect_format({"payload": "{}", "signatures": []}) == "elm"
    assert detect_format({"name": "x"}) is None


def test_json_ld_values() -> None:
    assert text({"fr": "bonjour", "en": ["hello"]}) == "hello"
    assert text({"en-US": "colour"}) == "colour"
    assert text({"@value": "v", "@language": "en"}) == "v"
    assert texts([{"de": "a"}, "b"]) == ["a", "b"]
    assert text(None) is None and text({"id": "urn:x"}) is None and text({"type": "Note"}) is None


@pytest.mark.parametrize(
    ("value", "days", "hours"),
    [("PT2H", False, 2.0), ("PT90M", False, 1.5), ("P2DT12H", True, 60.0), ("P1W", True, 168.0)],
)
def test_durations(value: str, days: bool, hours: float) -> None:
    assert duration_hours(value, days=days) == (hours, None)


@pytest.mark.parametrize("value", ["P2M", "P1Y", "P4W", "40 hours"])
def test_durations_that_are_not_hours(value: str) -> None:
    got, why = duration_hours(value, days=False)
    assert got is None and why


def test_codes_and_slugs() -> None:
    assert country_code("http://publications.europa.eu/resource/authority/country/BEL") == "BE"
    assert country_code("USA") == "US" and country_code("de") == "DE" and country_code("Atlantis") is None
    assert language_code("http://publications.europa.eu/resource/authority/language/ENG") == "en"
    assert language_code("en-US") == "en" and language_code("NLD") == "nl"
    assert slug("urn:uuid:A7467EF6-56cb") == "urn-uuid-a7467ef6-56cb"
    assert slug("https://Example.com/credentials/3527") == "example.com-credentials-3527"
    assert slug("", None, "...") == "imported-credential"
    long = slug("x" * 300)
    assert len(long) <= 128 and re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,127}", long)
    assert ".." not in slug("a..b")
    # a name Windows reserves for a device never becomes a dossier id (a report file name)
    assert slug("CON") == "con-credential" and slug("nul.Course") == "nul-credential.course"
    assert slug("console") == "console"


def test_import_error_is_one_sentence_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QAError) as info:
        import_document(tmp_path / "missing.json")
    assert "file not found" in str(info.value)
