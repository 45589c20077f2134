"""Alembic migrations: the models and the migrations agree, a store written by
qa-engine 0.1 (schema 1, before migrations existed) upgrades in place on SQLite and
PostgreSQL, the upgrade runs once and is in the audit chain, newer stores are refused.

The schema-1 fixtures in tests/data/store-v1/ were written by qa-engine 0.1 (commit
ffdc972): a batch of three examples plus one broken file, an override and a waiver.
"""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from qa_engine.formats.lifecycle import CASE_STATES, ROLES, TRANSITIONS
from qa_engine.services.review import effective_report
from qa_engine.store import SCHEMA_VERSION, StoreError, open_store
from qa_engine.store.models import METADATA
from qa_engine.store.schema import head_revision
from tests.store_fixtures import _admin_engine, pg_base_url, pg_schema_url
from tests.store_helpers import AS_OF

FIXTURES = Path(__file__).parent / "data" / "store-v1"
V1_COUNTS = {"evaluation": 3, "finding": 51, "rejection": 1, "review_action": 2, "audit_log": 9}


def _sqlite_v1(tmp_path: Path) -> str:
    target = tmp_path / "store-v1.sqlite"
    shutil.copyfile(FIXTURES / "store-v1.sqlite", target)
    return str(target)


@pytest.fixture
def pg_v1() -> Iterator[str]:
    """A PostgreSQL schema loaded from the schema-1 dump (pg_dump of qa-engine 0.1)."""
    base = pg_base_url()
    schema = f"qa_test_v1_{uuid.uuid4().hex[:10]}"
    admin = _admin_engine(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = pg_schema_url(base, schema)
    eng = create_engine(url)
    dump = (FIXTURES / "store-v1.postgresql.sql").read_text(encoding="utf-8")
    raw = eng.raw_connection()  # the driver itself: the dump's text has no placeholders
    try:
        raw.cursor().execute(dump)
        raw.commit()
    finally:
        raw.close()
    eng.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _counts(store) -> dict[str, int]:  # type: ignore[no-untyped-def]
    def run(conn):  # type: ignore[no-untyped-def]
        return {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in V1_COUNTS}

    return store._db.read(run)


def _upgraded_correctly(url: str) -> None:
    with open_store(url) as store:
        counts = _counts(store)
        result = store.verify_audit()
        entries = store._db.read(
            lambda c: c.execute(text("SELECT action, payload FROM audit_log ORDER BY id")).all()
        )
        version = store._db.read(lambda c: c.execute(text("SELECT version FROM schema_meta")).scalar_one())
        revision = store._db.read(lambda c: MigrationContext.configure(c).get_current_revision())
        reviewed = effective_report(store, 1, as_of=AS_OF)
    assert result.ok, result.first_broken
    assert counts == {**V1_COUNTS, "audit_log": V1_COUNTS["audit_log"] + 1}
    assert entries[-1].action == "store.upgrade"
    assert '"from_revision":"0001"' in entries[-1].payload and f'"to_revision":"{head_revision()}"' in entries[-1].payload
    assert version == SCHEMA_VERSION and revision == head_revision()
    assert reviewed.review is not None and any(c.state == "overridden" for c in reviewed.criteria)
    # Opening again changes nothing: the upgrade ran once.
    with open_store(url) as store:
        assert _counts(store)["audit_log"] == V1_COUNTS["audit_log"] + 1


def test_sqlite_v1_store_upgrades_in_place(tmp_path: Path) -> None:
    url = _sqlite_v1(tmp_path)
    with sqlite3.connect(url) as con:  # the fixture really is schema 1 without Alembic
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert "alembic_version" not in names and "user_account" not in names
        assert con.execute("SELECT version FROM schema_meta").fetchone() == (1,)
    _upgraded_correctly(url)


def test_postgresql_v1_store_upgrades_in_place(pg_v1: str) -> None:
    _upgraded_correctly(pg_v1)


def test_models_and_migrations_agree(store_url: str) -> None:
    """A store created by the migrations has exactly the tables, columns, types,
    nullability, indexes and unique constraints of the models."""
    open_store(store_url).close()
    eng = create_engine(store_url if "://" in store_url else f"sqlite:///{store_url}")
    with eng.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = [d for d in compare_metadata(ctx, METADATA) if not (d[0] == "remove_table" and d[1].name == "alembic_version")]
    eng.dispose()
    assert diff == []


def test_fresh_store_is_created_at_head_with_one_audit_entry(sqlite_url: str) -> None:
    with open_store(sqlite_url) as store:
        rows = store._db.read(lambda c: c.execute(text("SELECT action, payload FROM audit_log")).all())
        revision = store._db.read(lambda c: MigrationContext.configure(c).get_current_revision())
    assert [r.action for r in rows] == ["store.create"]
    assert revision == head_revision()


def test_store_at_unknown_revision_is_refused(tmp_path: Path) -> None:
    url = _sqlite_v1(tmp_path)
    open_store(url).close()
    with sqlite3.connect(url) as con:
        con.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match=r"written by a newer qa-engine"):
        open_store(url)


def test_store_with_newer_schema_version_is_refused(tmp_path: Path) -> None:
    url = _sqlite_v1(tmp_path)
    with sqlite3.connect(url) as con:
        con.execute("UPDATE schema_meta SET version = 99")
    with pytest.raises(StoreError, match=rf"store schema 99; this qa-engine reads up to {SCHEMA_VERSION}"):
        open_store(url)


def test_lifecycle_table_is_consistent() -> None:
    states = set(CASE_STATES)
    for t in TRANSITIONS:
        assert t.source in states and t.target in states, t
        assert set(t.roles) <= set(ROLES), t
    # every state but the start is reachable, and only final states have no way out
    reachable = {"draft"} | {t.target for t in TRANSITIONS}
    assert reachable == states
    assert {s for s in states if not any(t.source == s for t in TRANSITIONS)} == {"withdrawn", "expired", "revoked"}
