"""Store fixtures: the same tests run against SQLite and a real PostgreSQL server.

PostgreSQL comes from ``$QA_ENGINE_TEST_PG`` (e.g.
``postgresql+psycopg://qa:qa@127.0.0.1:5432/qa_test``); every test gets a fresh schema
(chosen through the URL's ``options=-csearch_path=...``), dropped afterwards. Without
the variable PostgreSQL tests are skipped locally and FAIL under CI (``$CI`` set).
Registered in conftest.py through ``pytest_plugins``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "QA_ENGINE_TEST_PG"
BACKENDS = ["sqlite", "postgresql"]


def pg_base_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        msg = f"${PG_ENV} is not set: PostgreSQL store tests need a server (see .ci/run)"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    return url


def _admin_engine(base: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    return create_engine(base, isolation_level="AUTOCOMMIT")


def pg_schema_url(base: str, schema: str) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(base)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema as a store URL."""
    from sqlalchemy import text

    base = pg_base_url()
    schema = f"qa_test_{uuid.uuid4().hex[:12]}"
    eng = _admin_engine(base)
    with eng.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(base, schema)
    finally:
        with eng.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        eng.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty store: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.sqlite")
    else:
        yield request.getfixturevalue("pg_url")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "store.sqlite")
