"""The compact store (schema 3): reports kept as zstd against their ruleset and rubric,
dossiers as plain zstd; read back byte for byte; the migration converts stores in
place on SQLite and PostgreSQL (and back), and the audit trail still verifies."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from batch_helpers import AS_OF, EXAMPLES
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from qa_engine.cli import cli
from qa_engine.services.batch import run_batch
from qa_engine.services.reports import render_stored
from qa_engine.store import codec, open_store
from qa_engine.store.schema import alembic_config
from tests.test_store_migrations import _sqlite_v1, pg_v1  # noqa: F401 - the fixture

DAY = __import__("datetime").date.fromisoformat(AS_OF)


def _raw(url: str, sql: str) -> list[Any]:
    eng = create_engine(url if "://" in url else f"sqlite:///{url}")
    try:
        with eng.connect() as conn:
            return list(conn.execute(text(sql)).all())
    finally:
        eng.dispose()


@pytest.fixture(scope="module")
def qr(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The examples as a quality-review batch (37 criteria) that writes every JSON file."""
    tmp = tmp_path_factory.mktemp("qr")
    out, db = tmp / "out", str(tmp / "qa.sqlite")
    res = run_batch([EXAMPLES], out=out, db=db, ruleset="quality-review", as_of=DAY, workers=2, html="none", json="all")
    assert res.evaluated == len(list(EXAMPLES.glob("*.yaml")))
    return {"out": out, "db": db}


def test_quality_review_reports_are_stored_compact_and_read_back_byte_identical(qr: dict[str, Any]) -> None:
    rows = _raw(qr["db"], "SELECT e.id, e.report_json, e.dossier_id, s.dossier_json FROM evaluation e "
                          "JOIN submission s ON s.id = e.submission_id")
    assert len(rows) == len(list(EXAMPLES.glob("*.yaml")))
    with open_store(qr["db"], create=False) as store:
        for eid, blob, dossier_id, dossier in rows:
            written = (qr["out"] / "reports" / f"{dossier_id}.json").read_bytes()
            assert len(written) > 100_000  # a quality-review report, ~135 KB as text
            assert blob[0] == codec.ZSTD_RULESET_DICT and len(blob) < 12_000, len(blob)
            assert store.report_text(eid).encode("utf-8") == written
            assert render_stored(store, eid, "json").content == written
            assert dossier[0] == codec.ZSTD_PLAIN and len(dossier) < len(codec.unpack_document(dossier)) / 2
        assert store.verify_audit().ok


def test_a_report_that_does_not_decode_is_one_clear_error(qr: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "broken.sqlite"
    db.write_bytes(Path(qr["db"]).read_bytes())
    with sqlite3.connect(db) as con:
        con.execute("UPDATE evaluation SET report_json = substr(report_json, 1, 200) WHERE id = 1")
    res = CliRunner().invoke(cli, ["report", "1", "--db", str(db), "--format", "json"])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "the report of evaluation 1 cannot be read" in res.stderr and "does not decode" in res.stderr
    verify = CliRunner().invoke(cli, ["audit", "verify", "--db", str(db)])
    assert verify.exit_code == 1 and "evaluation 1" in verify.output and "report_json" in verify.output


def test_codec_refuses_a_blob_of_other_versions_and_unknown_forms() -> None:
    a = codec.ReportCodec(codec.dictionary({"t": "alpha"}, {}), "a" * 64, "b" * 64)
    b = codec.ReportCodec(codec.dictionary({"t": "beta"}, {}), "c" * 64, "b" * 64)
    blob = a.encode('{"t": "alpha ✓"}\n')
    assert a.decode(blob) == '{"t": "alpha ✓"}\n' and codec.names(blob) == ("a" * 64, "b" * 64)
    with pytest.raises(codec.CodecError, match="other ruleset and rubric versions"):
        b.decode(blob)
    for bad in (b"", b"\x07" + blob[1:], blob[:70]):
        with pytest.raises(codec.CodecError):
            codec.names(bad) if len(bad) < codec.HEADER or bad[0] != 1 else a.decode(bad)
    with pytest.raises(codec.CodecError):
        codec.unpack_document(b"\x01xyz")


def _v1_texts(url: str) -> tuple[dict[int, str], dict[int, str]]:
    reports = {int(i): str(t) for i, t in _raw(url, "SELECT id, report_json FROM evaluation")}
    dossiers = {int(i): str(t) for i, t in _raw(url, "SELECT id, dossier_json FROM submission")}
    assert reports and dossiers
    return reports, dossiers


def _converted_byte_for_byte(url: str, reports: dict[int, str], dossiers: dict[int, str]) -> None:
    with open_store(url, create=False) as store:
        assert {i: store.report_text(i) for i in reports} == reports
        assert store.verify_audit().ok
    stored = _raw(url, "SELECT id, report_json FROM evaluation")
    assert all(bytes(b)[0] == codec.ZSTD_RULESET_DICT and len(b) < len(reports[i]) for i, b in stored)
    assert {int(i): codec.unpack_document(b) for i, b in _raw(url, "SELECT id, dossier_json FROM submission")} == dossiers


def test_sqlite_store_is_converted_in_place(tmp_path: Path) -> None:
    url = _sqlite_v1(tmp_path)
    reports, dossiers = _v1_texts(url)
    _converted_byte_for_byte(url, reports, dossiers)
    # and back (alembic downgrade), then up again: the same texts, the trail intact
    with open_store(url, create=False) as store:
        store._db.write(lambda conn: command.downgrade(alembic_config(conn), "0002"))
    assert _v1_texts(url) == (reports, dossiers)
    with sqlite3.connect(url) as con:
        con.execute("UPDATE schema_meta SET version = 2")
    _converted_byte_for_byte(url, reports, dossiers)


def test_postgresql_store_is_converted_in_place(pg_v1: str) -> None:  # noqa: F811 - the fixture
    reports, dossiers = _v1_texts(pg_v1)
    _converted_byte_for_byte(pg_v1, reports, dossiers)
    with open_store(pg_v1, create=False) as store:
        store._db.write(lambda conn: command.downgrade(alembic_config(conn), "0002"))
    assert _v1_texts(pg_v1) == (reports, dossiers)
