"""Schema 3: reports and dossiers stored compressed — ``evaluation.report_json``
becomes bytes, zstd against the evaluated ruleset and rubric versions (form 1 of
:mod:`qa_engine.store.codec`, which is frozen), and ``submission.dossier_json``
plain zstd (form 0). Every existing row is converted in place; its text comes back
byte for byte, and the audit trail, which hashes the decoded documents, still
verifies.

SQLite changes the column without copying the table (``ADD``, ``DROP`` and ``RENAME
COLUMN``: the findings' foreign keys stay as they are); PostgreSQL converts the
column's type, then each row.

Revision ID: 0003_compact_reports
Revises: 0002
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from qa_engine.store.codec import ReportCodec, dictionary, pack_document, unpack_document

revision = "0003_compact_reports"
down_revision = "0002"
branch_labels = None
depends_on = None

PAGE = 200
#: Where a value is packed from: (row -> the codec that packs or unpacks it).
Change = Callable[[sa.Row[Any], object], object]


def _report_codecs(conn: sa.Connection) -> Callable[[sa.Row[Any]], ReportCodec]:
    made: dict[tuple[int, int], ReportCodec] = {}

    def version(table: str, version_id: int) -> tuple[str, Any]:
        row = conn.execute(sa.text(f"SELECT sha256, content FROM {table} WHERE id = :i"), {"i": version_id}).one()
        return str(row.sha256), json.loads(row.content)

    def get(r: sa.Row[Any]) -> ReportCodec:
        key = (int(r.ruleset_version_id), int(r.rubric_version_id))
        if key not in made:
            (rs_sha, rs_data), (rb_sha, rb_data) = version("ruleset_version", key[0]), version("rubric_version", key[1])
            made[key] = ReportCodec(dictionary(rs_data, rb_data), rs_sha, rb_sha)
        return made[key]

    return get


def _convert(conn: sa.Connection, table: str, source: str, target: str, extra: tuple[str, ...], change: Change) -> None:
    """Write ``change(row, source value)`` into ``target`` of every row of ``table``
    (a page at a time, by id)."""
    t = sa.table(table, sa.column("id"), *(sa.column(c) for c in {source, target, *extra}))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(t.c.id, t.c[source], *(t.c[c] for c in extra)).where(t.c.id > last).order_by(t.c.id).limit(PAGE)
        ).all()
        if not rows:
            return
        for r in rows:
            conn.execute(sa.update(t).where(t.c.id == r.id).values({target: change(r, r._mapping[source])}))
        last = int(rows[-1].id)


def _text(value: object) -> str:
    return bytes(value).decode("utf-8") if isinstance(value, bytes | memoryview) else str(value)


def _bytes(value: object) -> bytes:
    return bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode("utf-8")


def _columns(conn: sa.Connection, packing: bool) -> list[tuple[str, str, tuple[str, ...], Change]]:
    reports = _report_codecs(conn)
    if packing:
        return [
            ("evaluation", "report_json", ("ruleset_version_id", "rubric_version_id"),
             lambda r, v: reports(r).encode(_text(v))),
            ("submission", "dossier_json", (), lambda r, v: pack_document(_text(v))),
        ]
    return [
        ("evaluation", "report_json", ("ruleset_version_id", "rubric_version_id"),
         lambda r, v: reports(r).decode(_bytes(v))),
        ("submission", "dossier_json", (), lambda r, v: unpack_document(_bytes(v))),
    ]


def _migrate(packing: bool) -> None:
    conn = op.get_bind()
    for table, column, extra, change in _columns(conn, packing):
        if conn.dialect.name == "sqlite":  # no table copy: the foreign keys stay as they are
            tmp = f"{column}_new"
            kind = "BLOB NOT NULL DEFAULT x''" if packing else "TEXT NOT NULL DEFAULT ''"
            op.execute(f"ALTER TABLE {table} ADD COLUMN {tmp} {kind}")
            _convert(conn, table, column, tmp, extra, change)
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            op.execute(f"ALTER TABLE {table} RENAME COLUMN {tmp} TO {column}")
        elif packing:
            op.alter_column(
                table, column, type_=sa.LargeBinary(), existing_nullable=False,
                postgresql_using=f"convert_to({column}, 'UTF8')",
            )
            _convert(conn, table, column, column, extra, change)
        else:
            def as_bytes(r: sa.Row[Any], v: object, f: Change = change) -> object:
                return _bytes(f(r, v))

            _convert(conn, table, column, column, extra, as_bytes)
            op.alter_column(
                table, column, type_=sa.Text(), existing_nullable=False,
                postgresql_using=f"convert_from({column}, 'UTF8')",
            )


def upgrade() -> None:
    _migrate(packing=True)


def downgrade() -> None:
    _migrate(packing=False)
