"""The audit report as PDF (WeasyPrint): what a reader sees, checked on the rendered pages.

The PDF is rendered to images and text with pypdfium2 (PDFium, the engine of Chrome's
PDF viewer): its pages are A4, page 1 carries the title, the decision in its banner
colour and the hashes, every page has the running footer, dossier text stays text,
and the same report gives the same bytes (the date in the metadata only when asked).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import AS_OF, EXAMPLES
from click.testing import CliRunner

from qa_engine.cli import cli
from qa_engine.formats.loader import load_dossier
from qa_engine.rules.registry import Registry
from qa_engine.services.check import check_dossier, resolve

pdfium = pytest.importorskip("pypdfium2") if not os.environ.get("CI") else __import__("pypdfium2")
try:
    import weasyprint  # noqa: F401
except (ImportError, OSError):  # pragma: no cover - CI installs it
    if os.environ.get("CI"):
        raise
    pytest.skip("WeasyPrint or Pango is missing", allow_module_level=True)

from qa_engine.render.pdf import _fetcher, html_to_pdf, render_pdf  # noqa: E402

DAY = dt.date.fromisoformat(AS_OF)
FAIL_BG = (0x99, 0x1B, 0x1B)  # --fail-bg of report.css: the "not accredited" banner


def _pages(data: bytes) -> Any:
    return pdfium.PdfDocument(data)


def _text(doc: Any, index: int) -> str:
    return str(doc[index].get_textpage().get_text_range())


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A dossier that is not accredited, as PDF written by `check --format pdf`."""
    tmp = tmp_path_factory.mktemp("pdf")
    target = tmp / "report.pdf"
    src = EXAMPLES / "mooc-climate-literacy.yaml"
    res = CliRunner().invoke(cli, ["check", str(src), "--as-of", AS_OF, "--format", "pdf", "-o", str(target)])
    assert res.exit_code == 1, res.stderr  # does not pass
    setup = resolve(as_of=DAY, registry=Registry())
    report = check_dossier(setup, load_dossier(src), file=str(src))
    assert report.decision == "not_accredited"
    return {"pdf": target.read_bytes(), "report": report, "setup": setup, "src": src}


def test_the_pdf_reads_like_the_audit_report(failing: dict[str, Any], tmp_path: Path) -> None:
    data, report = failing["pdf"], failing["report"]
    assert data.startswith(b"%PDF-")
    doc = _pages(data)
    assert len(doc) >= 2
    for i in range(len(doc)):
        w, h = doc[i].get_size()
        assert abs(w - 595.3) < 1 and abs(h - 841.9) < 1  # A4 portrait
        assert f"page {i + 1} of {len(doc)}" in _text(doc, i)
        assert f"{report.dossier.id} · qa-starter@1.0.0 · as of {AS_OF}" in _text(doc, i)
    first = _text(doc, 0)
    for words in ("ACCREDITATION AUDIT REPORT", report.dossier.title, report.decision_label,
                  report.dossier.sha256, report.ruleset.sha256):
        assert words in first
    # every criterion is in the document, with its explanation
    whole = "\n".join(_text(doc, i) for i in range(len(doc)))
    flat = " ".join(whole.split())
    for c in report.criteria:
        assert c.id in whole
        assert " ".join(c.title.split())[:40] in flat
    # the decision banner is there in its colour (page 1, top third), the page is white
    image = doc[0].render(scale=1).to_pil().convert("RGB")
    image.save(tmp_path / "page1.png")
    top = image.crop((0, 0, image.width, image.height // 3))
    colours = top.getcolors(maxcolors=1 << 20) or []
    banner = sum(n for n, rgb in colours if all(abs(a - b) <= 6 for a, b in zip(rgb, FAIL_BG, strict=True)))
    assert banner > 0.04 * top.width * top.height
    white = sum(n for n, rgb in image.getcolors(maxcolors=1 << 20) or [] if min(rgb) >= 250)
    assert white > 0.6 * image.width * image.height


def test_the_same_report_gives_the_same_bytes_and_no_clock(failing: dict[str, Any]) -> None:
    again = render_pdf(failing["report"])
    assert again == failing["pdf"]
    meta = _pages(again).get_metadata_dict()
    assert meta["CreationDate"] == "" and meta["ModDate"] == ""
    assert meta["Title"].startswith("Audit report: ") and meta["Creator"].startswith("qa-engine")
    dated = render_pdf(failing["report"], date=dt.date(2026, 3, 1))
    assert _pages(dated).get_metadata_dict()["CreationDate"].startswith("D:20260301")


def test_dossier_text_stays_text(failing: dict[str, Any]) -> None:
    payload = '<b>bold?</b> <script>alert(1)</script> & "quotes"'
    dossier = load_dossier(failing["src"]).model_copy(update={"title": payload})
    report = check_dossier(failing["setup"], dossier, file="x.yaml")
    text = " ".join(_text(_pages(render_pdf(report)), 0).split())
    assert payload in text


def test_the_renderer_fetches_nothing() -> None:
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/a.css"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            _fetcher().fetch(url)
    html = '<html><head></head><body><p>hello</p><img src="file:///etc/hostname"></body></html>'
    doc = _pages(html_to_pdf(html, footer='a "quoted" footer \\ done'))
    text = _text(doc, 0)
    assert "hello" in text and 'a "quoted" footer \\ done' in text


def test_report_command_renders_stored_evaluations_as_pdf(tmp_path: Path) -> None:
    out, db = tmp_path / "out", str(tmp_path / "qa.sqlite")
    res = CliRunner().invoke(
        cli, ["batch", str(EXAMPLES / "mooc-intro-ai.yaml"), "--as-of", AS_OF, "--out", str(out),
              "--db", db, "--html", "none"],
    )
    assert res.exit_code == 0, res.stderr
    target = tmp_path / "r.pdf"
    res = CliRunner().invoke(cli, ["report", "1", "--db", db, "--format", "pdf", "-o", str(target),
                                   "--date", "2026-02-01"])
    assert res.exit_code in (0, 1), res.stderr
    doc = _pages(target.read_bytes())
    assert "mooc-intro-ai" in _text(doc, 0)
    assert doc.get_metadata_dict()["CreationDate"].startswith("D:20260201")


def test_check_pdf_needs_an_output_file() -> None:
    res = CliRunner().invoke(cli, ["check", str(EXAMPLES / "mooc-intro-ai.yaml"), "--format", "pdf"])
    assert res.exit_code == 2 and "--format pdf needs -o FILE" in res.stderr
