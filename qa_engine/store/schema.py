"""Creating and upgrading a store's schema, with Alembic.

``schema_meta`` holds ``application = 'qa-engine'`` and the schema ``version`` (the
number of the newest Alembic revision applied); ``alembic_version`` holds that
revision. Opening a store reads both; an older store is upgraded in one write
transaction (under the store's write lock, so two processes opening a fresh store do
not both create it), together with an audit entry naming the revisions applied.
A store written before migrations existed (schema 1, no ``alembic_version``) is
stamped with revision ``0001`` first, then upgraded in place.

A database that has tables but no ``schema_meta`` (SQLite: any table; PostgreSQL: one
of the store's table names in the schema), names another application, or is newer
than this qa-engine (a higher version or a revision it does not know), is refused.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select, update

from qa_engine.store import audit
from qa_engine.store.backend import Database, foreign_error
from qa_engine.store.errors import StoreError
from qa_engine.store.models import APPLICATION, SCHEMA_META, SCHEMA_VERSION, TABLE_NAMES

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The revision every store written before migrations existed is at.
FIRST_REVISION = "0001"


def alembic_config(conn: Connection | None = None) -> Config:
    """An Alembic configuration for the store's migrations (on ``conn``, if given)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None
    return head


def _known(revision: str) -> bool:
    try:
        return _script().get_revision(revision) is not None
    except Exception:  # alembic raises several kinds for an unknown id
        return False


def _current(conn: Connection, db: Database) -> tuple[int, str | None]:
    """(schema version, Alembic revision) of the store; (0, None) for an empty database."""
    names = set(inspect(conn).get_table_names())
    if "schema_meta" not in names:
        ours = names & (set(TABLE_NAMES) | {"alembic_version"})
        if ours or (db.dialect == "sqlite" and names):
            raise foreign_error(db.display)
        return 0, None
    row = conn.execute(select(SCHEMA_META.c.application, SCHEMA_META.c.version)).first()
    if row is None or row.application != APPLICATION:
        raise foreign_error(db.display)
    revision = MigrationContext.configure(conn).get_current_revision() if "alembic_version" in names else None
    return int(row.version), revision


def _check_not_newer(version: int, revision: str | None, db: Database) -> None:
    if version > SCHEMA_VERSION or (revision is not None and not _known(revision)):
        raise StoreError(
            f"{db.display} was written by a newer qa-engine (store schema {version}; "
            f"this qa-engine reads up to {SCHEMA_VERSION})",
            hint="upgrade qa-engine or pass another --db",
        )


def _at_head(version: int, revision: str | None) -> bool:
    return version == SCHEMA_VERSION and revision == head_revision()


def ensure_schema(db: Database, *, actor: str) -> int:
    """Create or upgrade the schema to the newest revision; returns the version found."""
    found, revision = db.read(lambda conn: _current(conn, db))
    _check_not_newer(found, revision, db)
    if _at_head(found, revision):
        return found

    def upgrade(conn: Connection) -> int:
        version, rev = _current(conn, db)  # again, under the write lock
        _check_not_newer(version, rev, db)
        if _at_head(version, rev):
            return version
        cfg = alembic_config(conn)
        if version >= 1 and rev is None:  # written before migrations existed
            command.stamp(cfg, FIRST_REVISION)
            rev = FIRST_REVISION
        command.upgrade(cfg, "head")
        now = _dt.datetime.now(_dt.UTC)
        if version == 0:
            conn.execute(
                SCHEMA_META.insert().values(
                    id=1, application=APPLICATION, version=SCHEMA_VERSION, created_at=now, upgraded_at=now
                )
            )
        else:
            conn.execute(
                update(SCHEMA_META).where(SCHEMA_META.c.id == 1).values(version=SCHEMA_VERSION, upgraded_at=now)
            )
        audit.append(
            conn, actor=actor, action="store.create" if version == 0 else "store.upgrade",
            subject="store",
            payload={
                "from_version": version, "to_version": SCHEMA_VERSION,
                "from_revision": rev, "to_revision": head_revision(),
            },
        )
        return version

    return db.write(upgrade)
