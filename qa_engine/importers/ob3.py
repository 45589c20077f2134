"""Open Badges 3.0: an OpenBadgeCredential / AchievementCredential, or a bare Achievement.

Mapping (source -> dossier):

* ``achievement.name`` -> ``title`` and ``credential.title`` (the credential's own
  ``name`` is a wallet display name and is listed as not mapped when it differs);
  ``achievement.description`` -> ``description``; ``achievement.inLanguage`` -> ``languages``.
* ``issuer`` (else the achievement's ``creator``) -> ``provider`` and
  ``credential.awarding_bodies[0]``; its ``address.addressCountryCode`` -> country and
  ``credential.issuer_countries``. Open Badges has no awarding-body property: unless the
  achievement's creator is the same organisation, the issuer only stands in for the
  awarding body, which ``source.unresolved`` records (the criterion is unknown).
* ``awardedDate`` / ``issuanceDate`` -> ``credential.issue_date_shown: true``;
  ``validFrom`` alone is the validity start, recorded in ``source.unresolved``;
  ``validUntil`` / ``expirationDate`` before the as-of date -> a note that the credential
  itself has expired.
* ``credentialSubject.id`` and ``identifier[]`` -> ``credential.learner_identification``
  (which kinds of identifier the credential shows, not their values).
* ``achievement.alignment[]`` whose target is an ESCO URI -> ``outcomes[]`` with
  ``esco_skill`` (and ``credential.outcomes_shown: true``); other alignments are notes.
* ``achievement.criteria.narrative`` -> ``credential.assessment_type`` (how the
  achievement is earned), with a note saying so.
* ``achievement.resultDescription[]`` -> ``assessments[]`` (id and title);
  ``credentialSubject.result[]`` -> ``credential.grade``.
* ``creditsAvailable`` is *not* mapped to the workload: Open Badges defines it as credit
  hours of an unstated credit system, which are neither ECTS credits nor notional hours;
  ``source.unresolved`` records it against ``credential.workload.ects``.
* A bare Achievement is a description, not an award: learner identification and the date
  of issuing are recorded in ``source.unresolved``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from qa_engine.errors import InputError
from qa_engine.formats.dossier import Dossier
from qa_engine.importers._common import (
    Mapper,
    SrcPath,
    as_date,
    country_code,
    fmt_path,
    get_at,
    is_esco,
    items,
    language_code,
    short,
    slug,
    text,
    type_error,
    types_of,
    unique,
    wrong_document,
)

FORMAT = "openbadges-3.0"
CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential")
CREDENTIAL_FORMAT = "Open Badges 3.0"

REASONS: dict[str, str] = {
    "proof": "cryptographic proof; qa-engine checks content, not authenticity",
    "credentialSchema": "schema the issuer declares; not part of the dossier",
    "credentialStatus": "revocation status service; not checked",
    "refreshService": "refresh service; not part of the dossier",
    "termsOfUse": "terms of use; not part of the dossier",
    "image": "image; not part of the dossier",
    "endorsement": "endorsement credentials are not imported",
    "endorsementJwt": "endorsement credentials are not imported",
    "evidence": "the learner's evidence for this award, not the provider's evidence",
    "awardedDate": "date of the award to this learner",
    "creditsAvailable": (
        "credit hours of an unstated credit system: neither ECTS credits nor notional "
        "hours, so not mapped to the workload"
    ),
    "creditsEarned": "credits earned by this learner, in an unstated credit system",
    "fieldOfStudy": "no dossier field for the field of study",
    "specialization": "no dossier field for the specialization",
    "achievementType": "kind of achievement; no dossier field",
    "humanCode": "short code of the achievement; no dossier field",
    "tag": "keywords; no dossier field",
    "otherIdentifier": "further identifiers",
    "issuer.description": "description of the issuer",
    "creator.description": "description of the creator",
    "version": "version of the achievement definition",
    "related": "related achievements",
    "alignment": "alignment target; only ESCO skills map to outcomes",
    "allowedValue": "values the result may take (grading scale); no dossier field",
    "requiredValue": "value required to pass; not a pass mark fraction",
    "requiredLevel": "rubric level required to pass",
    "resultType": "kind of result; no dossier field",
    "rubricCriterionLevel": "rubric levels of the result; no dossier field",
    "valueMax": "highest value of the result",
    "valueMin": "lowest value of the result",
    "activityStartDate": "when this learner's activity started",
    "activityEndDate": "when this learner's activity ended",
    "licenseNumber": "licence number of this learner",
    "role": "this learner's role",
    "source": "the organisation that assessed this learner",
    "term": "academic term of this learner's award",
    "narrative": "narrative about this learner's achievement",
    "url": "web page",
    "email": "contact e-mail",
    "phone": "contact phone",
    "official": "official of the organisation",
    "parentOrg": "parent organisation; not the awarding body",
    "address": "address details other than the country",
    "creator": "author of the achievement definition; the issuer is the awarding body",
    "validFrom": "validity start; the date of issuing is awardedDate or issuanceDate",
    "issuanceDate": "issue date; taken from awardedDate",
    "result": "this learner's result; only values and statuses are mapped to the grade",
    "identifier": "identifier of the learner",
    "awardedBy": "awarding details",
}
DEFAULT_REASON = "no dossier field for it"


def _check_types(
    doc: Any, path: SrcPath, expected: str, file: str, root: str, *, required: bool = False
) -> None:
    node = _get(doc, path)
    if not isinstance(node, dict):
        return
    kinds = types_of(node)
    raw = node.get("type", node.get("@type"))
    if raw is None and not required:
        return
    if expected not in kinds:
        raise type_error(
            file,
            fmt_path(path + ("type",), root),
            expected,
            raw,
            f"an Open Badges 3.0 {expected} must say so in its type; correct the document",
        )


def _get(doc: Any, path: SrcPath) -> Any:
    return get_at(doc, path)


def validate(doc: Any, base: SrcPath, file: str, root: str = "$") -> None:
    """Check the types the Open Badges 3.0 data model requires on nested objects."""
    subject = base + ("credentialSubject",)
    for subj, spath in items(doc, subject):
        if not isinstance(subj, dict):
            continue
        _check_types(doc, spath, "AchievementSubject", file, root)
        _validate_achievement(doc, spath + ("achievement",), file, root)
        for _res, rpath in items(doc, spath + ("result",)):
            _check_types(doc, rpath, "Result", file, root)
    _check_types(doc, base + ("issuer",), "Profile", file, root)


def _validate_achievement(doc: Any, path: SrcPath, file: str, root: str) -> None:
    if not isinstance(_get(doc, path), dict):
        return
    _check_types(doc, path, "Achievement", file, root, required=True)
    _check_types(doc, path + ("creator",), "Profile", file, root)
    for _al, apath in items(doc, path + ("alignment",)):
        _check_types(doc, apath, "Alignment", file, root)
    for _rd, rpath in items(doc, path + ("resultDescription",)):
        _check_types(doc, rpath, "ResultDescription", file, root, required=True)
        for _al, apath in items(doc, rpath + ("alignment",)):
            _check_types(doc, apath, "Alignment", file, root)
        for _lv, lpath in items(doc, rpath + ("rubricCriterionLevel",)):
            _check_types(doc, lpath, "RubricCriterionLevel", file, root)


def is_credential(node: Any) -> bool:
    return any(t in types_of(node) for t in CREDENTIAL_TYPES)


def import_ob3(doc: Any, *, file: str, as_of: date, root: str = "$") -> list[Dossier]:
    if not isinstance(doc, dict):
        raise InputError(
            "expected one JSON object (an Open Badges 3.0 credential or achievement)",
            file=file,
            hint="give the credential itself, not a list",
        )
    kinds = types_of(doc)
    if "Achievement" in kinds and not is_credential(doc):
        _validate_achievement(doc, (), file, root)
        m = Mapper(doc, root=root, as_of=as_of)
        map_achievement_only(m)
        return [m.dossier(fmt=FORMAT, file=file)]
    if not is_credential(doc):
        raise wrong_document(
            doc, "ob3", file=file, root=root, expected="OpenBadgeCredential or AchievementCredential",
            otherwise="give an Open Badges 3.0 credential or achievement",
        )
    validate(doc, (), file, root)
    m = Mapper(doc, root=root, as_of=as_of)
    map_credential(m, ())
    return [m.dossier(fmt=FORMAT, file=file)]


# --------------------------------------------------------------------------- mapping


def map_achievement_only(m: Mapper) -> None:
    """A bare Achievement (the definition of a badge, not an award of it)."""
    ach: dict[str, Any] = m.get(())
    m.set("id", slug(ach.get("id"), text(ach.get("name"))), ("id",))
    m.note(
        "an Open Badges Achievement definition, not an awarded credential: learner "
        "identification and the date of issuing are not stated"
    )
    for element in ("credential.learner_identification", "credential.issue_date_shown"):
        m.related(
            element, None,
            "an Achievement describes what is awarded; it is not awarded to a learner, so it "
            "cannot show what only an awarded credential carries",
        )
    _map_achievement(m, ())
    _map_body(m, ("creator",), awarding=True)
    m.set("credential.format", CREDENTIAL_FORMAT)
    m.sweep((), REASONS, DEFAULT_REASON)


def map_credential(m: Mapper, base: SrcPath, *, credential_format: str = CREDENTIAL_FORMAT) -> None:
    """Fill ``m.data`` from the credential at ``base`` and list what was not mapped."""
    cred: dict[str, Any] = m.get(base)
    subject = base + ("credentialSubject",)
    subjects = list(m.items(subject))
    if len(subjects) > 1:
        for _other, opath in subjects[1:]:
            m.not_mapped(opath, "a second credential subject; only the first is imported")
    if subjects:
        subject = subjects[0][1]
    ach_path = subject + ("achievement",)
    ach = m.get(ach_path)

    m.set(
        "id",
        slug(cred.get("id"), ach.get("id") if isinstance(ach, dict) else None, text(cred.get("name"))),
        base + ("id",),
    )
    if isinstance(ach, dict):
        _map_achievement(m, ach_path)
        name = text(cred.get("name"))
        if name and name != text(ach.get("name")):
            m.not_mapped(
                base + ("name",), "the credential's display name; the achievement's name is the title"
            )
        if text(cred.get("description")) and "description" in m.data:
            m.not_mapped(base + ("description",), "the achievement's description is used")
    else:
        m.note(
            f"{m.src(ach_path)} is missing: Open Badges 3.0 requires the achievement, so only "
            "the credential's own data was imported (no outcomes, criteria or results)"
        )
        name = text(cred.get("name"))
        if name:
            m.set("title", name, base + ("name",))
            m.set("credential.title", name, base + ("name",))
        desc = text(cred.get("description"))
        if desc:
            m.set("description", desc, base + ("description",))

    # issuer -> provider and awarding body; the creator only when there is no issuer.
    # Open Badges has no awarding-body property: the issuer "issued the credential"
    # (OB 3.0 AchievementCredential.issuer), the creator "created the achievement"
    # (Achievement.creator). One organisation that is both defines and awards the
    # achievement; an issuer alone only stands in for the awarding body.
    issuer = m.get(base + ("issuer",))
    creator = ach.get("creator") if isinstance(ach, dict) else None
    if not _map_body(m, base + ("issuer",), awarding=True) and isinstance(ach, dict):
        if _map_body(m, ach_path + ("creator",), awarding=True):
            m.related(
                "credential.awarding_bodies", ach_path + ("creator",),
                "the creator of the achievement definition (Open Badges 3.0 Achievement.creator) "
                "stands in for an awarding body; the credential names no issuer with a name",
            )
    else:
        same = (
            isinstance(issuer, dict) and isinstance(creator, dict)
            and issuer.get("id") and issuer.get("id") == creator.get("id")
        )
        if same:
            m.use(ach_path + ("creator",))
        elif (m.data.get("credential") or {}).get("awarding_bodies"):
            m.related(
                "credential.awarding_bodies", base + ("issuer",),
                "the issuer of the credential (Open Badges 3.0 AchievementCredential.issuer) stands "
                "in for the awarding body: Open Badges has no awarding-body property, and the "
                "achievement's creator is not given as the same organisation",
            )
            if isinstance(creator, dict):
                m.not_mapped(
                    ach_path + ("creator",),
                    "author of the achievement definition, another organisation than the issuer",
                )

    _map_issue_date(m, base, cred)
    m.expiry(base, ("validUntil", "expirationDate"))

    _map_learner(m, subject)
    _map_results(m, subject, ach_path)
    m.set("credential.format", credential_format)
    m.sweep(base, REASONS, DEFAULT_REASON)


def _map_issue_date(m: Mapper, base: SrcPath, cred: dict[str, Any]) -> None:
    """The date of issuing from the property that *is* it.

    ``awardedDate`` ("timestamp of when the credential was awarded", OB 3.0
    AchievementCredential) and ``issuanceDate`` ("timestamp of when the credential was
    issued", OB 3.0 on the VC Data Model 1.1) are the element; ``validFrom`` is when the
    credential becomes valid (VC Data Model 2.0, section 4.9) and changes with every
    re-issue, so alone it is only related.
    """
    for key in ("awardedDate", "issuanceDate"):
        if as_date(cred.get(key)) is not None:
            m.set("credential.issue_date_shown", True, base + (key,))
            return
    if cred.get("validFrom") is not None:
        m.related(
            "credential.issue_date_shown", base + ("validFrom",),
            "validFrom is the date from which the credential is valid (VC Data Model 2.0, 4.9), "
            "not the date it was awarded, which Open Badges 3.0 keeps in awardedDate (absent here)",
        )


def _map_achievement(m: Mapper, path: SrcPath) -> None:
    ach: dict[str, Any] = m.get(path)
    name = text(ach.get("name"))
    if name:
        m.set("title", name, path + ("name",))
        m.set("credential.title", name, path + ("name",))
    desc = text(ach.get("description"))
    if desc:
        m.set("description", desc, path + ("description",))
    if ach.get("creditsAvailable") is not None:
        m.related(
            "credential.workload.ects", path + ("creditsAvailable",),
            "credit hours of an unstated credit system (Open Badges 3.0 "
            "Achievement.creditsAvailable), neither ECTS credits nor notional hours",
        )
    lang = ach.get("inLanguage")
    if lang is not None:
        code = language_code(lang)
        if code:
            m.set("languages", [code], path + ("inLanguage",))
        else:
            m.not_mapped(path + ("inLanguage",), "not a language code")

    crit = ach.get("criteria")
    if isinstance(crit, dict):
        narrative = text(crit.get("narrative"))
        if narrative:
            m.set("credential.assessment_type", narrative, path + ("criteria", "narrative"))
            m.note(
                "credential.assessment_type holds the achievement's criteria narrative (how "
                "it is earned); check that it states the type of assessment"
            )
            m.related(
                "credential.assessment_type", path + ("criteria", "narrative"),
                "the criteria narrative says how the achievement is earned (Open Badges 3.0 "
                "Criteria.narrative), which may or may not name a type of assessment; Open "
                "Badges has no property for the type of assessment",
            )
            if crit.get("id"):
                m.use(path + ("criteria", "id"))
        elif crit.get("id"):
            m.not_mapped(
                path + ("criteria", "id"),
                "URL of the criteria page; the criteria text is not in the document",
            )

    outcomes: list[dict[str, Any]] = []
    taken: set[str] = set()
    for al, apath in m.items(path + ("alignment",)):
        if not isinstance(al, dict):
            m.not_mapped(apath, "not an Alignment object")
            continue
        target = next(
            (al.get(k) for k in ("targetUrl", "targetCode", "id") if is_esco(al.get(k))), None
        )
        if target is None:
            framework = text(al.get("targetFramework"))
            kind = al.get("targetType")
            where = " ".join(
                p
                for p in (
                    f"a {kind}" if isinstance(kind, str) else "a target",
                    f"in {short(framework)}" if framework else "",
                    f"at {al['targetUrl']}" if isinstance(al.get("targetUrl"), str) else "",
                )
                if p
            )
            m.not_mapped(apath, f"alignment to {where}; not an ESCO skill")
            continue
        statement = text(al.get("targetName")) or text(al.get("targetDescription"))
        if not statement:
            m.not_mapped(apath, "ESCO alignment without a name to state as an outcome")
            continue
        index = len(outcomes)
        oid = unique(slug(al.get("targetCode"), statement, fallback=f"lo{index + 1}"), taken)
        outcomes.append({"id": oid, "statement": statement, "esco_skill": target})
        m.record(f"outcomes[{index}]", apath, consume=False)
        m.record(
            f"outcomes[{index}].statement",
            apath + ("targetName" if text(al.get("targetName")) else "targetDescription",),
        )
        key = next(k for k in ("targetUrl", "targetCode", "id") if al.get(k) == target)
        m.record(f"outcomes[{index}].esco_skill", apath + (key,))
        m.use(apath)
    if outcomes:
        m.data["outcomes"] = outcomes
        m.record("outcomes", path + ("alignment",), consume=False)
        m.set("credential.outcomes_shown", True, path + ("alignment",), consume=False)

    assessments: list[dict[str, Any]] = []
    taken = set()
    for rd, rpath in m.items(path + ("resultDescription",)):
        if not isinstance(rd, dict):
            continue
        title = text(rd.get("name"))
        index = len(assessments)
        aid = unique(slug(rd.get("id"), title, fallback=f"result-{index + 1}"), taken)
        entry: dict[str, Any] = {"id": aid}
        m.record(f"assessments[{index}].id", rpath + ("id",) if rd.get("id") else rpath)
        if title:
            entry["title"] = title
            m.record(f"assessments[{index}].title", rpath + ("name",))
        assessments.append(entry)
        m.record(f"assessments[{index}]", rpath, consume=False)
    if assessments:
        m.data["assessments"] = assessments
        m.record("assessments", path + ("resultDescription",), consume=False)


def _map_body(m: Mapper, path: SrcPath, *, awarding: bool) -> bool:
    """Map a Profile to ``provider`` (and the first awarding body). False when absent."""
    node = m.get(path)
    if node is None:
        return False
    if not isinstance(node, dict):
        m.not_mapped(path, "given by its URI only, without a name: no awarding body can be named")
        return True
    name = text(node.get("name"))
    if not name:
        m.not_mapped(path, "the profile has no name: no awarding body can be named")
        return True
    body: dict[str, Any] = {"name": name}
    m.set("provider.name", name, path + ("name",))
    m.record("credential.awarding_bodies[0].name", path + ("name",))
    country, cpath = _country(m, path + ("address",))
    if country and cpath:
        body["country"] = country
        m.set("provider.country", country, cpath)
        m.record("credential.awarding_bodies[0].country", cpath)
        m.set("credential.issuer_countries", [country], cpath)
        m.record("credential.issuer_countries[0]", cpath, consume=False)
    for ident, ipath in m.items(path + ("otherIdentifier",)):
        if isinstance(ident, dict) and text(ident.get("identifier")):
            value = text(ident.get("identifier")) or ""
            kind = text(ident.get("identifierType"))
            shown = f"{value} ({kind})" if kind else value
            body["identifier"] = shown
            m.set("provider.identifier", shown, ipath)
            m.record("credential.awarding_bodies[0].identifier", ipath)
            break
    url = node.get("url")
    if isinstance(url, str) and url:
        body["url"] = url
        m.set("provider.website", url, path + ("url",))
        m.record("credential.awarding_bodies[0].url", path + ("url",))
    if awarding:
        m.set("credential.awarding_bodies", [body], path, consume=False)
        m.record("credential.awarding_bodies[0]", path, consume=False)
    return True


def _country(m: Mapper, address: SrcPath) -> tuple[str | None, SrcPath | None]:
    node = m.get(address)
    if not isinstance(node, dict):
        return None, None
    for key in ("addressCountryCode", "addressCountry"):
        raw = node.get(key)
        if raw is None:
            continue
        code = country_code(raw)
        if code:
            if key == "addressCountryCode" and node.get("addressCountry") is not None:
                m.use(address + ("addressCountry",))
            return code, address + (key,)
        m.not_mapped(address + (key,), "not an ISO 3166 country code")
    return None, None


def _map_learner(m: Mapper, subject: SrcPath) -> None:
    node = m.get(subject)
    if not isinstance(node, dict):
        return
    parts: list[str] = []
    sources: list[SrcPath] = []
    sid = node.get("id")
    if isinstance(sid, str) and sid:
        scheme = sid.split(":", 1)[0].lower()
        kind = {"did": "a DID", "mailto": "an e-mail address", "urn": "a URN"}.get(
            scheme, "a URL" if scheme in ("http", "https") else "an identifier"
        )
        parts.append(f"credentialSubject.id ({kind})")
        sources.append(subject + ("id",))
    kinds: list[str] = []
    for ident, ipath in m.items(subject + ("identifier",)):
        if isinstance(ident, dict):
            kinds.append(text(ident.get("identityType")) or "identity object")
            sources.append(ipath)
    if kinds:
        parts.append("identity objects: " + ", ".join(kinds))
    if parts:
        m.set("credential.learner_identification", "; ".join(parts), *sources)


def _map_results(m: Mapper, subject: SrcPath, ach_path: SrcPath) -> None:
    ach = m.get(ach_path)
    names: dict[str, str] = {}
    levels: dict[str, str] = {}
    if isinstance(ach, dict):
        for rd, rd_path in m.items(ach_path + ("resultDescription",)):
            if isinstance(rd, dict) and isinstance(rd.get("id"), str):
                names[rd["id"]] = text(rd.get("name")) or rd["id"]
                for lv, _lpath in m.items(rd_path + ("rubricCriterionLevel",)):
                    if isinstance(lv, dict) and isinstance(lv.get("id"), str):
                        levels[lv["id"]] = text(lv.get("name")) or text(lv.get("level")) or lv["id"]
    grades: list[str] = []
    sources: list[SrcPath] = []
    for res, rpath in m.items(subject + ("result",)):
        if not isinstance(res, dict):
            continue
        ref = res.get("resultDescription")
        label = names.get(ref, "result") if isinstance(ref, str) else "result"
        for key in ("value", "status", "achievedLevel"):
            raw = res.get(key)
            if raw is None:
                continue
            # references are id strings; anything else (a list, an object) is shown as it is
            shown = levels.get(raw, raw) if key == "achievedLevel" and isinstance(raw, str) else raw
            value = text(shown) if not isinstance(shown, (int, float)) else f"{shown:g}"
            if value:
                grades.append(f"{label}: {value}")
                sources.append(rpath + (key,))
                if res.get("resultDescription") is not None:
                    m.use(rpath + ("resultDescription",))
    if grades:
        m.set("credential.grade", "; ".join(grades), *sources)
