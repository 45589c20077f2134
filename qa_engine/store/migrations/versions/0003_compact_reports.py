"""Schema 3: reports stored compressed — ``evaluation.report_json`` becomes bytes,
zstd against the evaluated ruleset and rubric versions (form 1 of
:mod:`qa_engine.store.codec`, which is frozen). Every existing row is converted in
place; its text comes back byte for byte, and the audit trail, which hashes the
decoded report, still verifies.

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

from qa_engine.store.codec import ReportCodec, dictionary

revision = "0003_compact_reports"
down_revision = "0002"
branch_labels = None
depends_on = None

PAGE = 200

_evaluation = sa.table(
    "evaluation",
    sa.column("id", sa.Integer()),
    sa.column("ruleset_version_id", sa.Integer()),
    sa.column("rubric_version_id", sa.Integer()),
    sa.column("report_json"),
)


def _codecs(conn: sa.Connection) -> Callable[[int, int], ReportCodec]:
    made: dict[tuple[int, int], ReportCodec] = {}

    def version(table: str, version_id: int) -> tuple[str, Any]:
        row = conn.execute(sa.text(f"SELECT sha256, content FROM {table} WHERE id = :i"), {"i": version_id}).one()
        return str(row.sha256), json.loads(row.content)

    def get(rs: int, rb: int) -> ReportCodec:
        if (rs, rb) not in made:
            (rs_sha, rs_data), (rb_sha, rb_data) = version("ruleset_version", rs), version("rubric_version", rb)
            made[(rs, rb)] = ReportCodec(dictionary(rs_data, rb_data), rs_sha, rb_sha)
        return made[(rs, rb)]

    return get


def _convert(conn: sa.Connection, column: str, change: Callable[[ReportCodec, object], object]) -> None:
    """Rewrite ``column`` of every evaluation (a page at a time) from ``report_json``."""
    codec = _codecs(conn)
    target = sa.table("evaluation", sa.column("id"), sa.column(column))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(_evaluation.c.id, _evaluation.c.ruleset_version_id, _evaluation.c.rubric_version_id,
                      _evaluation.c.report_json)
            .where(_evaluation.c.id > last).order_by(_evaluation.c.id).limit(PAGE)
        ).all()
        if not rows:
            return
        for r in rows:
            value = change(codec(int(r.ruleset_version_id), int(r.rubric_version_id)), r.report_json)
            conn.execute(sa.update(target).where(target.c.id == r.id).values({column: value}))
        last = int(rows[-1].id)


def _text(value: object) -> str:
    return bytes(value).decode("utf-8") if isinstance(value, bytes | memoryview) else str(value)


def _bytes(value: object) -> bytes:
    return bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode("utf-8")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.execute("ALTER TABLE evaluation ADD COLUMN report_z BLOB NOT NULL DEFAULT x''")
        _convert(conn, "report_z", lambda c, v: c.encode(_text(v)))
        op.execute("ALTER TABLE evaluation DROP COLUMN report_json")
        op.execute("ALTER TABLE evaluation RENAME COLUMN report_z TO report_json")
    else:
        op.alter_column(
            "evaluation", "report_json", type_=sa.LargeBinary(), existing_nullable=False,
            postgresql_using="convert_to(report_json, 'UTF8')",
        )
        _convert(conn, "report_json", lambda c, v: c.encode(_text(v)))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        op.execute("ALTER TABLE evaluation ADD COLUMN report_t TEXT NOT NULL DEFAULT ''")
        _convert(conn, "report_t", lambda c, v: c.decode(_bytes(v)))
        op.execute("ALTER TABLE evaluation DROP COLUMN report_json")
        op.execute("ALTER TABLE evaluation RENAME COLUMN report_t TO report_json")
    else:
        _convert(conn, "report_json", lambda c, v: c.decode(_bytes(v)).encode("utf-8"))
        op.alter_column(
            "evaluation", "report_json", type_=sa.Text(), existing_nullable=False,
            postgresql_using="convert_from(report_json, 'UTF8')",
        )
