"""DEQAR Submission API v2: one report JSON for a programme decision.

The receiver's rules are those its submission API applies (EQAR's public
``eqar_backend`` repository, ``submissionapi/serializers``; see docs/exports.md):
agency, status, decision, valid_from and date_format, at least one report file with
its language, at least one institution identified by DEQAR id, ETER id or the
agency's identifier, an ESG activity; valid_to after valid_from; a programme needs
``name_primary`` and a QF-EHEA or NQF level; a programme that is not a full degree
(a micro-credential) needs ``workload_ects`` (whole credits) and
``assessment_certification``; when every institution is an alternative provider the
status is ``voluntary`` and the degree outcome ``no full degree``.
"""

from __future__ import annotations

from typing import Any

from qa_engine.exporters.common import ISO639_2, Problems, is_url
from qa_engine.exporters.profile import AgencyProfile
from qa_engine.formats.decision import Decision
from qa_engine.formats.dossier import Dossier

#: Decision outcomes -> DEQAR decision ids (1 positive, 2 positive with conditions or
#: restrictions, 3 negative, 4 not applicable).
DECISIONS = {"accredited": "1", "accredited_with_conditions": "2", "not_accredited": "3"}
STATUSES = ("part of obligatory EQA system", "voluntary")
QF_EHEA = {5: "short cycle", 6: "first cycle", 7: "second cycle", 8: "third cycle"}
CYCLES = {"short": "short cycle", "first": "first cycle", "second": "second cycle", "third": "third cycle"}


def build(decision: Decision, dossier: Dossier, profile: AgencyProfile) -> dict[str, Any]:
    deqar = profile.deqar
    cred = dossier.credential
    level = cred.level if cred else None
    workload = cred.workload if cred else None
    programme: dict[str, Any] = {
        "identifiers": [{"identifier": decision.programme.dossier_id}],
        "name_primary": decision.programme.title,
        "degree_outcome": "2",  # a micro-credential: no full degree
        "assessment_certification": "2" if dossier.assessments else "1",
    }
    if cred and cred.title:
        programme["qualification_primary"] = cred.title
    if level and level.qf_ehea_cycle:
        programme["qf_ehea_level"] = CYCLES[level.qf_ehea_cycle]
    elif level and level.eqf in QF_EHEA:
        programme["qf_ehea_level"] = QF_EHEA[level.eqf]
    if level and level.nqf_level:
        programme["nqf_level"] = level.nqf_level
    if workload and workload.ects is not None:
        programme["workload_ects"] = int(workload.ects) if float(workload.ects).is_integer() else workload.ects
    esco = [o.esco_skill for o in dossier.outcomes if getattr(o, "esco_skill", None)]
    if esco:
        programme["learning_outcomes"] = esco
    programme["learning_outcome_description"] = " ".join(o.statement for o in dossier.outcomes)[:4000] or None
    if programme["learning_outcome_description"] is None:
        del programme["learning_outcome_description"]
    languages = (deqar.report_language if deqar and deqar.report_language
                 else [ISO639_2.get(code, code) for code in (dossier.languages or ["en"])])
    inst: dict[str, Any] = {}
    if deqar:
        i = deqar.institution
        if i.deqar_id:
            inst["deqar_id"] = i.deqar_id
        if i.eter_id:
            inst["eter_id"] = i.eter_id
        if i.identifier:
            inst["identifiers"] = [{"identifier": i.identifier}]
    report: dict[str, Any] = {
        "agency": deqar.agency if deqar else None,
        "local_identifier": f"qa-engine-decision-{decision.id}",
        "status": deqar.status if deqar else None,
        "decision": DECISIONS[decision.outcome],
        "micro_credentials_covered": True,
        "summary": decision.rationale,
        "valid_from": decision.valid_from.isoformat(),
        "valid_to": decision.valid_until.isoformat(),
        "date_format": "%Y-%m-%d",
        "report_links": [{"link": profile.decision_url(decision.id), "link_display_name": "Decision and signed credential"}],
        "report_files": [{
            "original_location": profile.report_for(decision.id),
            "display_name": f"Accreditation report: {decision.programme.title}",
            "report_language": languages,
        }],
        "institutions": [inst],
        "programmes": [programme],
    }
    if deqar and deqar.activity:
        report["activity"] = deqar.activity
    if deqar and deqar.activity_local_identifier:
        report["activity_local_identifier"] = deqar.activity_local_identifier
    return report


def validate(report: dict[str, Any], profile: AgencyProfile) -> None:
    """The submission API's rules, checked before anything is written."""
    p = Problems("DEQAR")
    p.need(profile.deqar is not None, "agency profile", "has no 'deqar' section (agency, activity, institution)")
    p.need(bool(report.get("agency")), "agency", "is required (DEQAR agency id or acronym)")
    p.need(report.get("status") in STATUSES, "status", f"must be one of {', '.join(STATUSES)}")
    p.need(report.get("decision") in ("1", "2", "3", "4"), "decision", "must be 1-4")
    p.need(bool(report.get("activity") or report.get("activity_local_identifier")), "activity",
           "an ESG activity (id, name or local identifier) is required: set deqar.activity in the agency profile")
    p.need(bool(report.get("valid_from")), "valid_from", "is required")
    if report.get("valid_to"):
        p.need(report["valid_to"] > report["valid_from"], "valid_to", "must be later than valid_from")
    files = report.get("report_files") or []
    p.need(bool(files), "report_files", "at least one report file is required")
    for n, f in enumerate(files):
        p.need(is_url(f.get("original_location")), f"report_files[{n}].original_location", "must be an http(s) URL of at most 500 characters")
        langs = f.get("report_language") or []
        p.need(bool(langs) and all(isinstance(x, str) and len(x) == 3 for x in langs),
               f"report_files[{n}].report_language", "needs ISO 639-2 three-letter codes (e.g. eng); set deqar.report_language")
    insts = report.get("institutions") or []
    p.need(bool(insts), "institutions", "at least one institution is required")
    for n, i in enumerate(insts):
        p.need(bool(i.get("deqar_id") or i.get("eter_id") or i.get("identifiers")), f"institutions[{n}]",
               "needs a DEQAR id, an ETER id or the agency's identifier: set deqar.institution in the agency profile")
    for n, prog in enumerate(report.get("programmes") or []):
        where = f"programmes[{n}]"
        p.need(bool(prog.get("name_primary")) and len(prog["name_primary"]) <= 255, f"{where}.name_primary", "is required (at most 255 characters)")
        p.need(bool(prog.get("qf_ehea_level") or prog.get("nqf_level")), f"{where}.qf_ehea_level",
               "a QF-EHEA level or an NQF level is required: the dossier gives neither (credential.level)")
        if prog.get("degree_outcome") == "2":
            ects = prog.get("workload_ects")
            p.need(isinstance(ects, int) and ects > 0, f"{where}.workload_ects",
                   "whole ECTS credits are required for a programme without a full degree: the dossier's credential.workload.ects "
                   + ("is missing" if ects is None else f"is {ects}"))
            p.need(prog.get("assessment_certification") in ("1", "2", "3"), f"{where}.assessment_certification", "is required (1-3)")
        for m, lo in enumerate(prog.get("learning_outcomes") or []):
            p.need(isinstance(lo, str) and lo.startswith("http://data.europa.eu/esco/"), f"{where}.learning_outcomes[{m}]", "must be an ESCO URI")
    if profile.deqar and profile.deqar.alternative_provider:
        p.need(report.get("status") == "voluntary", "status", "must be 'voluntary' when the provider is an alternative provider")
        p.need(all(pr.get("degree_outcome") == "2" for pr in report.get("programmes") or []), "programmes",
               "must have degree outcome 2 (no full degree) when the provider is an alternative provider")
    p.raise_if_any()
