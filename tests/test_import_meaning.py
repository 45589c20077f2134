"""Import by meaning: each Annex I element comes from the property whose definition *is*
that element (docs/import-mapping.md). Related-but-not-equal data is recorded in
``source.unresolved`` and leaves its criterion unknown, never met and never silently not
met. Checked on every public sample and on one-element mutations of them: removing or
changing one element changes exactly its criterion."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from realdata import DATA, ELM, OB, VAL, skip_module_without_samples  # noqa: E402

from qa_engine.importers import import_document
from qa_engine.services.check import check_dossier, resolve

skip_module_without_samples()

AS_OF = date(2026, 6, 1)
SETUP = resolve(ruleset="eu-microcredential@1.1.0", as_of=AS_OF, engine="python")
MANDATORY = [f"EU-{n:02d}" for n in range(1, 12)]


def states(doc: Path | dict[str, Any], fmt: str = "auto") -> dict[str, str]:
    result = import_document(doc, fmt, as_of=AS_OF, file="sample.json")
    assert len(result.dossiers) == 1
    report = check_dossier(SETUP, result.dossiers[0])
    return {c.id: c.state for c in report.criteria}


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def changed(before: dict[str, str], after: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


# The mandatory elements of every sample, by meaning (u = unknown, n = not met,
# m = met, e = exemplary, p = partially met), EU-01 .. EU-11.
EXPECTED = {
    VAL / "ob30_simple.json": "m m n u u n n n u n n",
    VAL / "ob30_simple-noproof.json": "m m n u m n n n n n n",
    VAL / "ob30_simple-err-expired.json": "m m n u u n n n u n n",
    VAL / "clr20_simple.json": "m m n u u n n n u n n",
    VAL / "clr20_simple-noproof.json": "m m n m m n n n n n n",
    OB / "basicOpenBadgeCredential.json": "m m n u u n n n u n n",
    OB / "fullOpenBadge.json": "m m e e u n u n u n n",
    OB / "achievementAlignmentCase.json": "m m n u u n n n u n n",
    OB / "achievementAlignmentCe.json": "m m n u u n n n u n n",
    OB / "skillAssertionCase.json": "m m n u u n n n u n n",
    OB / "skillAssertionCtdl.json": "m m n u u n n n u n n",
    ELM / "credential-sample.jsonld": "m m e m m n n n n n n",
    ELM / "Sample-CertOfPart-unsigned.jsonld": "m m e e u n p n n m n",
}
_LETTER = {"u": "unknown", "n": "not_met", "m": "met", "e": "exemplary", "p": "partially_met"}


@pytest.mark.parametrize("sample", sorted(EXPECTED), ids=lambda p: p.name)
def test_every_sample_is_judged_by_meaning(sample: Path) -> None:
    got = states(sample)
    want = [_LETTER[x] for x in EXPECTED[sample].split()]
    assert [got[c] for c in MANDATORY] == want


@pytest.mark.parametrize("sample", sorted(EXPECTED), ids=lambda p: p.name)
def test_related_data_never_gives_met_or_not_met(sample: Path) -> None:
    """Whatever the importer marks as only related leaves its criteria undecided."""
    result = import_document(sample, "auto", as_of=AS_OF)
    d = result.dossiers[0]
    assert d.source is not None
    report = check_dossier(SETUP, d)
    for c in report.criteria:
        paths = [e.path for e in c.evidence]
        if any(p == key or p.startswith(key + ".") or key.startswith(p + ".")
               for p in paths for key in d.source.unresolved or {}):
            assert c.state in ("unknown", "partially_met", "not_applicable"), c.id
            if c.state == "unknown":
                assert "related to this element but not the element itself" in c.explanation
    # every unresolved element is also in the import notes, and its source in provenance
    for key in d.source.unresolved or {}:
        assert any(n.startswith(f"related, not the element: {key}") for n in d.source.notes)


# --------------------------------------------------------------------------- mutations


def test_ob3_validfrom_alone_is_unknown_awarded_date_is_met_none_is_not_met() -> None:
    doc = load(OB / "basicOpenBadgeCredential.json")
    base = states(doc)
    assert base["EU-05"] == "unknown"
    awarded = copy.deepcopy(doc)
    awarded["awardedDate"] = "2010-01-01T00:00:00Z"
    assert changed(base, states(awarded)) == {"EU-05": ("unknown", "met")}
    gone = copy.deepcopy(doc)
    del gone["validFrom"]
    assert changed(base, states(gone)) == {"EU-05": ("unknown", "not_met")}


def test_ob3_issuance_date_removed_changes_only_the_issue_date() -> None:
    doc = load(VAL / "ob30_simple-noproof.json")
    base = states(doc)
    gone = copy.deepcopy(doc)
    del gone["issuanceDate"]
    assert changed(base, states(gone)) == {"EU-05": ("met", "not_met")}


def test_ob3_issuer_alone_stands_in_for_the_awarding_body() -> None:
    """In the CLR the achievement's creator is the issuer: the awarding body is met.
    Remove the creator and the issuer only stands in for it: unknown."""
    doc = load(VAL / "clr20_simple-noproof.json")
    base = states(doc, "clr")
    assert base["EU-04"] == "met"
    mutated = copy.deepcopy(doc)
    inner = mutated["credentialSubject"]["verifiableCredential"][0]
    del inner["credentialSubject"]["achievement"]["creator"]
    assert changed(base, states(mutated, "clr")) == {"EU-04": ("met", "unknown")}


def test_ob3_credits_of_an_unstated_system_are_unknown_not_ects() -> None:
    doc = load(OB / "fullOpenBadge.json")
    base = states(doc)
    assert base["EU-07"] == "unknown"
    gone = copy.deepcopy(doc)
    del gone["credentialSubject"]["achievement"]["creditsAvailable"]
    assert changed(base, states(gone)) == {"EU-07": ("unknown", "not_met")}


def test_ob3_criteria_narrative_is_only_related_to_the_type_of_assessment() -> None:
    doc = load(OB / "basicOpenBadgeCredential.json")
    base = states(doc)
    assert base["EU-09"] == "unknown"
    gone = copy.deepcopy(doc)
    del gone["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert changed(base, states(gone)) == {"EU-09": ("unknown", "not_met")}


def test_ob3_achievement_is_a_description_not_an_award() -> None:
    achievement = load(OB / "basicOpenBadgeCredential.json")["credentialSubject"]["achievement"]
    got = states(achievement)
    assert got["EU-01"] == "unknown" and got["EU-05"] == "unknown"
    assert got["EU-02"] == "met"


def test_elm_issued_is_the_date_of_issuing_validity_start_is_only_related() -> None:
    doc = load(ELM / "credential-sample.jsonld")
    base = states(doc)
    assert base["EU-05"] == "met"
    mutated = copy.deepcopy(doc)
    del mutated["issued"]
    assert changed(base, states(mutated)) == {"EU-05": ("met", "unknown")}
    for key in ("issuanceDate", "validFrom"):
        del mutated[key]
    assert changed(base, states(mutated)) == {"EU-05": ("met", "not_met")}


def test_elm_awarding_body_by_reference_only_is_unknown() -> None:
    doc = load(ELM / "credential-sample.jsonld")
    base = states(doc)
    mutated = copy.deepcopy(doc)
    mutated["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"] = "http://example.org/org-elsewhere"
    assert changed(base, states(mutated)) == {"EU-04": ("met", "unknown")}
    gone = copy.deepcopy(doc)
    del gone["credentialSubject"]["hasClaim"]["awardedBy"]["awardingBody"]
    assert changed(base, states(gone)) == {"EU-04": ("met", "not_met")}


def test_elm_learner_removed_changes_only_learner_identification() -> None:
    doc = load(ELM / "credential-sample.jsonld")
    base = states(doc)
    mutated = copy.deepcopy(doc)
    for key in ("birthName", "familyName", "fullName", "givenName"):
        del mutated["credentialSubject"][key]
    assert changed(base, states(mutated)) == {"EU-01": ("met", "not_met")}


def test_elm_title_removed_changes_only_the_title() -> None:
    doc = load(ELM / "credential-sample.jsonld")
    base = states(doc)
    mutated = copy.deepcopy(doc)
    del mutated["credentialSubject"]["hasClaim"]["title"]
    del mutated["displayParameter"]
    assert changed(base, states(mutated)) == {"EU-02": ("met", "not_met")}


def test_ctdl_description_leaves_learner_and_issue_date_unknown() -> None:
    got = states(DATA / "ctdl" / "certificate.json")
    assert got["EU-01"] == "unknown" and got["EU-05"] == "unknown"


def test_ctdl_credit_in_another_unit_is_unknown() -> None:
    doc = load(DATA / "ctdl" / "certificate.json")
    base = states(doc)
    mutated = copy.deepcopy(doc)
    node = mutated["@graph"][0] if "@graph" in mutated else mutated
    node["ceterms:creditValue"] = [
        {"@type": "ceterms:ValueProfile", "schema:value": 3,
         "ceterms:creditUnitType": {"ceterms:targetNodeName": "Semester hours"}}
    ]
    node.pop("ceterms:estimatedDuration", None)
    after = states(mutated)
    assert after["EU-07"] == "unknown"
    assert {k for k in changed(base, after)} <= {"EU-07"}
