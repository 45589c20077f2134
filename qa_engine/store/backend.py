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
* A PostgreSQL connection that drops (server restart, failover, ``pg_terminate_backend``)
  before the transaction's COMMIT was sent is retried on a new connection, within the
  same ``timeout``: the server rolled the transaction back, so nothing is done twice. A
  connection lost *during* COMMIT is not retried (the write may or may not have been
  stored); the error says so.
"""

from __future__ import annotations

import contextlib
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

from qa_engine.store.errors import StoreBusyError, StoreError

T = TypeVar("T")

#: The store used when neither ``--db`` nor ``$QA_ENGINE_DB`` names one.
DEFAULT_DB = "qa-engine.sqlite"
ENV_DB = "QA_ENGINE_DB"
#: Seconds a writer waits for another process's write lock before giving up.
DEFAULT_TIMEOUT = 60.0
ENV_TIMEOUT = "QA_ENGINE_DB_TIMEOUT"
SQLITE_MAGIC = b"SQLite format 3\x00"
#: How often one transaction is rerun after its PostgreSQL connection dropped.
MAX_DROPS = 3
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
        query = dict(u.query)
        mode = query.pop("mode", None)
        if query or mode not in (None, "ro", "rw", "rwc"):
            shown = ", ".join(sorted(query)) or f"mode={mode}"
            raise StoreError(
                f"--db {raw!r} has an option qa-engine does not support ({shown})",
                hint="the only SQLite option is ?mode=ro (open the store read-only)",
            )
        path = Path(u.database).expanduser().resolve()
        return sqlite_url(path) + ("?mode=ro" if mode == "ro" else "")
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


def is_read_only(url: str) -> bool:
    """A SQLite store named with ``?mode=ro``: opened read-only, every write refused."""
    u = make_url(url)
    return u.get_backend_name() == "sqlite" and u.query.get("mode") == "ro"


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
        #: ``?mode=ro``: SQLite opens the file read-only and :meth:`write` refuses.
        self.read_only = is_read_only(url)
        self.engine: Engine = self._make_engine(parsed)

    # ----------------------------------------------------------------- engines

    def _make_engine(self, u: URL) -> Engine:
        if self.dialect == "sqlite":
            args: dict[str, Any] = {
                "timeout": min(self.timeout, 5.0) or 0.001,
                "isolation_level": None,
                "check_same_thread": False,
            }
            if self.read_only:  # honoured by SQLite itself, not only by qa-engine
                ro = f"file:{quote(str(u.database))}?mode=ro"
                engine = create_engine(
                    "sqlite://", creator=lambda: sqlite3.connect(ro, uri=True, **args)
                )
            else:
                engine = create_engine(u.set(query={}), connect_args=args)
            read_only = self.read_only

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                try:
                    if not read_only:
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
        if self.read_only:
            raise StoreError(
                f"{self.display} was opened read-only (?mode=ro), and this command writes to it",
                hint="drop ?mode=ro from --db to let it write, or run a command that only reads",
            )
        return self._run(fn, write=True)

    def read(self, fn: Callable[[Connection], T]) -> T:
        """Run ``fn`` in one read transaction (a consistent snapshot)."""
        return self._run(fn, write=False)

    def _run(self, fn: Callable[[Connection], T], *, write: bool) -> T:
        deadline = time.monotonic() + self.timeout
        delay = 0.02
        drops = 0
        while True:
            committing = False
            try:
                with self.engine.connect() as conn:
                    if write:
                        conn.execution_options(qa_write=True)
                    with conn.begin():
                        if write and self.dialect == "postgresql":
                            self._pg_lock(conn)
                        result = fn(conn)
                        committing = True  # leaving the block commits
                    return result
            except DBAPIError as exc:
                if time.monotonic() < deadline:
                    if self._busy(exc):
                        time.sleep(delay * (1 + random.random()))
                        delay = min(delay * 2, 0.5)
                        continue
                    if self._dropped(exc) and not committing and drops < MAX_DROPS:
                        drops += 1  # rolled back by the server: run it again, once more
                        time.sleep(0.1 * drops)
                        continue
                raise self.translate(exc, committing=committing) from exc

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

    def _dropped(self, exc: DBAPIError) -> bool:
        """A PostgreSQL connection that worked was lost (not: the server cannot be reached)."""
        return self.dialect == "postgresql" and bool(exc.connection_invalidated)

    def translate(self, exc: DBAPIError, *, committing: bool = False) -> StoreError:
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
            if "disk is full" in msg:
                return StoreError(
                    f"{self.display} cannot be written ({first}); nothing of this write was stored",
                    hint="free space on its disk, then run the same command again",
                )
            return StoreError(f"{self.display}: database error: {first}", hint="rerun with --debug for details")
        if self._dropped(exc) and committing:
            return StoreError(
                f"the connection to {self.display} was lost while committing ({first}), so "
                "that write may or may not have been stored",
                hint="run the same command again (a batch resumes without duplicates) and "
                "check reviewer actions with `qa-engine history`",
            )
        if self._dropped(exc):
            return StoreError(
                f"the connection to {self.display} was lost ({first}) and could not be renewed",
                hint="check that the server is running, then run the same command again",
            )
        if _is_connect_error(orig):
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


def probe_sqlite(
    path: Path, *, create: bool, application: str, timeout: float | None = None
) -> None:
    """Refuse, without writing to it, a SQLite file that is not a qa-engine store.

    Waits at most ``timeout`` seconds (default ``$QA_ENGINE_DB_TIMEOUT``), and never
    more than 5, for a lock another process holds; then the real connection decides
    (and retries within the same budget)."""
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
    if not path.is_file():  # a FIFO would block the open below (and SQLite) forever
        raise StoreError(
            f"{path} is not a regular file (a pipe, socket or device)", hint="pass a SQLite file for --db"
        )
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path} cannot be read ({exc.strerror})", hint="check its permissions") from None
    if not head:
        head = _wait_for_content(path)
    if not head:
        raise StoreError(
            f"{path} is an empty file, not a qa-engine store",
            hint="pass another --db, or delete the empty file to start a new store there",
        )
    if head != SQLITE_MAGIC:
        raise foreign_error(str(path))
    # a read-only connection to a WAL database leaves -wal and -shm files behind: when
    # the file is refused, the ones this probe created are removed again
    side = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    existed = {p for p in side if p.exists()}
    try:
        wait = min(default_timeout() if timeout is None else timeout, 5.0)
        con = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=wait)
    except sqlite3.Error:
        return  # let the real connection report it
    refused = True
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_meta" in names:
            row = con.execute("SELECT application FROM schema_meta WHERE id = 1").fetchone()
            if row is None or row[0] != application:
                raise foreign_error(str(path))
        elif names:
            raise foreign_error(str(path))
        refused = False
    except sqlite3.OperationalError:
        refused = False
        return  # locked, or a WAL the read-only connection cannot open: the real connection decides
    except sqlite3.DatabaseError:  # "file is not a database", "database disk image is malformed"
        raise foreign_error(str(path)) from None
    finally:
        con.close()
        if refused:
            for side_file in side:
                if side_file not in existed:
                    with contextlib.suppress(OSError):
                        side_file.unlink()


#: How long a zero-byte --db file is watched for another process making it a store:
#: SQLite creates the file empty and writes its first page a moment later.
EMPTY_FILE_GRACE = 1.0


def _wait_for_content(path: Path) -> bytes:
    """The first bytes of a zero-byte file once another process has written to it, or
    b"" after :data:`EMPTY_FILE_GRACE` seconds. A file that stays empty is refused: it
    is not a store (perhaps one cut short), and making a new store of it would hide that."""
    deadline = time.monotonic() + EMPTY_FILE_GRACE
    while time.monotonic() < deadline:
        time.sleep(0.02)
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(SQLITE_MAGIC))
        except OSError:
            return b""
        if head:
            return head
    return b""
