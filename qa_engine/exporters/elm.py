"""ELM v3 Accreditation (European Learning Model, JSON-LD): the quality-assurance
decision as the European Digital Credentials and the Qualification Dataset Register
record it.

Terms are those of the ELM v3 ``edc-ap`` JSON-LD context: ``Accreditation`` with
``dcType`` (the accreditation type concept), ``title``, ``decision``, ``report``
(a WebResource), ``organisation`` (the accredited provider) and ``accreditingAgent``
(the agency), both Organisations with a ``legalName`` and a location with its country;
``limitQualification`` and ``limitEQFLevel`` say what the accreditation covers;
``dateIssued`` (dc:issued) and ``expiryDate`` its validity. ELM records an accreditation that was granted,
so a negative decision is not exported.
"""

from __future__ import annotations

import re
from typing import Any

from qa_engine.exporters.common import ISO639_2, TERMINOLOGIC, Problems, is_url
from qa_engine.exporters.profile import AgencyProfile
from qa_engine.formats.decision import Decision
from qa_engine.formats.dossier import Dossier

CONTEXT = "http://data.europa.eu/snb/model/context/edc-ap"
COUNTRY = "http://publications.europa.eu/resource/authority/country"
EQF_SCHEME = "http://data.europa.eu/snb/eqf/25831c2"
ACCREDITATION_TYPES = "http://data.europa.eu/snb/accreditation/"
#: The accreditation-type concept DEQAR's own ELM (AMS) export uses for programme reports.
PROGRAMME_ACCREDITATION = ACCREDITATION_TYPES + "e57dddfcf3"
LANGUAGE = "http://publications.europa.eu/resource/authority/language"
LABELS = {"accredited": "Accredited", "accredited_with_conditions": "Accredited with conditions"}

#: ISO 3166 alpha-2 -> the EU country authority's alpha-3 codes (the EU/EEA and neighbours).
ALPHA3 = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "HR": "HRV", "CY": "CYP", "CZ": "CZE", "DK": "DNK", "EE": "EST",
    "FI": "FIN", "FR": "FRA", "DE": "DEU", "GR": "GRC", "HU": "HUN", "IE": "IRL", "IT": "ITA", "LV": "LVA",
    "LT": "LTU", "LU": "LUX", "MT": "MLT", "NL": "NLD", "PL": "POL", "PT": "PRT", "RO": "ROU", "SK": "SVK",
    "SI": "SVN", "ES": "ESP", "SE": "SWE", "IS": "ISL", "LI": "LIE", "NO": "NOR", "CH": "CHE", "GB": "GBR",
    "UA": "UKR", "RS": "SRB", "ME": "MNE", "MK": "MKD", "AL": "ALB", "BA": "BIH", "TR": "TUR", "US": "USA",
}


def _concept(uri: str, scheme: str, label: str | None = None) -> dict[str, Any]:
    c: dict[str, Any] = {"id": uri, "type": "Concept", "inScheme": {"id": scheme, "type": "ConceptScheme"}}
    if label:
        c["prefLabel"] = {"en": label}
    return c


def _organisation(oid: str, name: str | None, country: str | None) -> dict[str, Any]:
    org: dict[str, Any] = {"id": oid, "type": "Organisation", "legalName": {"en": name or ""}}
    if country:
        a3 = ALPHA3.get(country.upper(), country.upper())
        org["location"] = {
            "id": f"{oid}#location", "type": "Location",
            "address": {"id": f"{oid}#address", "type": "Address", "countryCode": _concept(f"{COUNTRY}/{a3}", COUNTRY)},
        }
    return org


def build(decision: Decision, dossier: Dossier, profile: AgencyProfile) -> dict[str, Any]:
    url = profile.decision_url(decision.id)
    provider_id = (dossier.provider.website if dossier.provider and dossier.provider.website
                   else f"urn:qa-engine:provider:{decision.provider.slug}")
    cred = dossier.credential

    deqar_langs = profile.deqar.report_language if profile.deqar else []
    languages = deqar_langs or [ISO639_2.get(c, c) for c in (dossier.languages or ["en"])]
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "id": f"{url}#accreditation",
        "type": "Accreditation",
        "dcType": _concept(profile.elm.accreditation_type or PROGRAMME_ACCREDITATION, ACCREDITATION_TYPES + "25831c2"),
        "title": {"en": f"Accreditation of {decision.programme.title}"},
        "decision": _concept(f"{profile.base_url.rstrip('/')}/vocab/outcome/{decision.outcome}", f"{profile.base_url.rstrip('/')}/vocab/outcome",
                             LABELS.get(decision.outcome, decision.outcome)),
        "report": {
            "id": f"{url}#report", "type": "WebResource", "title": {"en": "Accreditation report"},
            "language": [_concept(f"{LANGUAGE}/{TERMINOLOGIC.get(lang, lang).upper()}", LANGUAGE) for lang in languages],
            "contentURL": profile.report_for(decision.id),
        },
        "organisation": _organisation(provider_id, decision.provider.name, decision.provider.country or (dossier.provider.country if dossier.provider else None)),
        "accreditingAgent": _organisation(profile.elm.agent_id or profile.homepage, profile.name, profile.country),
        "limitQualification": {
            "id": f"urn:qa-engine:dossier:{decision.programme.dossier_id}",
            "type": "Qualification",
            "title": {"en": (cred.title if cred and cred.title else decision.programme.title)},
        },
        "dateIssued": f"{decision.valid_from.isoformat()}T00:00:00Z",
        "expiryDate": f"{decision.valid_until.isoformat()}T23:59:59Z",
        "reviewDate": f"{decision.decided_on.isoformat()}T00:00:00Z",
        "landingPage": {"id": f"{url}#page", "type": "WebResource", "contentURL": url},
    }
    doc["status"] = "released"
    eqf = cred.level.eqf if cred and cred.level else None
    if eqf:
        doc["limitEQFLevel"] = _concept(f"http://data.europa.eu/snb/eqf/{eqf}", EQF_SCHEME, f"Level {eqf}")
    return doc


def validate(doc: dict[str, Any], decision: Decision) -> None:
    p = Problems("ELM v3 Accreditation")
    p.need(decision.outcome != "not_accredited", "decision", "ELM records accreditations granted; a not_accredited decision is not exported")
    p.need(doc.get("@context") == CONTEXT, "@context", f"must be {CONTEXT}")
    p.need(doc.get("type") == "Accreditation", "type", "must be Accreditation")
    p.need(is_url(doc.get("id")), "id", "must be a URI")
    dctype = (doc.get("dcType") or {}).get("id", "")
    p.need(isinstance(dctype, str) and dctype.startswith(ACCREDITATION_TYPES) and len(dctype) > len(ACCREDITATION_TYPES),
           "dcType", "must be a concept of the EU accreditation-type vocabulary: set elm.accreditation_type in the agency profile to a concept of the EU accreditation-type vocabulary (http://data.europa.eu/snb/accreditation/...)")
    for role in ("organisation", "accreditingAgent"):
        org = doc.get(role) or {}
        p.need(org.get("type") == "Organisation", f"{role}.type", "must be Organisation")
        p.need(bool((org.get("legalName") or {}).get("en")), f"{role}.legalName", "is required")
        p.need(bool(org.get("id")), f"{role}.id", "is required")
        code = (((org.get("location") or {}).get("address") or {}).get("countryCode") or {}).get("id", "")
        p.need(bool(re.fullmatch(re.escape(COUNTRY) + r"/[A-Z]{3}", code)), f"{role}.location.address.countryCode",
               "an alpha-3 country of the EU country authority is required (the provider's country, agency profile 'country')")
    p.need(is_url((doc.get("report") or {}).get("contentURL")), "report.contentURL", "must be an http(s) URL")
    issued, expiry = doc.get("dateIssued", ""), doc.get("expiryDate", "")
    p.need(bool(issued) and bool(expiry) and expiry > issued, "expiryDate", "must be later than dateIssued")
    if "limitEQFLevel" in doc:
        p.need(bool(re.fullmatch(r"http://data\.europa\.eu/snb/eqf/[1-8]", doc["limitEQFLevel"]["id"])), "limitEQFLevel", "must be an EQF level concept 1-8")
    for n, lang in enumerate((doc.get("report") or {}).get("language") or []):
        p.need(bool(re.fullmatch(re.escape(LANGUAGE) + r"/[A-Z]{3}", lang.get("id", ""))), f"report.language[{n}]", "must be a language of the EU language authority (three letters)")
    p.raise_if_any()
