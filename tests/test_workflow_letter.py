"""The decision letter as PDF (WeasyPrint), from the same HTML as the web view: rendered
to images and text with pypdfium2 and looked at; deterministic apart from the signing date."""

from __future__ import annotations

import datetime as _dt
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from workflow_helpers import decided_case

from qa_engine.cli import cli
from qa_engine.errors import WorkflowError
from qa_engine.services.workflow import service as wf
from qa_engine.store import open_store

pdfium = pytest.importorskip("pypdfium2") if not os.environ.get("CI") else __import__("pypdfium2")
try:
    import weasyprint  # noqa: F401
except (ImportError, OSError):  # pragma: no cover - CI installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("WeasyPrint or Pango is missing", allow_module_level=True)

SIGNED = _dt.date(2026, 3, 3)


@pytest.fixture
def decided(sqlite_url: str) -> Any:
    store = open_store(sqlite_url)
    world = decided_case(store)
    yield store, world, sqlite_url
    store.close()


def test_letter_reads_right_and_is_deterministic(decided: Any, tmp_path: Path) -> None:
    store, world, url = decided
    coord, prov = world["who"]["coord"], world["who"]["prov"]
    did = world["decision"].id
    target = tmp_path / "letter.pdf"
    res = CliRunner().invoke(cli, ["letter", str(did), "--signed-on", "2026-03-03", "-o", str(target),
                                   "--as", prov.email, "--db", url])
    assert res.exit_code == 0, res.output
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    doc = pdfium.PdfDocument(data)
    text = " ".join(str(doc[i].get_textpage().get_text_range()) for i in range(len(doc)))
    flat = " ".join(text.split())
    for expected in ("Full-Stack Web Development Bootcamp", "Accredited with conditions", "valid from 2026-03-02 until 2029-03-01",
                     "C1", "ST-AS-01", "Assess every learning outcome.", "2026-05-01",
                     "two of eight outcomes are unassessed", "Ada Chair (chair)", "signed on 2026-03-03",
                     world["decision"].dossier_sha256):
        assert expected in flat, (expected, flat)
    # looked at: page 1 rendered, A4, ink on the page (not a blank render)
    page = doc[0]
    w, h = page.get_size()
    assert abs(w - 595) < 2 and abs(h - 842) < 2
    img = page.render(scale=1).to_pil().convert("L")
    dark = sum(1 for px in img.tobytes() if px < 128)
    assert dark > 2000, dark
    # the same decision and signing date give the same bytes; only the date changes them
    again = wf.letter(store, coord, did, signed_on=SIGNED)
    assert again == data
    other = wf.letter(store, coord, did, signed_on=_dt.date(2026, 3, 4))
    assert other != data and b"2026-03-04" not in data
    html = wf.letter(store, coord, did, fmt="html", signed_on=SIGNED).decode()
    assert "Accredited with conditions" in html and "<script>" in html  # the web view's document


def test_a_reviewer_off_the_panel_gets_no_letter(decided: Any) -> None:
    store, world, url = decided
    res = CliRunner().invoke(cli, ["letter", str(world["decision"].id), "--as", "dee@body.example", "--db", url])
    assert res.exit_code == 2 and f"there is no decision {world['decision'].id}" in res.stderr


def test_dossier_and_user_text_is_escaped_in_the_letter(decided: Any) -> None:
    store, world, _url = decided
    coord = world["who"]["coord"]
    model = wf.as_model(store, world["decision"], {})
    hostile = model.model_copy(update={"rationale": "<script>alert(1)</script> & <b>bold</b>"})
    from qa_engine.render.letter import letter_html

    html = letter_html(hostile)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # a rationale with terminal control characters is refused before anything is written
    panel = world["panel"]
    with pytest.raises(WorkflowError, match="the rationale holds control characters"):
        wf.decide(store, coord, panel.id, rationale="ok\x1b[31m red", people={})


def test_decision_json_is_signable(decided: Any, tmp_path: Path) -> None:
    """`decisions show` writes the Decision model the trust commands take."""
    from qa_engine.formats.decision import Decision

    _store, world, url = decided
    out = tmp_path / "d.json"
    res = CliRunner().invoke(cli, ["decisions", "show", str(world["decision"].id), "-o", str(out),
                                   "--as", "coord@body.example", "--db", url])
    assert res.exit_code == 0, res.output
    d = Decision.model_validate_json(out.read_text())
    assert d.outcome == "accredited_with_conditions" and d.conditions[0].criteria == ["ST-AS-01"]
    assert d.panel[0].role == "chair" and d.decided_by == "Cora Coordinator"
    keys = tmp_path / "keys"
    made = CliRunner().invoke(cli, ["keys", "create", "--keys", str(keys), "--base-url", "https://body.example"])
    assert made.exit_code == 0, made.output
    signed = CliRunner().invoke(cli, ["decisions", "sign", str(out), "--keys", str(keys),
                                      "--status-dir", str(tmp_path / "status")])
    assert signed.exit_code == 0, signed.output
    assert '"credentialSubject"' in signed.stdout
