"""Exports of a decision (DEQAR, ELM v3, CTDL): written only when they meet the
receiver's rules; the ELM terms are checked against the published ELM v3 context."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from realdata import ELM
from trust_helpers import EX, ROOT, make_decision, run, write_decision

AGENCY = ROOT / "examples" / "agency" / "agency.yaml"
ELM_CONTEXT = ELM / "edc-ap-context.jsonld"  # the published context, read where the samples are


@pytest.fixture()
def uni(tmp_path: Path) -> Path:
    return write_decision(tmp_path / "decision.json", make_decision("uni-data-analytics", decision_id=3))


def _export(kind: str, decision: Path, out: Path, *, dossier: str = "uni-data-analytics", agency: Path = AGENCY):
    return run("export", kind, str(decision), "--dossier", str(EX / f"{dossier}.yaml"), "--agency", str(agency), "-o", str(out))


def test_deqar_report(uni: Path, tmp_path: Path) -> None:
    out = tmp_path / "deqar.json"
    res = _export("deqar", uni, out)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["agency"] == "EXQA" and doc["status"] == "voluntary" and doc["decision"] == "1"
    assert doc["valid_from"] == "2026-01-15" and doc["valid_to"] == "2031-01-14" and doc["date_format"] == "%Y-%m-%d"
    assert doc["report_files"][0]["original_location"] == "https://qa.example.org/decisions/3/report.pdf"
    assert doc["report_files"][0]["report_language"] == ["eng"]
    prog = doc["programmes"][0]
    assert prog["workload_ects"] == 5 and prog["qf_ehea_level"] == "first cycle" and prog["degree_outcome"] == "2"
    assert all(lo.startswith("http://data.europa.eu/esco/") for lo in prog["learning_outcomes"])
    assert doc["institutions"] == [{"identifiers": [{"identifier": "NL WESTERV01"}]}]


def test_deqar_rules_refuse_and_write_nothing(tmp_path: Path) -> None:
    boot = write_decision(tmp_path / "boot.json", make_decision("bootcamp-web-dev"))
    out = tmp_path / "deqar.json"
    res = _export("deqar", boot, out, dossier="bootcamp-web-dev")
    assert res.exit_code == 2 and not out.exists()
    assert "programmes[0].workload_ects: whole ECTS credits are required" in res.stderr
    # a profile without activity and institution: every problem is listed at once
    profile = yaml.safe_load(AGENCY.read_text())
    del profile["deqar"]["activity"]
    profile["deqar"]["institution"] = {}
    profile["deqar"]["status"] = "part of obligatory EQA system"
    bad = tmp_path / "agency.yaml"
    bad.write_text(yaml.safe_dump(profile))
    uni = write_decision(tmp_path / "uni.json", make_decision("uni-data-analytics"))
    res = _export("deqar", uni, out, agency=bad)
    assert res.exit_code == 2 and not out.exists()
    for needle in ("activity: an ESG activity", "institutions[0]: needs a DEQAR id",
                   "status: must be 'voluntary' when the provider is an alternative provider", "(3 problems)"):
        assert needle in res.stderr, needle


def test_export_refuses_another_dossier_version(uni: Path, tmp_path: Path) -> None:
    changed = tmp_path / "uni.yaml"
    changed.write_text((EX / "uni-data-analytics.yaml").read_text().replace("ects: 5", "ects: 6"))
    res = run("export", "deqar", str(uni), "--dossier", str(changed), "--agency", str(AGENCY), "-o", str(tmp_path / "x.json"))
    assert res.exit_code == 2 and "not the version decided on" in res.stderr


def _terms(value: object) -> set[str]:
    if isinstance(value, dict):
        own = {k for k in value if not k.startswith("@") and k not in ("id", "type")}
        langmaps = {"title", "legalName", "prefLabel"}
        return own | {t for k, v in value.items() if k not in langmaps for t in _terms(v)}
    if isinstance(value, list):
        return {t for v in value for t in _terms(v)}
    return set()


def test_elm_accreditation_uses_only_elm_v3_terms(uni: Path, tmp_path: Path) -> None:
    out = tmp_path / "elm.json"
    res = _export("elm", uni, out)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["type"] == "Accreditation"
    assert doc["dcType"]["id"] == "http://data.europa.eu/snb/accreditation/e57dddfcf3"
    assert doc["organisation"]["legalName"] == {"en": "Code Academy Ltd"}
    assert doc["organisation"]["location"]["address"]["countryCode"]["id"].endswith("/country/IRL")
    assert doc["accreditingAgent"]["legalName"] == {"en": "Example Quality Agency"}
    assert doc["limitEQFLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    assert doc["expiryDate"] == "2031-01-14T23:59:59Z"
    assert doc["report"]["language"][0]["id"].endswith("/language/ENG")
    if not ELM_CONTEXT.is_file():
        if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            pytest.fail(f"the ELM v3 context is not at {ELM_CONTEXT} (set QA_ENGINE_REALDATA)")
        pytest.skip(f"the ELM v3 context is not at {ELM_CONTEXT} (set QA_ENGINE_REALDATA)")
    context = json.loads(ELM_CONTEXT.read_text())["@context"]
    types = {t for t in context}
    unknown = sorted(t for t in _terms(doc) if t not in context)
    assert unknown == [], f"terms not in the ELM v3 context: {unknown}"
    for node_type in ("Accreditation", "Concept", "Organisation", "WebResource", "Location", "Address", "Qualification"):
        assert node_type in types


def test_negative_decisions_are_not_accreditations(tmp_path: Path) -> None:
    mooc = make_decision("mooc-intro-ai")
    assert mooc.outcome == "not_accredited"
    dec = write_decision(tmp_path / "mooc.json", mooc)
    for kind in ("elm", "ctdl"):
        res = _export(kind, dec, tmp_path / f"{kind}.json", dossier="mooc-intro-ai")
        assert res.exit_code == 2 and "not_accredited decision is not exported" in res.stderr, kind


def test_ctdl_accredit_action(uni: Path, tmp_path: Path) -> None:
    out = tmp_path / "ctdl.json"
    res = _export("ctdl", uni, out)
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["@type"] == "ceterms:AccreditAction"
    assert doc["ceterms:ctid"].startswith("ce-") and doc["@id"].endswith(doc["ceterms:ctid"])
    assert doc["ceterms:actingAgent"] == ["https://credentialengineregistry.org/resources/ce-5f0c1a8e-4b7d-4d51-9d2a-3c6e7f8a9b10"]
    assert doc["ceterms:object"].endswith("ce-9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d")
    assert doc["ceterms:startDate"] == "2026-01-15" and doc["ceterms:endDate"] == "2031-01-14"
    assert doc["ceterms:evidenceOfAction"] == "https://qa.example.org/decisions/3"
    # the same decision always gets the same CTID
    again = tmp_path / "again.json"
    _export("ctdl", uni, again)
    assert json.loads(again.read_text())["ceterms:ctid"] == doc["ceterms:ctid"]
    # without the programme's registry object the export is refused
    profile = yaml.safe_load(AGENCY.read_text())
    del profile["ctdl"]["object"]
    bad = tmp_path / "agency.yaml"
    bad.write_text(yaml.safe_dump(profile))
    res = _export("ctdl", uni, tmp_path / "x.json", agency=bad)
    assert res.exit_code == 2 and "ceterms:object" in res.stderr


def test_bad_profile_is_one_clear_error(uni: Path, tmp_path: Path) -> None:
    bad = tmp_path / "agency.yaml"
    bad.write_text("name: [unclosed\n")
    res = _export("deqar", uni, tmp_path / "x.json", agency=bad)
    assert res.exit_code == 2 and "agency.yaml:" in res.stderr and "not YAML" in res.stderr
    bad.write_text("name: X\nhomepage: https://x\n")
    res = _export("deqar", uni, tmp_path / "x.json", agency=bad)
    assert res.exit_code == 2 and "at base_url" in res.stderr


def test_example_decision_rests_on_the_example_dossier_and_bundled_ruleset() -> None:
    """examples/decisions/uni-data-analytics.json (used by `make demo` and the README)
    names the example dossier and ruleset by their current hashes."""
    from qa_engine.formats.loader import load_dossier
    from qa_engine.rules.registry import Registry
    from qa_engine.services.check import dossier_sha256
    from qa_engine.services.trust import load_decision

    d = load_decision(ROOT / "examples" / "decisions" / "uni-data-analytics.json")
    dossier = load_dossier(EX / "uni-data-analytics.yaml")
    assert d.programme.dossier_sha256 == dossier_sha256(dossier), (
        f"update programme.dossier_sha256 in examples/decisions/uni-data-analytics.json to {dossier_sha256(dossier)}")
    rs = Registry().ruleset(f"{d.ruleset.id}@{d.ruleset.version}")
    assert rs.sha256 == d.ruleset.sha256
    assert Registry().rubric_for(rs, f"{d.rubric.id}@{d.rubric.version}").sha256 == d.rubric.sha256
