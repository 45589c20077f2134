"""Database URLs, engines, write transactions and error translation.

* A bare path (or ``sqlite:///path``) is a SQLite file; ``postgresql+psycopg://...``
  (``postgresql://`` is taken to mean psycopg 3) is a PostgreSQL database. The schema
  may be chosen with ``?options=-csearch_path%3Dmyschema``.
* SQLite runs in WAL mode with ``synchronous=FULL`` (a committed transaction survives a
  crash or power loss), foreign keys on, and Python's implicit transactions off: every
  transaction is begun explicitly, writes with ``BEGIN IMMEDIATE`` so that two
  processes never both hold a read snapshot they then try to write from.
* PostgreSQL write transactions first take a transaction-level advisory lock keyed on
  the schema, so that writers (and schema creation) are serialised; ``lock_timeout``
  bounds the wait.
* A busy store is retried with back-off until ``timeout`` seconds have passed, then a
  :class:`StoreBusyError` names the store. Driver errors never escape as tracebacks:
  they become :class:`StoreError` sentences.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from .errors import StoreBusyError, StoreError

T = TypeVar("T")

#: The store used when neither ``--db`` nor ``$QA_ENGINE_DB`` names one.
DEFAULT_DB = "qa-engine.sqlite"
ENV_DB = "QA_ENGINE_DB"
#: Seconds a writer waits for another process's write lock before giving up.
DEFAULT_TIMEOUT = 60.0
ENV_TIMEOUT = "QA_ENGINE_DB_TIMEOUT"
SQLITE_MAGIC = b"SQLite format 3\x00"
FOREIGN_HINT = "pass another --db"


def resolve_url(url: str | None = None) -> str:
    """``url`` -> ``$QA_ENGINE_DB`` -> ``qa-engine.sqlite``, as a full SQLAlchemy URL."""
    raw = (url or os.environ.get(ENV_DB) or DEFAULT_DB).strip()
    if "://" not in raw:
        return sqlite_url(Path(raw).expanduser().resolve())
    try:
        u = make_url(raw)
    except ArgumentError:
        raise StoreError(
            f"--db {raw!r} is not a database URL",
            hint="pass a SQLite file path or postgresql+psycopg://user:password@host/database",
        ) from None
    backend = u.get_backend_name()
    if backend == "sqlite":
        if not u.database or u.database == ":memory:" or u.database.startswith("file:"):
            raise StoreError(
                f"--db {raw!r} is not a SQLite file",
                hint="pass a file path (an in-memory store would lose everything)",
            )
        return sqlite_url(Path(u.database).expanduser().resolve())
    if backend in ("postgresql", "postgres"):
        if u.drivername in ("postgresql", "postgres"):
            u = u.set(drivername="postgresql+psycopg")
        if u.drivername != "postgresql+psycopg":
            raise StoreError(
                f"--db uses the driver {u.drivername}, which qa-engine does not support",
                hint="write postgresql+psycopg://... (psycopg 3)",
            )
        return u.render_as_string(hide_password=False)
    raise StoreError(
        f"--db names a {backend} database, which qa-engine does not support",
        hint="pass a SQLite file path or a postgresql+psycopg:// URL",
    )


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def display_url(url: str) -> str:
    """The store as a person reads it: the SQLite file path, or the URL without password."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        return str(u.database)
    return u.render_as_string(hide_password=True)


def default_timeout() -> float:
    raw = os.environ.get(ENV_TIMEOUT)
    if raw:
        try:
            return max(0.0, float(raw))
        except ValueError:
            raise StoreError(
                f"${ENV_TIMEOUT}={raw!r} is not a number of seconds", hint="set it to e.g. 60"
            ) from None
    return DEFAULT_TIMEOUT


class Database:
    """One engine and the transaction discipline of its backend."""

    def __init__(self, url: str, *, timeout: float) -> None:
        self.url = url
        self.display = display_url(url)
        self.timeout = timeout
        parsed: URL = make_url(url)
        self.dialect = parsed.get_backend_name()
        self.engine: Engine = self._make_engine(parsed)

    # ----------------------------------------------------------------- engines

    def _make_engine(self, u: URL) -> Engine:
        if self.dialect == "sqlite":
            engine = create_engine(
                u,
                connect_args={
                    "timeout": min(self.timeout, 5.0) or 0.001,
                    "isolation_level": None,
                    "check_same_thread": False,
                },
            )

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                try:
                    cur.execute("PRAGMA journal_mode=WAL")
                    cur.execute("PRAGMA synchronous=FULL")
                    cur.execute("PRAGMA foreign_keys=ON")
                finally:
                    cur.close()

            @event.listens_for(engine, "begin")
            def _on_begin(conn: Connection) -> None:
                write = conn.get_execution_options().get("qa_write", False)
                conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

            return engine
        try:
            return create_engine(
                u, pool_pre_ping=True, connect_args={"connect_timeout": 10}
            )
        except (ImportError, NoSuchModuleError):
            raise StoreError(
                f"{self.display} needs the PostgreSQL driver psycopg 3, which is not installed",
                hint="pip install 'qa-engine[postgres]'",
            ) from None

    def dispose(self) -> None:
        self.engine.dispose()

    # ----------------------------------------------------------------- transactions

    def write(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in one write transaction (serialised with every other writer)."""
        return self._run(fn, write=True)

    def read(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in one read transaction (a consistent snapshot)."""
        return self._run(fn, write=False)

    def _run(self, fn: Callable[[Connection], T], *, write: bool) -> T:
        deadline = time.monotonic() + self.timeout
        delay = 0.02
        while True:
            try:
                with self.engine.connect() as conn:
                    if write:
                        conn.execution_options(qa_write=True)
                    with conn.begin():
                        if write and self.dialect == "postgresql":
                            self._pg_lock(conn)
                        return fn(conn)
            except DBAPIError as exc:
                if self._busy(exc) and time.monotonic() < deadline:
                    time.sleep(delay * (1 + random.random()))
                    delay = min(delay * 2, 0.5)
                    continue
                raise self.translate(exc) from exc

    def _pg_lock(self, conn: Connection) -> None:
        ms = max(1, int(self.timeout * 1000))
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {ms}")
        conn.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended('qa-engine:' || coalesce(current_schema(), ''), 0))")
        )

    # ----------------------------------------------------------------- errors

    def _busy(self, exc: DBAPIError) -> bool:
        orig = exc.orig
        if self.dialect == "sqlite":
            msg = str(orig).lower()
            return isinstance(orig, sqlite3.OperationalError) and (
                "locked" in msg or "busy" in msg
            )
        code = getattr(orig, "sqlstate", None)
        # lock_not_available, serialization_failure, deadlock_detected
        return code in ("55P03", "40001", "40P01")

    def translate(self, exc: DBAPIError) -> StoreError:
        orig = exc.orig
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        if self._busy(exc):
            return StoreBusyError(
                f"{self.display} stayed locked by another process for {self.timeout:g} s",
                hint=f"try again when the other writer has finished, or raise ${ENV_TIMEOUT}",
            )
        if self.dialect == "sqlite":
            msg = first.lower()
            if type(orig) is sqlite3.DatabaseError or "malformed" in msg or "not a database" in msg:
                return foreign_error(self.display)
            if "readonly" in msg or "read-only" in msg:
                return StoreError(f"{self.display} is read-only ({first})", hint="pass a writable --db")
            if "unable to open" in msg:
                return StoreError(f"{self.display} cannot be opened ({first})", hint="check the path and its permissions")
            return StoreError(f"{self.display}: database error: {first}", hint="rerun with --debug for details")
        if exc.connection_invalidated or _is_connect_error(orig):
            return StoreError(
                f"cannot connect to {self.display}: {first}",
                hint="check --db or $QA_ENGINE_DB and that the server is running",
            )
        return StoreError(f"{self.display}: database error: {first}", hint="rerun with --debug for details")


def _is_connect_error(orig: Any) -> bool:
    # psycopg raises OperationalError without a SQLSTATE when it cannot connect
    return type(orig).__name__ == "OperationalError" and getattr(orig, "sqlstate", None) is None


def foreign_error(display: str) -> StoreError:
    return StoreError(f"{display} is not a qa-engine store (or is corrupted)", hint=FOREIGN_HINT)


def probe_sqlite(path: Path, *, create: bool, application: str) -> None:
    """Refuse, without writing to it, a SQLite file that is not a qa-engine store."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder", hint="pass a file for --db")
    if not path.exists():
        if not create:
            raise StoreError(
                f"{path} does not exist",
                hint="pass the --db of an existing store (or set $QA_ENGINE_DB)",
            )
        if not path.parent.is_dir():
            raise StoreError(f"the folder of {path} does not exist", hint="create it or pass another --db")
        return
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path} cannot be read ({exc.strerror})", hint="check its permissions") from None
    if not head:
        return  # an empty file is an empty database
    if head != SQLITE_MAGIC:
        raise foreign_error(str(path))
    try:
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return  # let the real connection report it
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_meta" in names:
            row = con.execute("SELECT application FROM schema_meta WHERE id = 1").fetchone()
            if row is None or row[0] != application:
                raise foreign_error(str(path))
        elif names:
            raise foreign_error(str(path))
    except sqlite3.OperationalError:
        return  # locked, or a WAL the read-only connection cannot open: the real connection decides
    except sqlite3.DatabaseError:  # "file is not a database", "database disk image is malformed"
        raise foreign_error(str(path)) from None
    finally:
        con.close()
