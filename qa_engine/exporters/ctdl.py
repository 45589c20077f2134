"""CTDL ``ceterms:AccreditAction`` for the Credential Registry (Credential Engine).

An AccreditAction says that an agent (``ceterms:actingAgent``, the agency) accredited
an object (``ceterms:object``, the programme's credential or learning opportunity)
using an instrument (``ceterms:instrument``: here the ruleset version), between
``ceterms:startDate`` and ``ceterms:endDate``, with ``ceterms:evidenceOfAction`` (the
published decision) and an ``ceterms:actionStatusType``. A negative decision is not an
accreditation and is not exported.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from qa_engine.exporters.common import Problems, is_url
from qa_engine.exporters.profile import AgencyProfile
from qa_engine.formats.decision import Decision

CONTEXT = "https://credreg.net/ctdl/schema/context/json"
RESOURCES = "https://credentialengineregistry.org/resources/"
CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def ctid_for(value: str) -> str:
    """A stable CTID for one of our records (the same decision always gets the same one)."""
    return "ce-" + str(uuid.uuid5(uuid.NAMESPACE_URL, value))


def _ref(value: str | None) -> str | None:
    if value and CTID.match(value):
        return RESOURCES + value
    return value


def build(decision: Decision, profile: AgencyProfile, *, today_iso: str) -> dict[str, Any]:
    url = profile.decision_url(decision.id)
    ctid = ctid_for(url)
    status = "ActiveActionStatus" if decision.valid_until.isoformat() >= today_iso else "CompletedActionStatus"
    return {
        "@context": CONTEXT,
        "@id": RESOURCES + ctid,
        "@type": "ceterms:AccreditAction",
        "ceterms:ctid": ctid,
        "ceterms:name": {"en-US": f"Accreditation of {decision.programme.title}"},
        "ceterms:description": {"en-US": decision.rationale},
        "ceterms:actingAgent": [_ref(profile.ctdl.agent_ctid) or profile.homepage],
        "ceterms:object": _ref(profile.ctdl.object),
        "ceterms:instrument": [f"urn:qa-engine:ruleset:{decision.ruleset.id}@{decision.ruleset.version}"],
        "ceterms:startDate": decision.valid_from.isoformat(),
        "ceterms:endDate": decision.valid_until.isoformat(),
        "ceterms:evidenceOfAction": url,
        "ceterms:actionStatusType": {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": "https://credreg.net/ctdl/terms/ActionStatus",
            "ceterms:targetNode": f"actionStat:{status}",
            "ceterms:targetNodeName": {"en-US": re.sub(r"(?<!^)(?=[A-Z])", " ", status)},
        },
    }


def validate(doc: dict[str, Any], decision: Decision) -> None:
    p = Problems("CTDL AccreditAction")
    p.need(decision.outcome != "not_accredited", "decision", "an AccreditAction records an accreditation granted; a not_accredited decision is not exported")
    p.need(doc.get("@type") == "ceterms:AccreditAction", "@type", "must be ceterms:AccreditAction")
    p.need(bool(CTID.match(doc.get("ceterms:ctid") or "")), "ceterms:ctid", "must be ce- followed by a lowercase UUID")
    p.need(bool((doc.get("ceterms:name") or {}).get("en-US")), "ceterms:name", "is required")
    p.need(bool((doc.get("ceterms:description") or {}).get("en-US")), "ceterms:description", "is required")
    agents = doc.get("ceterms:actingAgent") or []
    p.need(bool(agents) and all(is_url(a) for a in agents), "ceterms:actingAgent", "at least one agent URI is required (ctdl.agent_ctid or homepage)")
    p.need(is_url(doc.get("ceterms:object")), "ceterms:object",
           "the programme's credential in the Credential Registry is required: set ctdl.object (a CTID or URI) in the agency profile")
    start, end = doc.get("ceterms:startDate", ""), doc.get("ceterms:endDate", "")
    date = re.compile(r"^\d{4}-\d{2}-\d{2}$")
    p.need(bool(date.match(start)), "ceterms:startDate", "must be an ISO 8601 date")
    p.need(bool(date.match(end)) and end > start, "ceterms:endDate", "must be an ISO 8601 date after the start date")
    p.need(is_url(doc.get("ceterms:evidenceOfAction")), "ceterms:evidenceOfAction", "must be a URI")
    p.raise_if_any()
