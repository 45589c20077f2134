"""`qa-engine import` and `qa-engine check --from` end to end, on the public samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from realdata import DATA, ELM, OB, VAL, skip_module_without_samples  # noqa: E402

from qa_engine.cli import cli
from qa_engine.formats.loader import load_dossier
from qa_engine.importers import import_document

skip_module_without_samples()
AS_OF = ["--as-of", "2026-01-01"]

#: Every sample that imports (the rejected ones are covered below), and our own documents.
IMPORTABLE = [
    OB / "basicOpenBadgeCredential.json",
    OB / "fullOpenBadge.json",
    OB / "achievementAlignmentCase.json",
    OB / "achievementAlignmentCe.json",
    OB / "skillAssertionCase.json",
    OB / "skillAssertionCtdl.json",
    VAL / "ob30_simple.json",
    VAL / "ob30_simple-noproof.json",
    VAL / "ob30_simple-err-expired.json",
    VAL / "clr20_simple.json",
    VAL / "clr20_simple-noproof.json",
    ELM / "Sample-CertOfPart-unsigned.jsonld",
    ELM / "credential-sample.jsonld",
    DATA / "elm" / "microcredential.jsonld",
    DATA / "ctdl" / "certificate.json",
    DATA / "ctdl" / "learning-program-graph.json",
    DATA / "ctdl" / "course.json",
]


def run(*args: str, input: str | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def two_credential_clr(tmp_path: Path) -> Path:
    doc = json.loads((VAL / "clr20_simple.json").read_text(encoding="utf-8"))
    second = json.loads(json.dumps(doc["credentialSubject"]["verifiableCredential"][0]))
    second["id"] = "urn:uuid:00000000-0000-4000-8000-000000000002"
    second["credentialSubject"]["achievement"]["name"] = "Leadership"
    doc["credentialSubject"]["verifiableCredential"].append(second)
    path = tmp_path / "two.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- import


def test_import_to_stdout_gives_a_loadable_dossier() -> None:
    res = run("import", "auto", str(OB / "basicOpenBadgeCredential.json"), *AS_OF)
    assert res.exit_code == 0, res.output
    d = load_dossier(text=res.stdout)
    assert d.title == "Teamwork" and d.source is not None and d.source.format == "openbadges-3.0"
    assert d.source.provenance["credential.title"] == "$.credentialSubject.achievement.name"
    assert "imported 1 dossier (openbadges-3.0)" in res.stderr


def test_import_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "cert.yaml"
    res = run("import", "elm", str(ELM / "Sample-CertOfPart-unsigned.jsonld"), "-o", str(out))
    assert res.exit_code == 0, res.output
    d = load_dossier(out)
    assert d.credential is not None and d.credential.participation is not None
    assert d.credential.participation.mode == "online"
    assert res.stdout == "" and str(out) in res.stderr


def test_import_from_stdin() -> None:
    text = (DATA / "ctdl" / "certificate.json").read_text(encoding="utf-8")
    res = run("import", "ctdl", "-", input=text)
    assert res.exit_code == 0, res.output
    d = load_dossier(text=res.stdout)
    assert d.source is not None and d.source.file == "<stdin>"


def test_import_a_clr_with_several_credentials(tmp_path: Path) -> None:
    clr = two_credential_clr(tmp_path)
    # stdout: a YAML stream, one document per dossier
    res = run("import", "clr", str(clr), *AS_OF)
    assert res.exit_code == 0, res.output
    parts = [p for p in res.stdout.split("---\n") if p.strip()]
    assert res.stdout.startswith("---\n") and len(parts) == 2
    assert [load_dossier(text=p).title for p in parts] == ["Teamwork", "Leadership"]
    # -o: a folder with one file per dossier
    folder = tmp_path / "out"
    res = run("import", "auto", str(clr), "-o", str(folder), *AS_OF)
    assert res.exit_code == 0, res.output
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["example.com-credentials-3527.yaml", "urn-uuid-00000000-0000-4000-8000-000000000002.yaml"]
    assert {load_dossier(folder / f).title for f in files} == {"Teamwork", "Leadership"}
    # -o naming an existing file cannot hold two dossiers
    existing = tmp_path / "existing.yaml"
    existing.write_text("x", encoding="utf-8")
    res = run("import", "clr", str(clr), "-o", str(existing))
    assert res.exit_code == 2
    assert "must name a folder" in res.stderr and existing.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(
    ("sample", "fmt", "expected"),
    [
        (VAL / "ob30_simple-err-type.json", "auto", "`$.type` must include OpenBadgeCredential or AchievementCredential, got"),
        (VAL / "ob30_simple-err-type.json", "ob3", "OtherCredential"),
        (
            VAL / "ob30_simple-err-credential-subject-achievement-result-description-type.json",
            "auto",
            "`$.credentialSubject.achievement.resultDescription[2].type` must include ResultDescription, got 'InvalidResultDescription'",
        ),
        (DATA / "ctdl" / "organization.json", "auto", "must be a CTDL credential class"),
        (OB / "context-3.0.3.json", "auto", "is a JSON-LD context document, not a credential"),
        (ELM / "loq_withLearningAchievementSpecification.xml", "elm", "is an XML document"),
        (OB / "basicOpenBadgeCredential.json", "clr", "must include ClrCredential"),
    ],
)
def test_wrong_or_unsupported_documents_exit_2_with_what_was_expected(sample: Path, fmt: str, expected: str) -> None:
    res = run("import", fmt, str(sample))
    assert res.exit_code == 2
    err = res.stderr.strip()
    assert expected in err and err.startswith("qa-engine: error: ")
    assert "Traceback" not in res.output and len(err.splitlines()) == 1
    assert res.stdout == ""


def test_expired_credential_imports_with_a_note() -> None:
    res = run("import", "auto", str(VAL / "ob30_simple-err-expired.json"), *AS_OF)
    assert res.exit_code == 0, res.output
    d = load_dossier(text=res.stdout)
    assert d.source is not None
    assert any("the credential itself has expired" in n for n in d.source.notes)


# --------------------------------------------------------------------------- check --from


def test_check_from_auto_with_the_starter_ruleset() -> None:
    res = run(
        "check", str(OB / "fullOpenBadge.json"), "--from", "auto", "--ruleset", "qa-starter", "-f", "json", *AS_OF
    )
    assert res.exit_code in (0, 1), res.output
    report = json.loads(res.stdout)
    assert report["dossier"]["imported_from"] == "openbadges-3.0"
    assert report["dossier"]["file"] == str(OB / "fullOpenBadge.json")
    assert any("creditsAvailable" in n for n in report["dossier"]["import_notes"])
    sources = [e["source"] for c in report["criteria"] for e in c["evidence"] if e["source"]]
    assert "$.issuer.name" in sources or any(s.startswith("$.") for s in sources)


def test_check_from_clr_gives_one_report_per_credential(tmp_path: Path) -> None:
    clr = two_credential_clr(tmp_path)
    res = run("check", str(clr), "--from", "clr", "--ruleset", "qa-starter", "-f", "json", *AS_OF)
    assert res.exit_code in (0, 1), res.output
    reports = json.loads(res.stdout)
    assert isinstance(reports, list) and len(reports) == 2
    assert [r["dossier"]["title"] for r in reports] == ["Teamwork", "Leadership"]
    assert all(r["dossier"]["file"].startswith(f"{clr}#") for r in reports)


def test_check_from_a_wrong_type_exits_2() -> None:
    res = run("check", str(VAL / "ob30_simple-err-type.json"), "--from", "auto", "--ruleset", "qa-starter")
    assert res.exit_code == 2
    assert "must include OpenBadgeCredential or AchievementCredential" in res.stderr
    assert "Traceback" not in res.output


def _eu_ruleset_loads() -> bool:
    try:
        from qa_engine.rules.registry import Registry

        Registry().ruleset("eu-microcredential")
    except Exception:
        return False
    return True


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == "" or value == {}


@pytest.mark.skipif(not _eu_ruleset_loads(), reason="the eu-microcredential ruleset is not loadable yet")
@pytest.mark.parametrize("sample", IMPORTABLE, ids=lambda p: p.name)
def test_eu_check_reports_missing_elements_and_the_provenance_of_found_ones(sample: Path) -> None:
    res = run("check", str(sample), "--from", "auto", "--ruleset", "eu-microcredential", "-f", "json")
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(res.stdout)
    reports = doc if isinstance(doc, list) else [doc]
    assert len(reports) == len(import_document(sample).dossiers)
    for report in reports:
        assert report["ruleset"]["id"] == "eu-microcredential"
        assert report["dossier"]["imported_from"] in ("openbadges-3.0", "clr-2.0", "elm-3", "ctdl")
        for crit in report["criteria"]:
            evidence = crit["evidence"]
            if not evidence:
                continue
            carried = [e for e in evidence if not _empty(e["value"])]
            if not carried:
                # the sample does not carry the element: reported missing, never passed
                assert crit["state"] in ("not_met", "unknown"), (crit["id"], crit["state"])
            for item in carried:
                # every element the sample carries is found, with where it came from
                assert item["source"] and item["source"].startswith("$"), (crit["id"], item)
