"""CTDL JSON-LD (Credential Engine): credential classes, LearningProgram and Course.

Accepts a single resource (``{"@type": "ceterms:Certificate", ...}``) or a registry
graph (``{"@graph": [...]}``): every non-blank node of a supported class in the graph
becomes one dossier; references (``ceterms:ownedBy: ["_:b1"]`` or a registry URI) are
resolved within the document. A CTDL resource *describes* a credential or programme; it
is not an issued credential, so learner identification, the date of issuing and what
the credential shows stay empty. Mapping:

* ``ceterms:name`` -> ``title`` (and ``credential.title`` for credential classes only);
  ``ceterms:description`` -> ``description``; ``ceterms:inLanguage`` -> ``languages``;
  ``ceterms:subjectWebpage`` -> ``transparency.public_url``; ``ceterms:ctid`` -> the id.
* ``ceterms:offeredBy`` (else ``ownedBy``) -> ``provider``; for credential classes
  ``ceterms:ownedBy`` (else ``offeredBy``) -> ``credential.awarding_bodies`` and their
  ``ceterms:address[].ceterms:addressCountry`` -> ``credential.issuer_countries``.
* ``ceterms:accreditedBy`` / ``approvedBy`` / ``recognizedBy`` / ``regulatedBy`` ->
  ``credential.quality_assurance_type`` ("Accredited by ...") and
  ``quality_assurance.external_body``.
* ``ceterms:deliveryType`` (``deliveryType:OnlineOnly`` / ``InPerson`` /
  ``BlendedDelivery``) -> ``credential.participation.mode``.
* ``ceterms:estimatedDuration[].ceterms:exactDuration`` -> ``credential.workload.hours``
  when it is a number of hours (``PT40H``); days, weeks and months are elapsed time and
  are not converted.
* ``ceterms:creditValue[]`` with an ECTS credit unit -> ``credential.workload.ects``.
* ``ceterms:entryCondition[]`` -> ``credential.prerequisites``.
* ``ceterms:requires[].ceterms:targetCompetency`` and ``ceterms:teaches`` -> ``outcomes``
  (ESCO targets as ``esco_skill``); ``ceterms:requires[].ceterms:targetAssessment`` ->
  ``assessments``; ``ceterms:assessmentMethodDescription`` / ``assessmentMethodType``
  -> ``credential.assessment_type``.
* ``ceterms:isPartOf`` / ``isPreparationFor`` / ``isAdvancedStandingFor`` /
  ``isRequiredFor`` / ``isRecommendedFor`` -> ``credential.stackability``;
  ``ceterms:hasPart`` -> ``modules``.
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
    as_list,
    as_number,
    concept_label,
    country_code,
    duration_hours,
    is_esco,
    language_code,
    node_id,
    slug,
    text,
    texts,
    types_of,
    unique,
)

FORMAT = "ctdl"

#: CTDL credential classes (subclasses of ceterms:Credential).
CREDENTIAL_CLASSES = frozenset(
    {
        "Credential", "ApprenticeshipCertificate", "AssociateDegree", "AssociateOfAppliedArtsDegree",
        "AssociateOfAppliedScienceDegree", "AssociateOfArtsDegree", "AssociateOfScienceDegree",
        "BachelorDegree", "BachelorOfArtsDegree", "BachelorOfScienceDegree", "Badge", "Certificate",
        "CertificateOfCompletion", "CertificateOfParticipation", "Certification", "Degree",
        "DigitalBadge", "Diploma", "DoctoralDegree", "GeneralEducationDevelopment",
        "JourneymanCertificate", "License", "MasterCertificate", "MasterDegree", "MasterOfArtsDegree",
        "MasterOfScienceDegree", "MicroCredential", "OpenBadge", "ProfessionalCertificate",
        "ProfessionalDoctorate", "QualityAssuranceCredential", "ResearchDoctorate",
        "SecondarySchoolDiploma", "AcademicCertificate", "BasicTechnicalCertificate",
        "PreApprenticeshipCertificate", "ProfessionalLicense", "TechnicalDiploma",
    }
)
PROGRAM_CLASSES = frozenset({"LearningProgram", "Course", "LearningOpportunityProfile"})
SUPPORTED = CREDENTIAL_CLASSES | PROGRAM_CLASSES

_QA = (
    ("ceterms:accreditedBy", "Accredited by"),
    ("ceterms:approvedBy", "Approved by"),
    ("ceterms:recognizedBy", "Recognized by"),
    ("ceterms:regulatedBy", "Regulated by"),
)
_STACK = (
    ("ceterms:isPartOf", "part of"),
    ("ceterms:isPreparationFor", "preparation for"),
    ("ceterms:isAdvancedStandingFor", "advanced standing for"),
    ("ceterms:isRequiredFor", "required for"),
    ("ceterms:isRecommendedFor", "recommended for"),
)
_DELIVERY = {
    "onlineonly": "online",
    "inperson": "on_site",
    "blendeddelivery": "blended",
}
_ASSESS_METHOD = {"exam": "exam", "performance": "practical"}

REASONS: dict[str, str] = {
    "ceterms:ownedBy": "owner; the offering organisation is the provider",
    "ceterms:offeredBy": "a further offering organisation",
    "ceterms:requires": "requirements to earn it; only their assessments and competencies are mapped",
    "ceterms:recommends": "recommendations; no dossier field",
    "ceterms:corequisite": "co-requisites; no dossier field",
    "ceterms:estimatedDuration": "elapsed time, not a number of learning hours",
    "ceterms:estimatedCost": "cost; no dossier field",
    "ceterms:audienceLevelType": "audience level; not an EQF level",
    "ceterms:audienceType": "audience; no dossier field",
    "ceterms:credentialStatusType": "status of the registry entry",
    "ceterms:lifeCycleStatusType": "status of the registry entry",
    "ceterms:dateEffective": "date the description takes effect",
    "ceterms:keyword": "keywords; no dossier field",
    "ceterms:image": "image; not part of the dossier",
    "ceterms:occupationType": "occupations; no dossier field",
    "ceterms:industryType": "industries; no dossier field",
    "ceterms:instructionalProgramType": "programme classification (CIP); no dossier field",
    "ceterms:availableOnlineAt": "where it is available online",
    "ceterms:availableAt": "where it is offered",
    "ceterms:learningMethodDescription": "learning methods; no dossier field",
    "ceterms:learningMethodType": "learning methods; no dossier field",
    "ceterms:deliveryTypeDescription": "description of the delivery",
    "ceterms:creditValue": "credit value in a unit other than ECTS",
    "ceterms:codedNotation": "code of the resource",
    "ceterms:inCatalog": "catalogue entry",
    "ceterms:subject": "subjects; no dossier field",
    "ceterms:naics": "industry codes; no dossier field",
    "ceterms:jurisdiction": "jurisdiction; no dossier field",
    "ceterms:financialAssistance": "financial assistance; no dossier field",
    "ceterms:hasPart": "a part that is not described in this document",
    "@graph": "a resource that no imported resource refers to",
}
DEFAULT_REASON = "no dossier field for it"


def _class(node: Any) -> str | None:
    for kind in types_of(node):
        name = kind.split(":", 1)[1] if kind.startswith("ceterms:") else kind
        if name in SUPPORTED:
            return name
    return None


def _ctdl_types(node: Any) -> list[str]:
    return [t for t in types_of(node) if t.startswith("ceterms:")]


class _Graph:
    """The nodes of a CTDL document by ``@id``, to resolve references."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.by_id: dict[str, SrcPath] = {}
        nodes = doc.get("@graph")
        for index, node in enumerate(nodes if isinstance(nodes, list) else []):
            if isinstance(node, dict) and isinstance(node.get("@id"), str):
                self.by_id.setdefault(node["@id"], ("@graph", index))

    def resolve(self, m: Mapper, value: Any, path: SrcPath) -> tuple[dict[str, Any] | None, SrcPath]:
        """An embedded node, or the graph node a reference names."""
        ref = value if isinstance(value, str) else None
        if isinstance(value, dict):
            keys = set(value) - {"@id"}
            if keys:
                return value, path
            ref = value.get("@id") if isinstance(value.get("@id"), str) else None
        if ref is None:
            return None, path
        target = self.by_id.get(ref)
        if target is None:
            return None, path
        m.use(path)
        node = m.get(target)
        return (node if isinstance(node, dict) else None), target


def import_ctdl(doc: Any, *, file: str, as_of: date, root: str = "$") -> list[Dossier]:
    if not isinstance(doc, dict):
        raise InputError(
            "expected one JSON object (a CTDL resource or a graph)", file=file,
            hint="give the resource or the registry graph",
        )
    graph = _Graph(doc)
    if "@graph" in doc:
        if not isinstance(doc["@graph"], list):
            raise InputError("`$.@graph` must be a list of resources", file=file, hint="correct the document")
        nodes: list[tuple[dict[str, Any], SrcPath]] = [
            (node, ("@graph", i)) for i, node in enumerate(doc["@graph"]) if isinstance(node, dict)
        ]
        mains = [(n, p) for n, p in nodes if _class(n) and not str(n.get("@id", "")).startswith("_:")]
        if not mains:
            mains = [(n, p) for n, p in nodes if _class(n)]
        if not mains:
            found = sorted({t for n, _p in nodes for t in _ctdl_types(n)})
            raise InputError(
                "`$.@graph` holds no CTDL credential, ceterms:LearningProgram or ceterms:Course"
                + (f" (it holds {', '.join(found)})" if found else ""),
                file=file,
                hint="give the graph of a credential or learning opportunity",
            )
    else:
        if _class(doc) is None:
            got = doc.get("@type", doc.get("type"))
            raise InputError(
                f"`{root}.@type` must be a CTDL credential class (e.g. ceterms:Certificate, "
                f"ceterms:MicroCredential), ceterms:LearningProgram or ceterms:Course, got {got!r}",
                file=file,
                hint="only credentials and learning opportunities describe what a dossier checks",
            )
        mains = [(doc, ())]

    whole = Mapper(doc, root=root, as_of=as_of)
    mappers: list[Mapper] = []
    taken: set[str] = set()
    for node, path in mains:
        m = Mapper(doc, root=root, as_of=as_of)
        _map(m, graph, node, path)
        m.data["id"] = unique(m.data["id"], taken)
        mappers.append(m)
        whole.use(path)
        for used in list(m._used):
            if used[:1] == ("@graph",):
                whole.use(used[:2])
    shared: list[str] = []
    if "@graph" in doc:
        whole.use(("@id",))
        whole.sweep((), REASONS, DEFAULT_REASON)
        shared = whole.unmapped
    return [m.dossier(fmt=FORMAT, file=file, extra_notes=shared) for m in mappers]


# --------------------------------------------------------------------------- mapping


def _map(m: Mapper, graph: _Graph, node: dict[str, Any], path: SrcPath) -> None:
    kind = _class(node) or "Credential"
    is_credential = kind in CREDENTIAL_CLASSES
    ctid = node.get("ceterms:ctid")
    m.set(
        "id",
        slug(ctid, node.get("@id"), text(node.get("ceterms:name"))),
        path + ("ceterms:ctid",) if ctid else path + ("@id",),
    )
    m.note(
        f"a CTDL description of a {'credential' if is_credential else 'learning opportunity'} "
        f"(ceterms:{kind}), not an issued credential: learner identification, the date of "
        "issuing and what the credential shows are not stated"
    )
    for element in ("credential.learner_identification", "credential.issue_date_shown"):
        m.related(
            element, None,
            f"a CTDL ceterms:{kind} describes what is offered or awarded; it is not awarded to a "
            "learner, so it cannot show what only an awarded credential carries",
        )
    name = text(node.get("ceterms:name"))
    if name:
        m.set("title", name, path + ("ceterms:name",))
        if is_credential:
            m.set("credential.title", name, path + ("ceterms:name",))
    desc = text(node.get("ceterms:description"))
    if desc:
        m.set("description", desc, path + ("ceterms:description",))
    codes: list[str] = []
    sources: list[SrcPath] = []
    for lang, lpath in m.items(path + ("ceterms:inLanguage",)):
        code = language_code(lang)
        if code and code not in codes:
            codes.append(code)
            sources.append(lpath)
    if codes:
        m.set("languages", codes, *sources)
    page = node.get("ceterms:subjectWebpage")
    if isinstance(page, str) and page:
        m.set("transparency.public_url", page, path + ("ceterms:subjectWebpage",))

    _map_orgs(m, graph, path, is_credential)
    _map_qa(m, graph, path)
    _map_delivery(m, path)
    _map_duration(m, path)
    _map_credit(m, path)
    _map_conditions(m, graph, path)
    _map_stack(m, graph, path)
    _map_parts(m, graph, path)
    m.expiry(path, ("ceterms:expirationDate",), what="the CTDL resource")
    m.sweep(path, REASONS, DEFAULT_REASON)


def _org(m: Mapper, graph: _Graph, value: Any, path: SrcPath) -> tuple[dict[str, Any] | None, dict[str, SrcPath]]:
    node, npath = graph.resolve(m, value, path)
    if node is None:
        return None, {}
    name = text(node.get("ceterms:name"))
    if not name:
        return None, {}
    body: dict[str, Any] = {"name": name}
    where: dict[str, SrcPath] = {"name": npath + ("ceterms:name",)}
    for addr, apath in m.items(npath + ("ceterms:address",)):
        if isinstance(addr, dict) and addr.get("ceterms:addressCountry") is not None:
            code = country_code(text(addr.get("ceterms:addressCountry")))
            if code:
                body["country"] = code
                where["country"] = apath + ("ceterms:addressCountry",)
                break
            m.not_mapped(apath + ("ceterms:addressCountry",), "not an ISO 3166 country code")
    ctid = node.get("ceterms:ctid")
    if isinstance(ctid, str) and ctid:
        body["identifier"] = ctid
        where["identifier"] = npath + ("ceterms:ctid",)
    page = node.get("ceterms:subjectWebpage")
    if isinstance(page, str) and page:
        body["url"] = page
        where["url"] = npath + ("ceterms:subjectWebpage",)
    m.use(npath)
    return body, where


def _bodies(m: Mapper, graph: _Graph, key_path: SrcPath) -> list[tuple[dict[str, Any], dict[str, SrcPath], SrcPath]]:
    out = []
    for value, vpath in m.items(key_path):
        body, where = _org(m, graph, value, vpath)
        if body is None:
            m.not_mapped(vpath, "an organisation that is not described in this document", value)
            continue
        m.use(vpath)
        out.append((body, where, vpath))
    return out


def _map_orgs(m: Mapper, graph: _Graph, path: SrcPath, is_credential: bool) -> None:
    owned = _bodies(m, graph, path + ("ceterms:ownedBy",))
    offered = _bodies(m, graph, path + ("ceterms:offeredBy",))
    provider = (offered or owned)[:1]
    for body, where, _vpath in provider:
        for key, field in (("name", "name"), ("country", "country"), ("identifier", "identifier"), ("url", "website")):
            if key in body:
                m.set(f"provider.{field}", body[key], where[key])
    if not is_credential:
        return
    awarding = owned or offered
    bodies: list[dict[str, Any]] = []
    countries: list[str] = []
    country_src: list[SrcPath] = []
    for index, (body, where, vpath) in enumerate(awarding):
        bodies.append(body)
        m.record(f"credential.awarding_bodies[{index}]", vpath, consume=False)
        for key, source in where.items():
            m.record(f"credential.awarding_bodies[{index}].{key}", source)
        if "country" in body and body["country"] not in countries:
            countries.append(body["country"])
            country_src.append(where["country"])
    if bodies:
        m.data.setdefault("credential", {})["awarding_bodies"] = bodies
        m.record("credential.awarding_bodies", awarding[0][2][:-1], consume=False)
    if countries:
        m.set("credential.issuer_countries", countries, *country_src)
        for index, source in enumerate(country_src):
            m.record(f"credential.issuer_countries[{index}]", source)


def _map_qa(m: Mapper, graph: _Graph, path: SrcPath) -> None:
    statements: list[str] = []
    sources: list[SrcPath] = []
    first_body: tuple[str, SrcPath] | None = None
    for key, verb in _QA:
        for body, where, vpath in _bodies(m, graph, path + (key,)):
            statements.append(f"{verb} {body['name']}")
            sources.append(vpath)
            if first_body is None:
                first_body = (body["name"], where["name"])
    if statements:
        m.set("credential.quality_assurance_type", "; ".join(statements), *sources)
    if first_body is not None:
        m.set("quality_assurance.external_body", first_body[0], first_body[1])


def _map_delivery(m: Mapper, path: SrcPath) -> None:
    found: list[tuple[str, SrcPath]] = []
    for item, ipath in m.items(path + ("ceterms:deliveryType",)):
        target = node_id(item) or ""
        key = target.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower()
        mode = _DELIVERY.get(key)
        if mode is None:
            m.not_mapped(ipath, "a delivery type that is not online only, in person or blended")
        else:
            found.append((mode, ipath))
    modes = {mode for mode, _p in found}
    if len(modes) == 1:
        m.set("credential.participation.mode", found[0][0], *(p for _m, p in found))
    elif len(modes) > 1:
        for _mode, ipath in found:
            m.not_mapped(ipath, "offered in several delivery types; the dossier holds one form of participation")


def _map_duration(m: Mapper, path: SrcPath) -> None:
    for item, ipath in m.items(path + ("ceterms:estimatedDuration",)):
        if not isinstance(item, dict):
            continue
        exact = item.get("ceterms:exactDuration")
        if exact is None:
            continue
        hours, why = duration_hours(exact, days=False)
        if hours is None or not 0 <= hours <= 20000:
            m.not_mapped(ipath + ("ceterms:exactDuration",), why or "more than 20000 hours")
            continue
        m.set("credential.workload.hours", hours, ipath + ("ceterms:exactDuration",))
        return


def _unit_is_ects(profile: dict[str, Any]) -> bool:
    labels: list[str] = []
    # one unit or a list of them (anything else names no unit)
    for unit in as_list(profile.get("ceterms:creditUnitType")):
        labels += [node_id(unit) or "", concept_label(unit) or ""]
    labels.append(text(profile.get("schema:description")) or "")
    labels.append(text(profile.get("ceterms:creditUnitTypeDescription")) or "")
    joined = " ".join(labels)
    return bool(re.search(r"\bECTS\b|European ?Credit ?Transfer|EuropeanTransferCredit", joined, re.I))


def _map_credit(m: Mapper, path: SrcPath) -> None:
    other: list[SrcPath] = []
    for item, ipath in m.items(path + ("ceterms:creditValue",)):
        if not isinstance(item, dict):
            continue
        value = as_number(item.get("schema:value"))
        if not _unit_is_ects(item):
            other.append(ipath)
        elif value is None or not 0 <= value <= 360:
            m.not_mapped(ipath, "not a single number of ECTS credits between 0 and 360")
        else:
            m.set("credential.workload.ects", value, ipath + ("schema:value",), ipath + ("ceterms:creditUnitType",))
            m.use(ipath)
            return
    for ipath in other:
        if (m.data.get("credential") or {}).get("workload", {}).get("ects") is not None:
            m.not_mapped(ipath, "credit value in a unit other than ECTS")
        else:
            m.related(
                "credential.workload.ects", ipath,
                "a credit value in a unit other than ECTS (ceterms:creditUnitType); it is not "
                "converted into ECTS credits",
            )


def _condition_text(cond: dict[str, Any]) -> str | None:
    parts = [text(cond.get("ceterms:description"))] + texts(cond.get("ceterms:condition"))
    shown = [p for p in parts if p]
    return "; ".join(shown) if shown else None


def _map_conditions(m: Mapper, graph: _Graph, path: SrcPath) -> None:
    entry: list[str] = []
    entry_src: list[SrcPath] = []
    for cond, cpath in m.items(path + ("ceterms:entryCondition",)):
        if isinstance(cond, dict):
            shown = _condition_text(cond)
            if shown:
                entry.append(shown)
                entry_src.append(cpath)
    if entry:
        m.set("credential.prerequisites", "\n".join(entry), *entry_src)

    outcomes: list[dict[str, Any]] = []
    outcome_src: list[SrcPath] = []
    taken: set[str] = set()

    def add_outcome(item: Any, ipath: SrcPath) -> None:
        statement = concept_label(item) or text(item.get("ceterms:targetNodeDescription")) if isinstance(item, dict) else None
        if not statement:
            m.not_mapped(ipath, "a competency without a name")
            return
        index = len(outcomes)
        target = node_id(item)
        entry_: dict[str, Any] = {
            "id": unique(slug(target, statement, fallback=f"lo{index + 1}") if not is_esco(target) else f"LO{index + 1}", taken),
            "statement": statement,
        }
        m.record(f"outcomes[{index}]", ipath)
        m.record(f"outcomes[{index}].statement", ipath)
        if is_esco(target):
            entry_["esco_skill"] = target
            m.record(f"outcomes[{index}].esco_skill", ipath)
        outcomes.append(entry_)
        outcome_src.append(ipath)

    assessments: list[dict[str, Any]] = []
    a_taken: set[str] = set()
    for cond, cpath in m.items(path + ("ceterms:requires",)):
        if not isinstance(cond, dict):
            continue
        for comp, kpath in m.items(cpath + ("ceterms:targetCompetency",)):
            add_outcome(comp, kpath)
        for ref, apath in m.items(cpath + ("ceterms:targetAssessment",)):
            node, npath = graph.resolve(m, ref, apath)
            if node is None:
                m.not_mapped(apath, "an assessment that is not described in this document", ref)
                continue
            index = len(assessments)
            title = text(node.get("ceterms:name"))
            entry_a: dict[str, Any] = {
                "id": unique(slug(node.get("ceterms:ctid"), node.get("@id"), title, fallback=f"assessment-{index + 1}"), a_taken)
            }
            m.record(f"assessments[{index}]", npath, consume=False)
            m.use(apath)
            if title:
                entry_a["title"] = title
                m.record(f"assessments[{index}].title", npath + ("ceterms:name",))
            for method, mpath in m.items(npath + ("ceterms:assessmentMethodType",)):
                key = (node_id(method) or "").rsplit(":", 1)[-1].lower()
                if key in _ASSESS_METHOD and "type" not in entry_a:
                    entry_a["type"] = _ASSESS_METHOD[key]
                    m.record(f"assessments[{index}].type", mpath)
            assessments.append(entry_a)
            m.use(npath)
    for comp, kpath in m.items(path + ("ceterms:teaches",)):
        add_outcome(comp, kpath)
    if outcomes:
        m.data["outcomes"] = outcomes
        containers = sorted({src[: len(path) + 1] if src[len(path)] == "ceterms:teaches" else src[: len(path) + 3] for src in outcome_src})
        m.record("outcomes", *containers, consume=False)
    if assessments:
        m.data["assessments"] = assessments
        m.record("assessments", path + ("ceterms:requires",), consume=False)

    desc = text(m.get(path + ("ceterms:assessmentMethodDescription",)))
    if desc:
        m.set("credential.assessment_type", desc, path + ("ceterms:assessmentMethodDescription",))
        if m.get(path + ("ceterms:assessmentMethodType",)) is not None:
            m.use(path + ("ceterms:assessmentMethodType",))
    else:
        labels: list[str] = []
        sources: list[SrcPath] = []
        for method, mpath in m.items(path + ("ceterms:assessmentMethodType",)):
            label = concept_label(method) or (node_id(method) or "").rsplit(":", 1)[-1]
            if label:
                labels.append(label)
                sources.append(mpath)
        if labels:
            m.set("credential.assessment_type", "; ".join(labels), *sources)


def _map_stack(m: Mapper, graph: _Graph, path: SrcPath) -> None:
    parts: list[str] = []
    sources: list[SrcPath] = []
    for key, verb in _STACK:
        for value, vpath in m.items(path + (key,)):
            if isinstance(value, dict) and value.get("@type") == "ceterms:ConditionProfile":
                targets = [
                    concept_label(graph.resolve(m, t, tp)[0]) or node_id(t)
                    for k in ("ceterms:targetCredential", "ceterms:targetLearningOpportunity")
                    for t, tp in m.items(vpath + (k,))
                ]
                label = ", ".join(t for t in targets if t) or text(value.get("ceterms:description"))
            else:
                node, _npath = graph.resolve(m, value, vpath)
                label = concept_label(node) if node else (value if isinstance(value, str) else None)
            if label:
                parts.append(f"{verb}: {label}")
                sources.append(vpath)
    if parts:
        m.set("credential.stackability", "; ".join(parts), *sources)


def _map_parts(m: Mapper, graph: _Graph, path: SrcPath) -> None:
    modules: list[dict[str, Any]] = []
    taken: set[str] = set()
    for value, vpath in m.items(path + ("ceterms:hasPart",)):
        node, npath = graph.resolve(m, value, vpath)
        if node is None:
            continue
        title = text(node.get("ceterms:name"))
        index = len(modules)
        entry: dict[str, Any] = {
            "id": unique(slug(node.get("ceterms:ctid"), node.get("@id"), title, fallback=f"part-{index + 1}"), taken)
        }
        m.record(f"modules[{index}]", npath, consume=False)
        m.use(vpath)
        if title:
            entry["title"] = title
            m.record(f"modules[{index}].title", npath + ("ceterms:name",))
        for dur, dpath in m.items(npath + ("ceterms:estimatedDuration",)):
            if isinstance(dur, dict):
                hours, _why = duration_hours(dur.get("ceterms:exactDuration"), days=False)
                if hours is not None:
                    entry["hours"] = hours
                    m.record(f"modules[{index}].hours", dpath + ("ceterms:exactDuration",))
                    break
        modules.append(entry)
    if modules:
        m.data["modules"] = modules
        m.record("modules", path + ("ceterms:hasPart",), consume=False)
