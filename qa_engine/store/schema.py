"""Schema versions and the upgrade steps between them.

``schema_meta`` holds ``application = 'qa-engine'`` and the schema ``version``.
Opening a store reads it; an older store is upgraded, one step per version, in one
write transaction (so two processes opening a fresh store do not both create it).
A database that has tables but no ``schema_meta`` (SQLite: any table; PostgreSQL: one
of the store's table names in the schema), names another application, or is newer than
this qa-engine, is refused.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from sqlalchemy import Connection, inspect, select, update

from qa_engine.store import audit
from qa_engine.store.backend import Database, foreign_error
from qa_engine.store.errors import StoreError
from qa_engine.store.models import APPLICATION, METADATA, SCHEMA_META, SCHEMA_VERSION, TABLE_NAMES

#: Tables of schema version 1 (frozen: later versions add steps, never edit this).
_V1_TABLES = (
    "schema_meta", "ruleset_version", "rubric_version", "submission", "evaluation",
    "finding", "rejection", "review_action", "audit_log", "audit_head",
)


def _to_v1(conn: Connection) -> None:
    METADATA.create_all(conn, tables=[METADATA.tables[n] for n in _V1_TABLES])
    audit.init_head(conn)


#: ``UPGRADES[n]`` upgrades a store from version ``n - 1`` to ``n``.
UPGRADES: dict[int, Callable[[Connection], None]] = {1: _to_v1}


def _current(conn: Connection, db: Database) -> int:
    names = set(inspect(conn).get_table_names())
    if "schema_meta" not in names:
        ours = names & set(TABLE_NAMES)
        if ours or (db.dialect == "sqlite" and names):
            raise foreign_error(db.display)
        return 0
    row = conn.execute(select(SCHEMA_META.c.application, SCHEMA_META.c.version)).first()
    if row is None or row.application != APPLICATION:
        raise foreign_error(db.display)
    return int(row.version)


def _check_not_newer(version: int, db: Database, target: int) -> None:
    if version > target:
        raise StoreError(
            f"{db.display} was written by a newer qa-engine (store schema {version}; "
            f"this qa-engine reads up to {target})",
            hint="upgrade qa-engine or pass another --db",
        )


def ensure_schema(db: Database, *, actor: str) -> int:
    """Create or upgrade the schema to :data:`SCHEMA_VERSION`; returns the version found."""
    target = SCHEMA_VERSION
    found = db.read(lambda conn: _current(conn, db))
    _check_not_newer(found, db, target)
    if found == target:
        return found

    def upgrade(conn: Connection) -> int:
        version = _current(conn, db)  # again, under the write lock
        _check_not_newer(version, db, target)
        start = version
        now = _dt.datetime.now(_dt.UTC)
        while version < target:
            step = UPGRADES[version + 1]
            step(conn)
            version += 1
            if version == 1:
                conn.execute(
                    SCHEMA_META.insert().values(
                        id=1, application=APPLICATION, version=1, created_at=now, upgraded_at=now
                    )
                )
            else:
                conn.execute(
                    update(SCHEMA_META).where(SCHEMA_META.c.id == 1).values(version=version, upgraded_at=now)
                )
        if start != version:
            audit.append(
                conn, actor=actor, action="store.create" if start == 0 else "store.upgrade",
                subject="store", payload={"from_version": start, "to_version": version},
            )
        return start

    return db.write(upgrade)
