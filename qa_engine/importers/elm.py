"""ELM v3 JSON-LD: a European Digital Credential (EDC), plain or in a sealed envelope.

The credential's main claim is the first ``credentialSubject.hasClaim`` that is a
``LearningAchievement`` (else the first claim); its ``specifiedBy`` (a Qualification or
Learning Achievement/Activity Specification) describes the learning. Mapping:

* claim ``title`` -> ``credential.title`` (the display title is listed when it differs);
  specification ``title`` -> ``title``; claim/specification ``description`` -> ``description``.
* ``issuer`` -> ``provider``; its ``location.address.countryCode`` (EU authority
  alpha-3, e.g. ``.../country/BEL``) -> ``credential.issuer_countries`` as alpha-2.
* claim ``awardedBy.awardingBody[]`` -> ``credential.awarding_bodies[]`` (legal name,
  country, registration number, homepage).
* ``issued`` -> ``credential.issue_date_shown``; ``issuanceDate`` / ``validFrom`` alone
  (the validity start) are recorded in ``source.unresolved``; an awarding body given only
  by a reference the document does not resolve, and credit points in another framework
  than ECTS, too;
  ``expirationDate`` / ``validUntil`` before the as-of date -> an expiry note.
* learner: which of full name, date of birth, national ID, identifiers (by scheme name)
  the credential shows -> ``credential.learner_identification`` (never the values).
* specification ``learningOutcome[]`` -> ``outcomes[]`` (title, first related ESCO skill)
  and ``credential.outcomes_shown``; ``learningOutcomeSummary`` when there is no list.
* ``creditPoint[]`` in ECTS -> ``credential.workload.ects``; ``volumeOfLearning``
  (ISO 8601 duration; days count 24 h, months and years are not converted) ->
  ``credential.workload.hours``, else the claim's ``workload``.
* ``eqfLevel`` -> ``credential.level.eqf``; ``nqfLevel`` -> ``credential.level.nqf_level``.
* ``mode`` (Online / Blended / On-site) -> ``credential.participation.mode``.
* ``entryRequirement`` -> ``credential.prerequisites``.
* claim ``provenBy[]`` (learning assessments) -> ``assessments[]``; their type
  (``specifiedBy.dcType``) -> ``credential.assessment_type``; ``grade`` ->
  ``credential.grade``; ``idVerification`` -> supervision and identity verification.
* ``isPartialQualification`` / ``isPartOf`` -> ``credential.stackability``.
* ``accreditation[]`` -> ``credential.quality_assurance_type`` and ``quality_assurance``.
* ``supplementaryDocument[]`` and ``additionalNote[]`` -> ``credential.further_information``;
  ``homepage`` -> ``transparency.public_url``; claim ``hasPart[]`` -> ``modules[]``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from qa_engine.errors import InputError
from qa_engine.formats.dossier import Dossier
from qa_engine.importers._common import (
    Mapper,
    SrcPath,
    as_date,
    as_number,
    check_depth,
    concept_label,
    country_code,
    duration_hours,
    is_esco,
    language_code,
    node_id,
    short,
    slug,
    text,
    too_deep,
    type_error,
    types_of,
    unique,
    wrong_document,
)

FORMAT = "elm-3"
CREDENTIAL_FORMAT = "European Digital Credential (ELM v3)"
CLAIM_TYPES = ("LearningAchievement", "LearningActivity", "LearningAssessment", "LearningEntitlement")

REASONS: dict[str, str] = {
    "credentialProfiles": "EDC credential profile; no dossier field",
    "displayParameter": "display settings of the credential",
    "provenBy.mode": "mode of the assessment; the learning's mode is used",
    "specifiedBy.language": "language of a part of the credential",
    "validUntil": "end of validity",
    "expirationDate": "end of validity",
    "credentialSchema": "schema the issuer declares; not part of the dossier",
    "proof": "cryptographic proof; qa-engine checks content, not authenticity",
    "evidence": "evidence of the award to this learner",
    "termsOfUse": "terms of use",
    "credentialStatus": "revocation status service; not checked",
    "attachment": "attachment of the credential",
    "logo": "image; not part of the dossier",
    "image": "image; not part of the dossier",
    "contactPoint": "contact details",
    "altLabel": "alternative name",
    "groupMemberOf": "group membership of the organisation",
    "location": "address details other than the country",
    "citizenshipCountry": "personal data of the learner; not part of a programme dossier",
    "gender": "personal data of the learner; not part of a programme dossier",
    "placeOfBirth": "personal data of the learner; not part of a programme dossier",
    "birthName": "personal data of the learner; not part of a programme dossier",
    "patronymicName": "personal data of the learner; not part of a programme dossier",
    "directedBy": "organisation that directed the activity; no dossier field",
    "temporal": "when this learner took part",
    "awardingDate": "date of the award to this learner",
    "educationalSystemNote": "educational system of the award; no dossier field",
    "dcType": "type of the learning specification; no dossier field",
    "learningSetting": "formal or non-formal learning; no dossier field",
    "thematicArea": "subject area (ISCED-F); no dossier field",
    "educationSubject": "subject area; no dossier field",
    "maximumDuration": "maximum duration; not the notional workload",
    "targetGroup": "target group; no dossier field",
    "reusabilityLevel": "reusability of the skill; no dossier field",
    "relatedSkill": "related skill outside ESCO, or beyond the one ESCO skill an outcome can hold",
    "relatedESCOSkill": "only one ESCO skill per outcome fits the dossier",
    "learningOutcomeSummary": "summary of the outcomes; the listed outcomes are used",
    "volumeOfLearning": "volume of learning",
    "workload": "workload of this learner",
    "gradingScheme": "grading scheme; no dossier field",
    "creditReceived": "credits received by this learner",
    "additionalNote": "additional note",
    "supplementaryDocument": "supplementary document",
    "homepage": "web page",
    "registration": "registration of the organisation",
    "issuanceDate": "issue date; taken from another field",
    "issued": "issue date; taken from another field",
    "validFrom": "validity start; the issue date is taken from another field",
    "eIDASIdentifier": "eIDAS identifier of the organisation",
    "vatIdentifier": "VAT number of the organisation",
    "taxIdentifier": "tax identifier of the organisation",
    "accreditation": "accreditation details",
    "provenBy": "learning assessment",
    "influencedBy": "learning activity that led to the achievement",
    "learningOpportunity": "learning opportunity of the achievement",
    "entitlesTo": "entitlement; no dossier field",
    "specialisationOf": "generalisation of the specification",
    "generalisationOf": "specialisation of the specification",
    "qualificationCode": "qualification code",
    "awardingOpportunity": "awarding opportunities",
}
DEFAULT_REASON = "no dossier field for it"

_MODES = (
    (re.compile(r"\bblended\b|\bhybrid\b", re.I), "blended"),
    (re.compile(r"\bonline\b|\bdistance\b|\bremote\b|\be-?learning\b", re.I), "online"),
    (
        re.compile(r"on[- ]?site|in[- ]person|face[- ]to[- ]face|presen(tial|ce)|classroom", re.I),
        "on_site",
    ),
)
_ASSESSMENT_TYPES = (
    ("portfolio", "portfolio"),
    ("presentation", "presentation"),
    ("practical", "practical"),
    ("project", "project"),
    ("essay", "essay"),
    ("peer", "peer_review"),
    ("quiz", "quiz"),
    ("exam", "exam"),
)


def unwrap_envelope(doc: Any, file: str) -> tuple[Any, str]:
    """A sealed ``{payload, signatures}`` envelope -> (credential, provenance root)."""
    import base64
    import binascii
    import json

    if not (isinstance(doc, dict) and "payload" in doc and ("signatures" in doc or "signature" in doc)):
        return doc, "$"
    payload = doc["payload"]
    if isinstance(payload, dict):
        return payload, "$.payload"
    if not isinstance(payload, str):
        raise InputError(
            "`$.payload` of the sealed credential must be a JSON string", file=file,
            hint="give the envelope as the EDC tools write it",
        )
    try:
        try:
            inner = json.loads(payload)
        except ValueError:
            try:
                raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
                inner = json.loads(raw.decode("utf-8"))
            except (binascii.Error, ValueError, UnicodeDecodeError):
                raise InputError(
                    "`$.payload` of the sealed credential is neither JSON nor base64url-encoded JSON",
                    file=file,
                    hint="check that the file is a complete sealed European Digital Credential",
                ) from None
    except RecursionError:  # JSON nested far deeper than files may be
        raise too_deep(file) from None
    if not isinstance(inner, dict):
        shown = "null" if inner is None else f"a {type(inner).__name__}"
        raise InputError(
            f"`$.payload` of the sealed credential holds {shown}, not one JSON object",
            file=file,
            hint="check that the file is a complete sealed European Digital Credential",
        )
    check_depth(inner, file)
    return inner, "$.payload"


def import_elm(doc: Any, *, file: str, as_of: date, root: str = "$") -> list[Dossier]:
    if not isinstance(doc, dict) or "EuropeanDigitalCredential" not in types_of(doc):
        raise wrong_document(
            doc, "elm", file=file, root=root, expected="EuropeanDigitalCredential",
            otherwise="give a European Digital Credential (ELM v3 JSON-LD)",
        )
    m = Mapper(doc, root=root, as_of=as_of)
    _map(m, file)
    if root != "$":
        m.note(f"read from the sealed envelope at {root}; the seal is not verified")
    return [m.dossier(fmt=FORMAT, file=file)]


# --------------------------------------------------------------------------- mapping


def _map(m: Mapper, file: str) -> None:
    doc: dict[str, Any] = m.doc
    m.set("id", slug(doc.get("id"), text(doc.get("title"))), ("id",))
    subjects = list(m.items(("credentialSubject",)))
    if not subjects:
        raise InputError(
            "`$.credentialSubject` is missing", file=file,
            hint="a European Digital Credential names its holder and claims in credentialSubject",
        )
    for _other, opath in subjects[1:]:
        m.not_mapped(opath, "a second credential subject; only the first is imported")
    subject = subjects[0][1]
    claims = [(c, p) for c, p in m.items(subject + ("hasClaim",)) if isinstance(c, dict)]
    main: tuple[dict[str, Any], SrcPath] | None = next(
        ((c, p) for c, p in claims if "LearningAchievement" in types_of(c)), claims[0] if claims else None
    )
    if main is not None:
        kinds = types_of(main[0])
        if not any(k in CLAIM_TYPES for k in kinds):
            raise type_error(
                file,
                m.src(main[1] + ("type",)),
                "LearningAchievement, LearningActivity, LearningAssessment or LearningEntitlement",
                main[0].get("type"),
                "correct the claim's type",
            )
    for _claim, cpath in claims:
        if main is None or cpath != main[1]:
            m.not_mapped(cpath, "a further claim; only the main claim is imported")

    _map_issuer(m)
    _map_learner(m, subject)
    # ELM's ``issued`` is "the date and time when the credential was issued"; the VC Data
    # Model's ``issuanceDate`` (1.1: when the credential becomes valid) and ``validFrom``
    # are the validity start, related to the element but not it.
    if as_date(doc.get("issued")) is not None:
        m.set("credential.issue_date_shown", True, ("issued",))
    else:
        for key in ("issuanceDate", "validFrom"):
            if as_date(doc.get(key)) is not None:
                m.related(
                    "credential.issue_date_shown", (key,),
                    f"{key} is when the credential becomes valid (VC Data Model), not the date of "
                    "issuing, which ELM keeps in `issued` (absent here)",
                )
                break
    m.expiry((), ("expirationDate", "validUntil"))
    m.set("credential.format", CREDENTIAL_FORMAT)

    display_title = text(m.get(("displayParameter", "title")))
    if main is None:
        m.note(f"{m.src(subject)} has no claim: nothing about the learning was imported")
        if display_title:
            m.set("credential.title", display_title, ("displayParameter", "title"))
    else:
        claim, cpath = main
        if "LearningActivity" in types_of(claim):
            m.note(
                "the credential's claim is a LearningActivity (participation), not a "
                "LearningAchievement: it states no learning outcomes, assessment or level"
            )
        _map_claim(m, claim, cpath, display_title)
    m.sweep((), REASONS, DEFAULT_REASON)


def _org(m: Mapper, path: SrcPath) -> tuple[dict[str, Any] | None, dict[str, SrcPath]]:
    """An Organisation -> Body fields and where each came from."""
    node = m.get(path)
    if not isinstance(node, dict):
        return None, {}
    name_key = next((k for k in ("legalName", "prefLabel", "altLabel") if text(node.get(k))), None)
    if name_key is None:
        return None, {}
    body: dict[str, Any] = {"name": text(node.get(name_key))}
    where: dict[str, SrcPath] = {"name": path + (name_key,)}
    country, cpath = _org_country(m, path)
    if country and cpath:
        body["country"] = country
        where["country"] = cpath
    for key in ("registration", "eIDASIdentifier", "vatIdentifier", "taxIdentifier"):
        for item, ipath in m.items(path + (key,)):
            notation = text(item.get("notation")) if isinstance(item, dict) else None
            if notation:
                body["identifier"] = notation
                where["identifier"] = ipath + ("notation",)
                break
        if "identifier" in body:
            break
    if "identifier" not in body:
        for item, ipath in m.items(path + ("identifier",)):
            notation = text(item.get("notation")) if isinstance(item, dict) else None
            if notation:
                scheme = text(item.get("schemeName"))
                body["identifier"] = f"{notation} ({scheme})" if scheme else notation
                where["identifier"] = ipath
                break
    for item, ipath in m.items(path + ("homepage",)):
        url = item.get("contentURL") if isinstance(item, dict) else item
        if isinstance(url, str) and url:
            body["url"] = url
            where["url"] = ipath
            break
    return body, where


def _org_country(m: Mapper, path: SrcPath) -> tuple[str | None, SrcPath | None]:
    for _loc, lpath in m.items(path + ("location",)):
        for addr, apath in m.items(lpath + ("address",)):
            if isinstance(addr, dict) and addr.get("countryCode") is not None:
                code = country_code(addr["countryCode"])
                if code:
                    return code, apath + ("countryCode",)
    for key in ("registration", "eIDASIdentifier"):
        for item, ipath in m.items(path + (key,)):
            if isinstance(item, dict) and item.get("spatial") is not None:
                code = country_code(item["spatial"])
                if code:
                    return code, ipath + ("spatial",)
    return None, None


def _map_issuer(m: Mapper) -> None:
    body, where = _org(m, ("issuer",))
    if body is None:
        if m.get(("issuer",)) is not None:
            m.not_mapped(("issuer",), "the issuer has no name")
        return
    m.set("provider.name", body["name"], where["name"])
    if "country" in body:
        m.set("provider.country", body["country"], where["country"])
        m.set("credential.issuer_countries", [body["country"]], where["country"])
        m.record("credential.issuer_countries[0]", where["country"], consume=False)
    if "identifier" in body:
        m.set("provider.identifier", body["identifier"], where["identifier"])
    if "url" in body:
        m.set("provider.website", body["url"], where["url"])


def _map_learner(m: Mapper, subject: SrcPath) -> None:
    node = m.get(subject)
    if not isinstance(node, dict):
        return
    parts: list[str] = []
    sources: list[SrcPath] = []
    if text(node.get("fullName")) or (text(node.get("givenName")) and text(node.get("familyName"))):
        parts.append("full name")
        sources += [subject + (k,) for k in ("fullName", "givenName", "familyName") if k in node]
    if node.get("dateOfBirth"):
        parts.append("date of birth")
        sources.append(subject + ("dateOfBirth",))
    if node.get("nationalID"):
        parts.append("national ID")
        sources.append(subject + ("nationalID",))
    for item, ipath in m.items(subject + ("identifier",)):
        if isinstance(item, dict):
            parts.append(text(item.get("schemeName")) or "identifier")
            sources.append(ipath)
    if parts:
        m.set("credential.learner_identification", ", ".join(parts), *sources)


def _spec_of(m: Mapper, path: SrcPath) -> tuple[dict[str, Any] | None, SrcPath]:
    for spec, spath in m.items(path + ("specifiedBy",)):
        if isinstance(spec, dict):
            return spec, spath
    return None, path + ("specifiedBy",)


def _first(m: Mapper, *paths: SrcPath) -> tuple[Any, SrcPath] | None:
    """The first present value among ``paths``."""
    for path in paths:
        value = m.get(path)
        if value is not None and value != [] and value != "":
            return value, path
    return None


def _map_claim(m: Mapper, claim: dict[str, Any], cpath: SrcPath, display_title: str | None) -> None:
    spec, spath = _spec_of(m, cpath)
    claim_title = text(claim.get("title"))
    spec_title = text(spec.get("title")) if spec else None
    if claim_title:
        m.set("credential.title", claim_title, cpath + ("title",))
    elif spec_title:
        m.set("credential.title", spec_title, spath + ("title",))
    elif display_title:
        m.set("credential.title", display_title, ("displayParameter", "title"))
    if display_title and (claim_title or spec_title):
        m.not_mapped(
            ("displayParameter", "title"), "display title; the claim's title is the credential title"
        )
    if spec_title:
        m.set("title", spec_title, spath + ("title",))
    elif claim_title:
        m.set("title", claim_title, cpath + ("title",))
    desc = _first(m, cpath + ("description",), spath + ("description",))
    if desc and text(desc[0]):
        m.set("description", text(desc[0]), desc[1])

    # awarding bodies
    bodies: list[dict[str, Any]] = []
    refs: list[SrcPath] = []
    for _body, bpath in m.items(cpath + ("awardedBy", "awardingBody")):
        body, where = _org(m, bpath)
        if body is None and isinstance(_body, str):
            refs.append(bpath)
            continue
        if body is None:
            m.not_mapped(bpath, "an awarding body without a name")
            continue
        index = len(bodies)
        bodies.append(body)
        m.record(f"credential.awarding_bodies[{index}]", bpath, consume=False)
        for key, source in where.items():
            m.record(f"credential.awarding_bodies[{index}].{key}", source)
    if bodies:
        m.data.setdefault("credential", {})["awarding_bodies"] = bodies
        m.record("credential.awarding_bodies", cpath + ("awardedBy", "awardingBody"), consume=False)
    for ref in refs:
        if bodies:
            m.not_mapped(ref, "a further awarding body given only by reference, not in the document")
        else:
            m.related(
                "credential.awarding_bodies", ref,
                "the awarding body (ELM AwardingProcess.awardingBody) is given only by reference, "
                "and the document does not contain it: it cannot be named offline",
            )

    if spec is not None:
        _map_spec(m, spec, spath, claim, cpath)
    _map_assessments(m, cpath, spath)
    _map_parts(m, cpath)


def _map_spec(
    m: Mapper, spec: dict[str, Any], spath: SrcPath, claim: dict[str, Any], cpath: SrcPath
) -> None:
    # languages of instruction
    codes: list[str] = []
    sources: list[SrcPath] = []
    for lang, lpath in m.items(spath + ("language",)):
        code = language_code(lang)
        if code and code not in codes:
            codes.append(code)
            sources.append(lpath)
        elif not code:
            m.not_mapped(lpath, "not a language the dossier can name")
    if codes:
        m.set("languages", codes, *sources)

    _map_outcomes(m, spec, spath)
    _map_workload(m, spath, cpath)

    eqf = m.get(spath + ("eqfLevel",))
    if eqf is not None:
        match = re.search(r"/eqf/(\d)$", node_id(eqf) or "", re.I)
        level = int(match.group(1)) if match else None
        if level is None:
            label = concept_label(eqf) or ""
            found = re.search(r"(\d)\s*$", label)
            level = int(found.group(1)) if found else None
        if level is not None and 1 <= level <= 8:
            m.set("credential.level.eqf", level, spath + ("eqfLevel",))
        else:
            m.not_mapped(spath + ("eqfLevel",), "not an EQF level 1-8")
    for nqf, npath in m.items(spath + ("nqfLevel",)):
        nqf_label = concept_label(nqf)
        if nqf_label:
            m.set("credential.level.nqf_level", nqf_label, npath)
            break

    modes: list[tuple[str, SrcPath]] = []
    for mode, mpath in m.items(spath + ("mode",)):
        label = concept_label(mode) or ""
        value = next((v for rx, v in _MODES if rx.search(label)), None)
        if value:
            modes.append((value, mpath))
        else:
            m.not_mapped(mpath, "a mode that is not online, blended or on-site")
    kinds = {v for v, _p in modes}
    if len(kinds) == 1:
        m.set("credential.participation.mode", modes[0][0], *(p for _v, p in modes))
    elif len(kinds) > 1:
        for _v, p in modes:
            m.not_mapped(p, "several modes are given; the dossier holds one")

    entry = m.get(spath + ("entryRequirement",))
    if entry is not None:
        req = text(entry.get("noteLiteral")) if isinstance(entry, dict) else text(entry)
        if req:
            m.set("credential.prerequisites", req, spath + ("entryRequirement",))

    stack: list[str] = []
    stack_src: list[SrcPath] = []
    partial = spec.get("isPartialQualification")
    if partial is True:
        stack.append("partial qualification (isPartialQualification: true)")
        stack_src.append(spath + ("isPartialQualification",))
    elif partial is False:
        m.not_mapped(
            spath + ("isPartialQualification",),
            "a full qualification; says nothing about stacking",
        )
    for base in (spath, cpath):
        for part, ppath in m.items(base + ("isPartOf",)):
            part_label = concept_label(part) or node_id(part)
            if part_label:
                stack.append(f"part of {short(part_label, 80)}")
                stack_src.append(ppath)
    if stack:
        m.set("credential.stackability", "; ".join(stack), *stack_src)

    _map_accreditation(m, spath)

    info: list[str] = []
    info_src: list[SrcPath] = []
    for doc_, dpath in m.items(spath + ("supplementaryDocument",)):
        url = doc_.get("contentURL") if isinstance(doc_, dict) else doc_
        if isinstance(url, str) and url:
            title = text(doc_.get("title")) if isinstance(doc_, dict) else None
            info.append(f"{title}: {url}" if title else url)
            info_src.append(dpath)
    for base in (cpath, spath):
        for note, npath in m.items(base + ("additionalNote",)):
            literal = text(note.get("noteLiteral")) if isinstance(note, dict) else text(note)
            if literal and literal not in info:
                info.append(literal)
                info_src.append(npath)
    if info:
        m.set("credential.further_information", "\n".join(info), *info_src)
    for page, hpath in m.items(spath + ("homepage",)):
        url = page.get("contentURL") if isinstance(page, dict) else page
        if isinstance(url, str) and url:
            m.set("transparency.public_url", url, hpath)
            break


def _map_outcomes(m: Mapper, spec: dict[str, Any], spath: SrcPath) -> None:
    outcomes: list[dict[str, Any]] = []
    taken: set[str] = set()
    for lo, lpath in m.items(spath + ("learningOutcome",)):
        if not isinstance(lo, dict):
            m.not_mapped(lpath, "not a LearningOutcome object")
            continue
        key = next((k for k in ("title", "definition", "description") if text(lo.get(k))), None)
        if key is None:
            m.not_mapped(lpath, "a learning outcome without a statement")
            continue
        index = len(outcomes)
        raw_id = lo.get("id")
        oid = unique(raw_id if isinstance(raw_id, str) and raw_id else f"LO{index + 1}", taken)
        entry: dict[str, Any] = {"id": oid, "statement": text(lo.get(key))}
        m.record(f"outcomes[{index}]", lpath, consume=False)
        m.record(f"outcomes[{index}].statement", lpath + (key,))
        if isinstance(raw_id, str) and raw_id:
            m.record(f"outcomes[{index}].id", lpath + ("id",))
        for skill_key in ("relatedESCOSkill", "relatedSkill"):
            for skill, kpath in m.items(lpath + (skill_key,)):
                uri = node_id(skill)
                if is_esco(uri) and "esco_skill" not in entry:
                    entry["esco_skill"] = uri
                    m.record(f"outcomes[{index}].esco_skill", kpath)
            if "esco_skill" in entry:
                break
        outcomes.append(entry)
    if outcomes:
        m.data["outcomes"] = outcomes
        m.record("outcomes", spath + ("learningOutcome",), consume=False)
        m.set("credential.outcomes_shown", True, spath + ("learningOutcome",), consume=False)
        return
    summary = spec.get("learningOutcomeSummary")
    literal = text(summary.get("noteLiteral")) if isinstance(summary, dict) else text(summary)
    if literal:
        m.data["outcomes"] = [{"id": "summary", "statement": literal}]
        m.record("outcomes", spath + ("learningOutcomeSummary",), consume=False)
        m.record("outcomes[0].statement", spath + ("learningOutcomeSummary",))
        m.set("credential.outcomes_shown", True, spath + ("learningOutcomeSummary",), consume=False)
        m.note("the learning outcomes are given as one summary text (learningOutcomeSummary)")


def _is_ects(framework: Any) -> bool:
    ident = node_id(framework) or ""
    label = concept_label(framework) or ""
    return (
        ident.rstrip("/").endswith("/6fcec5c5af")
        or "ects" in label.lower()
        or "european credit transfer" in label.lower()
    )


def _map_workload(m: Mapper, spath: SrcPath, cpath: SrcPath) -> None:
    other: list[SrcPath] = []
    for base, key in ((spath, "creditPoint"), (cpath, "creditReceived")):
        done = False
        for cp, ppath in m.items(base + (key,)):
            if not isinstance(cp, dict):
                continue
            points = as_number(cp.get("point"))
            if not _is_ects(cp.get("framework")):
                other.append(ppath)
            elif points is None or not 0 <= points <= 360:
                m.not_mapped(ppath, "not a number of ECTS credits between 0 and 360")
            elif not done:
                m.set("credential.workload.ects", points, ppath + ("point",), ppath + ("framework",))
                m.use(ppath)
                done = True
        if done:
            if base == spath and m.get(cpath + ("creditReceived",)) is not None:
                m.use(cpath + ("creditReceived",))
            break
    for ppath in other:
        if (m.data.get("credential") or {}).get("workload", {}).get("ects") is not None:
            m.not_mapped(ppath, "credit points in a framework other than ECTS")
        else:
            m.related(
                "credential.workload.ects", ppath,
                "credit points in a framework other than ECTS (ELM CreditPoint.framework); "
                "they are not converted into ECTS credits",
            )

    for path in (spath + ("volumeOfLearning",), cpath + ("workload",)):
        raw = m.get(path)
        if raw is None:
            continue
        hours, why = duration_hours(raw, days=True)
        if hours is None:
            m.not_mapped(path, why or "not a duration")
            continue
        if not 0 <= hours <= 20000:
            m.not_mapped(path, "more than 20000 hours")
            continue
        m.set("credential.workload.hours", hours, path)
        break


def _map_assessments(m: Mapper, cpath: SrcPath, spath: SrcPath) -> None:
    assessments: list[dict[str, Any]] = []
    kinds: list[str] = []
    kind_src: list[SrcPath] = []
    grades: list[str] = []
    grade_src: list[SrcPath] = []
    supervision: tuple[str, SrcPath] | None = None
    taken: set[str] = set()
    found = list(m.items(cpath + ("provenBy",)))
    spec_level = not found
    if spec_level:  # a specification's assessment specifications
        found = list(m.items(spath + ("provenBy",)))
    for node, apath in found:
        if not isinstance(node, dict):
            continue
        index = len(assessments)
        raw_id = node.get("id")
        title = text(node.get("title"))
        entry: dict[str, Any] = {
            "id": unique(slug(raw_id, title, fallback=f"assessment-{index + 1}"), taken)
        }
        m.record(f"assessments[{index}]", apath, consume=False)
        if title:
            entry["title"] = title
            m.record(f"assessments[{index}].title", apath + ("title",))
        aspec, aspath = (node, apath) if spec_level else _spec_of(m, apath)
        if aspec is not None:
            if not title and text(aspec.get("title")):
                entry["title"] = text(aspec.get("title"))
                m.record(f"assessments[{index}].title", aspath + ("title",))
            elif text(aspec.get("title")):
                m.use(aspath + ("title",))
            for kind, kpath in m.items(aspath + ("dcType",)):
                label = concept_label(kind)
                if not label:
                    continue
                if label not in kinds:
                    kinds.append(label)
                kind_src.append(kpath)
                mapped = next((v for word, v in _ASSESSMENT_TYPES if word in label.lower()), None)
                if mapped and "type" not in entry:
                    entry["type"] = mapped
                    m.record(f"assessments[{index}].type", kpath)
        grade = node.get("grade")
        literal = text(grade.get("noteLiteral")) if isinstance(grade, dict) else text(grade)
        if literal:
            grades.append(f"{title}: {literal}" if title and len(found) > 1 else literal)
            grade_src.append(apath + ("grade",))
        idv = node.get("idVerification")
        if idv is not None:
            level = _supervision(concept_label(idv) or "")
            if level is None:
                m.not_mapped(apath + ("idVerification",), "a supervision level the dossier cannot name")
            else:
                entry["supervision"] = level
                entry["identity_verified"] = level == "supervised_with_id"
                m.record(f"assessments[{index}].supervision", apath + ("idVerification",))
                m.record(f"assessments[{index}].identity_verified", apath + ("idVerification",))
                if supervision is None:
                    supervision = (level, apath + ("idVerification",))
        assessments.append(entry)
    if assessments:
        m.data["assessments"] = assessments
        m.record(
            "assessments",
            cpath + ("provenBy",) if not spec_level else spath + ("provenBy",),
            consume=False,
        )
    if kinds:
        m.set("credential.assessment_type", "; ".join(kinds), *kind_src)
    if grades:
        m.set("credential.grade", "; ".join(grades), *grade_src)
    if supervision is not None:
        m.set("credential.supervision", supervision[0], supervision[1])


def _supervision(label: str) -> str | None:
    low = label.lower()
    if "unsupervised" in low:
        return "unsupervised_no_id"
    if "supervised" in low:
        if re.search(r"\b(without|no)\b.*\bid", low):
            return "supervised_no_id"
        if re.search(r"\bwith\b.*\bid", low):
            return "supervised_with_id"
    return None


def _map_parts(m: Mapper, cpath: SrcPath) -> None:
    modules: list[dict[str, Any]] = []
    taken: set[str] = set()
    for part, ppath in m.items(cpath + ("hasPart",)):
        if not isinstance(part, dict):
            continue
        spec, spath = _spec_of(m, ppath)
        key_path = ppath + ("title",) if text(part.get("title")) else spath + ("title",)
        title = text(part.get("title")) or (text(spec.get("title")) if spec else None)
        index = len(modules)
        entry: dict[str, Any] = {
            "id": unique(slug(part.get("id"), title, fallback=f"part-{index + 1}"), taken)
        }
        m.record(f"modules[{index}]", ppath, consume=False)
        if title:
            entry["title"] = title
            m.record(f"modules[{index}].title", key_path)
        if spec is not None and spec.get("volumeOfLearning") is not None:
            hours, _why = duration_hours(spec.get("volumeOfLearning"), days=True)
            if hours is not None:
                entry["hours"] = hours
                m.record(f"modules[{index}].hours", spath + ("volumeOfLearning",))
        modules.append(entry)
    if modules:
        m.data["modules"] = modules
        m.record("modules", cpath + ("hasPart",), consume=False)


def _map_accreditation(m: Mapper, spath: SrcPath) -> None:
    for acc, apath in m.items(spath + ("accreditation",)):
        if not isinstance(acc, dict):
            continue
        kind_key = next((k for k in ("dcType", "title") if concept_label(acc.get(k)) or text(acc.get(k))), None)
        if kind_key:
            label = concept_label(acc.get(kind_key)) or text(acc.get(kind_key))
            m.set("credential.quality_assurance_type", label, apath + (kind_key,))
        agent, where = _org(m, apath + ("accreditingAgent",))
        if agent is not None:
            m.set("quality_assurance.external_body", agent["name"], where["name"])
            m.use(apath + ("accreditingAgent",))
        issued = as_date(acc.get("dateIssued"))
        if issued is not None:
            m.set("quality_assurance.external_last_review", issued, apath + ("dateIssued",))
        decision = acc.get("decision")
        label = concept_label(decision) or text(decision)
        if label:
            m.set("quality_assurance.external_result", label, apath + ("decision",))
        m.expiry(apath, ("expiryDate",), what="the accreditation")
        break
