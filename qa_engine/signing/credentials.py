"""The credentials qa-engine issues, as W3C Verifiable Credentials 2.0 (JSON-LD).

- A **decision credential** carries an accreditation decision: outcome, validity
  (``validFrom``/``validUntil``, the decision's own), conditions, the programme
  (dossier id + sha256), ruleset and rubric (id@version + sha256), the evaluation
  report's hash and the audit-chain head when it was signed, with a
  ``credentialStatus`` in the revocation and suspension status lists.
- An **evaluation receipt** seals a provider's self-check: which dossier (id + sha256)
  met which ruleset version with which result, on which as-of date.

Terms outside the VC 2.0 context are issuer-dependent (the context's ``@vocab``);
the proof (JCS) signs the JSON as written, so every field is covered.
"""

from __future__ import annotations

import hashlib
from typing import Any

from qa_engine.formats.decision import Decision
from qa_engine.formats.report import Report
from qa_engine.signing.keys import Signer
from qa_engine.signing.proof import add_proof
from qa_engine.signing.statuslist import VC2, status_entries

DECISION_TYPE = "AccreditationDecisionCredential"
RECEIPT_TYPE = "EvaluationReceiptCredential"


def decision_credential_id(base_url: str, decision_id: int) -> str:
    return f"{base_url}/decisions/{decision_id}"


def _issuer(signer: Signer) -> Any:
    return {"id": signer.issuer, "name": signer.issuer_name} if signer.issuer_name else signer.issuer


def decision_subject(d: Decision) -> dict[str, Any]:
    return {
        "type": "AccreditationDecision",
        "decisionId": d.id,
        "outcome": d.outcome,
        "rationale": d.rationale,
        "decidedOn": d.decided_on.isoformat(),
        "decidedBy": d.decided_by,
        "validFrom": d.valid_from.isoformat(),
        "validUntil": d.valid_until.isoformat(),
        "provider": {k: v for k, v in d.provider.model_dump(mode="json").items() if v is not None},
        "programme": {
            "id": f"urn:qa-engine:dossier:{d.programme.dossier_id}",
            "dossierId": d.programme.dossier_id,
            "title": d.programme.title,
            "dossierSha256": d.programme.dossier_sha256,
            "submissionVersion": d.programme.version,
        },
        "ruleset": {"id": d.ruleset.id, "version": d.ruleset.version, "sha256": d.ruleset.sha256},
        "rubric": {"id": d.rubric.id, "version": d.rubric.version, "sha256": d.rubric.sha256},
        "evaluation": {"id": d.evaluation_id, "reportSha256": d.report_sha256},
        "score": d.score,
        "scoreExact": d.score_exact,
        "conditions": [
            {"id": c.id, "criteria": list(c.criteria), "text": c.text, "due": c.due.isoformat(), "state": c.state}
            for c in d.conditions
        ],
        "auditChainHead": d.audit_head,
    }


def decision_credential(d: Decision, signer: Signer, status_index: int, *, created: str | None = None) -> dict[str, Any]:
    """The signed decision credential; ``signer.base_url`` gives its id and status lists."""
    from qa_engine.errors import TrustError

    if not signer.base_url:
        raise TrustError(
            "a decision credential needs the register's address (its id and status lists live there)",
            hint="create the keys with --base-url, or set $QA_ENGINE_BASE_URL",
        )
    vc: dict[str, Any] = {
        "@context": [VC2],
        "id": decision_credential_id(signer.base_url, d.id),
        "type": ["VerifiableCredential", DECISION_TYPE],
        "name": f"Accreditation decision: {d.programme.title}",
        "issuer": _issuer(signer),
        "validFrom": f"{d.valid_from.isoformat()}T00:00:00Z",
        "validUntil": f"{d.valid_until.isoformat()}T23:59:59Z",
        "credentialSubject": decision_subject(d),
        "credentialStatus": status_entries(signer.base_url, status_index),
    }
    return add_proof(vc, signer.key, signer.verification_method, created=created)


def report_sha256(report_json: str) -> str:
    return hashlib.sha256(report_json.encode("utf-8")).hexdigest()


def receipt_credential(report: Report, report_json: str, signer: Signer, *, created: str | None = None) -> dict[str, Any]:
    """An evaluation receipt: the self-check's inputs and result, sealed."""
    digest = report_sha256(report_json)
    vc: dict[str, Any] = {
        "@context": [VC2],
        "id": f"urn:qa-engine:receipt:{digest}",
        "type": ["VerifiableCredential", RECEIPT_TYPE],
        "name": f"Evaluation receipt: {report.dossier.title or report.dossier.id}",
        "issuer": _issuer(signer),
        "validFrom": f"{report.as_of.isoformat()}T00:00:00Z",
        "credentialSubject": {
            "type": "EvaluationReceipt",
            "dossier": {"id": report.dossier.id, "sha256": report.dossier.sha256, "title": report.dossier.title},
            "ruleset": {"id": report.ruleset.id, "version": report.ruleset.version, "sha256": report.ruleset.sha256},
            "rubric": {"id": report.rubric.id, "version": report.rubric.version, "sha256": report.rubric.sha256},
            "reportSha256": digest,
            "decision": report.decision,
            "passed": report.passed,
            "score": report.score,
            "scoreExact": report.score_exact,
            "asOf": report.as_of.isoformat(),
            "engine": report.engine,
            "engineVersion": report.engine_version,
        },
    }
    return add_proof(vc, signer.key, signer.verification_method, created=created)
