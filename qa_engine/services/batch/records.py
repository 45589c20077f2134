"""The output folder of a batch and its journal: what this folder holds, across runs.

Layout of an output folder::

    index.html          the dashboard (rewritten atomically, also during the batch)
    summary.csv         one row per input file
    reports/<name>.json and reports/<name>.html   one pair per evaluated dossier
    .qa-batch/batch.json     what the folder is bound to: ruleset, rubric, as-of date
    .qa-batch/records.jsonl  the journal (append-only JSON lines)
    .qa-batch/lock           held (flock) while a batch writes into the folder

The journal is the folder's memory. Each line is one of:

* ``{"t": "n", "sha256", "name"}`` — report file name claimed for a dossier (written
  *before* its files, so a resumed run reuses the same name and never leaves an
  orphan behind);
* ``{"t": "e", "file", "input", "eid", ...}`` — ``file`` (whose raw bytes hash to
  ``input``) was evaluated as store evaluation ``eid`` (written after the report
  files and the store record);
* ``{"t": "r", "file", "input", "rid", "error"}`` — ``file`` was rejected.

A line cut short by a kill is dropped (and truncated away) when the journal is
opened. The latest line for a file wins, so the dashboard shows each input file once.

The folder's lookups (a file's latest line, the line of an input hash or of an
evaluation id, the claimed names) live in ``.qa-batch/index.sqlite``, not in memory,
so that the batch process stays the same size whether the folder holds a thousand
dossiers or a million. The index only points at journal lines (offset and length); it
is derived from the journal, records how far it has read it, catches up with lines
appended since (a kill between a journal line and the index commit), and is rebuilt
from scratch when it is missing, damaged or no longer matches the journal.
Every write into the folder is atomic (:mod:`qa_engine.fileio`); the temporary
files of writes interrupted by a kill (``.qa-engine-<random>.tmp``, and no other
name: a user's own ``.notes.tmp`` stays) are removed when the next batch opens the
folder.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_engine.errors import InputError, UsageError
from qa_engine.fileio import TEMP_NAME, atomic_write_text

STATE_DIR = ".qa-batch"
JOURNAL = "records.jsonl"
INDEX = "index.sqlite"
BINDING = "batch.json"
#: Index writes committed together (the index is a cache of the journal: what a kill
#: loses of it is read again from the journal when the folder is next opened).
INDEX_COMMIT_EVERY = 512
#: Bytes of the journal just before the indexed offset whose hash the index keeps: a
#: journal that was replaced or cut since does not match them, and the index is rebuilt.
_TAIL = 4096
_SCHEMA = (
    "CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)",
    # file names are kept as UTF-8 bytes (surrogatepass: names may hold undecodable
    # bytes); BLOB order is code-point order, as sorted() gives for str
    "CREATE TABLE latest (file BLOB PRIMARY KEY, off INTEGER NOT NULL, len INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE by_input (input TEXT PRIMARY KEY, off INTEGER NOT NULL, len INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE TABLE by_eid (eid INTEGER PRIMARY KEY, off INTEGER NOT NULL, len INTEGER NOT NULL)",
    "CREATE TABLE names (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE) WITHOUT ROWID",
)
#: Bumped when the index's tables change: an index of another version is rebuilt.
_INDEX_VERSION = "1"
REPORTS = "reports"

#: Report names: the dossier id (a safe slug), perhaps with a short hash appended.
_SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,200}$")

try:  # POSIX advisory lock, released by the kernel even after kill -9
    import fcntl as _fcntl
except ImportError:  # pragma: no cover - Windows
    _fcntl = None  # type: ignore[assignment]


@dataclass
class Binding:
    """What an output folder's evaluations were made with; a resumed run must match."""

    ruleset: str
    ruleset_sha256: str
    rubric: str
    rubric_sha256: str
    as_of: str
    #: The store's batch id of this folder, the same across resumed runs.
    batch_id: str = field(default_factory=lambda: f"batch-{uuid.uuid4().hex}", compare=False)

    def describe(self) -> str:
        return f"ruleset {self.ruleset}, rubric {self.rubric}, as of {self.as_of}"


@dataclass
class OutputFolder:
    root: Path
    _fd: int | None = None
    _lock_fd: int | None = None
    _db: sqlite3.Connection | None = None
    _size: int = 0  # bytes of the journal (complete lines), where the next line goes
    _pending: int = 0  # index writes not committed yet

    # ---- paths

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def reports_dir(self) -> Path:
        return self.root / REPORTS

    @property
    def journal_path(self) -> Path:
        return self.state_dir / JOURNAL

    def report_paths(self, name: str) -> tuple[Path, Path]:
        """``reports/<name>.json`` and ``.html``, guaranteed inside the folder."""
        if not _SAFE_NAME.match(name) or ".." in name:
            raise InputError(f"'{name}' cannot name a report file", hint="dossier ids are safe slugs")
        return self.reports_dir / f"{name}.json", self.reports_dir / f"{name}.html"

    # ---- opening

    def open(self) -> OutputFolder:
        try:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            self.reports_dir.mkdir(exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"the output folder cannot be created ({exc.strerror or exc})",
                file=str(self.root),
                hint="choose another --out folder",
            ) from None
        self._lock()
        try:
            self.clean_temporary_files()
            self._load()
        except BaseException:
            self.close()
            raise
        # read and append: lookups read journal lines at the offsets the index gives
        self._fd = os.open(self.journal_path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
        return self

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._commit()
            self._close_index()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def __enter__(self) -> OutputFolder:
        return self if self._fd is not None else self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _lock(self) -> None:
        fd = os.open(self.state_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        if _fcntl is not None:
            try:
                _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise UsageError(
                    "another batch is writing into this output folder",
                    file=str(self.root),
                    hint="wait for it to finish or choose another --out folder",
                ) from None
        self._lock_fd = fd

    def clean_temporary_files(self) -> list[Path]:
        """Remove the temporary files of atomic writes a kill interrupted."""
        removed = []
        for folder in (self.root, self.reports_dir, self.state_dir):
            if not folder.is_dir():
                continue
            for entry in os.scandir(folder):
                if entry.is_file(follow_symlinks=False) and TEMP_NAME.match(entry.name):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
        return removed

    def _load(self) -> None:
        """Open the index and bring it up to date with the journal (see the module doc)."""
        path = self.journal_path
        self._size = 0
        if path.exists():
            with open(path, "r+b") as fh:
                size = fh.seek(0, os.SEEK_END)
                end = self._last_newline(fh, size)
                if end < size:  # a line cut short by a kill: drop it
                    fh.truncate(end)
                self._size = end
        try:
            self._open_index()
        except sqlite3.DatabaseError as exc:  # damaged: it is only a cache of the journal
            self._close_index()
            if exc.sqlite_errorcode == sqlite3.SQLITE_FULL:  # not damage: nothing to rebuild
                raise self._index_error(exc) from None
            self._remove_index()
            try:
                self._open_index()
            except (sqlite3.Error, OSError) as exc2:
                self._close_index()
                raise self._index_error(exc2) from None

    def _index_error(self, exc: Exception) -> Exception:
        """The index cannot be written. A full disk is the machine's state, as when the
        journal or a report cannot be written: the ENOSPC the CLI reports for every file
        (free space, run again to resume). Otherwise it cannot be made afresh: remove it."""
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return exc
        if isinstance(exc, sqlite3.Error) and exc.sqlite_errorcode == sqlite3.SQLITE_FULL:
            return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self.index_path))
        return UsageError(
            f"the output folder's index cannot be written ({exc})",
            file=str(self.index_path),
            hint="remove that file (it is rebuilt from the journal) or choose another --out folder",
        )

    @staticmethod
    def _last_newline(fh: Any, size: int) -> int:
        """Where the journal's last complete line ends (read backwards in blocks)."""
        pos, block = size, 65536
        while pos > 0:
            start = max(0, pos - block)
            fh.seek(start)
            chunk = fh.read(pos - start)
            i = chunk.rfind(b"\n")
            if i >= 0:
                return start + i + 1
            pos = start
        return 0

    @property
    def index_path(self) -> Path:
        return self.state_dir / INDEX

    def _remove_index(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):  # what cannot be removed fails to open next
                os.unlink(f"{self.index_path}{suffix}")

    def _close_index(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def _open_index(self) -> None:
        db = self._db = sqlite3.connect(self.index_path, isolation_level=None, check_same_thread=False)
        # WAL: a kill never damages it; NORMAL: no fsync per commit (it is a cache)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        meta = {}
        if db.execute("SELECT 1 FROM sqlite_master WHERE name='meta'").fetchone():
            meta = dict(db.execute("SELECT k, v FROM meta").fetchall())
        start = 0
        if (
            meta.get("version") == _INDEX_VERSION
            and int(meta.get("offset", -1)) <= self._size
            and meta.get("tail") == self._tail_hash(int(meta.get("offset", -1)))
        ):
            start = int(meta["offset"])
        else:  # new, of another version, or no longer the journal's: built afresh
            db.execute("BEGIN")
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
            ).fetchall():
                db.execute(f'DROP TABLE "{name}"')
            for stmt in _SCHEMA:
                db.execute(stmt)
            db.execute("INSERT INTO meta VALUES ('version', ?)", (_INDEX_VERSION,))
            db.execute("COMMIT")
        self._catch_up(start)

    def _tail_hash(self, offset: int) -> str:
        """The hash of the journal's last few KB before ``offset`` (see :data:`_TAIL`)."""
        if offset < 0:
            return ""
        data = b""
        if offset > 0:
            with open(self.journal_path, "rb") as fh:
                start = max(0, offset - _TAIL)
                fh.seek(start)
                data = fh.read(offset - start)
        return hashlib.sha256(data).hexdigest()

    def _catch_up(self, start: int) -> None:
        """Index the journal's lines from byte ``start`` to its end."""
        path = self.journal_path
        if start < self._size:
            with open(path, "rb") as fh:
                fh.seek(start)
                off = start
                while off < self._size:
                    line = fh.readline()
                    if not line:
                        break
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        rec = None
                    if isinstance(rec, dict):
                        self._index_rows(rec, off, len(line))
                    off += len(line)
        self._commit()

    def _index(self, rec: dict[str, Any], off: int, length: int) -> None:
        try:
            self._index_rows(rec, off, length)
        except sqlite3.Error as exc:  # the journal line is written: a rerun indexes it
            raise self._index_error(exc) from None

    def _index_rows(self, rec: dict[str, Any], off: int, length: int) -> None:
        db = self._db
        assert db is not None
        if not db.in_transaction:
            db.execute("BEGIN")
        kind = rec.get("t")
        if kind == "n":
            db.execute(
                "INSERT OR REPLACE INTO names VALUES (?, ?)", (rec["sha256"], rec["name"])
            )
        elif kind in ("e", "r"):
            db.execute(
                "INSERT OR REPLACE INTO latest VALUES (?, ?, ?)", (_key(rec["file"]), off, length)
            )
            if kind == "e":
                db.execute("INSERT OR REPLACE INTO by_input VALUES (?, ?, ?)", (rec["input"], off, length))
                db.execute("INSERT OR REPLACE INTO by_eid VALUES (?, ?, ?)", (rec["eid"], off, length))
        self._pending += 1
        if self._pending >= INDEX_COMMIT_EVERY:
            self._commit()

    def commit(self) -> None:
        """Commit the index's pending writes, with how far into the journal they go."""
        try:
            self._commit()
        except sqlite3.Error as exc:
            raise self._index_error(exc) from None

    def _commit(self) -> None:
        db = self._db
        if db is None:
            return
        if not db.in_transaction:
            db.execute("BEGIN")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('offset', ?)", (str(self._size),))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('tail', ?)", (self._tail_hash(self._size),))
        db.execute("COMMIT")
        self._pending = 0

    def _line(self, off: int, length: int) -> dict[str, Any]:
        assert self._fd is not None, "the output folder is not open"
        rec = json.loads(os.pread(self._fd, length, off))
        assert isinstance(rec, dict)
        return rec

    def _one(self, sql: str, key: Any) -> dict[str, Any] | None:
        assert self._db is not None, "the output folder is not open"
        row = self._db.execute(sql, (key,)).fetchone()
        return None if row is None else self._line(row[0], row[1])

    # ---- lookups

    def latest(self, file: str) -> dict[str, Any] | None:
        """The latest journal record (evaluation or rejection) of input ``file``."""
        return self._one("SELECT off, len FROM latest WHERE file = ?", _key(file))

    def by_input(self, input_sha256: str) -> dict[str, Any] | None:
        """The latest evaluation record of an input whose raw bytes hash to this."""
        return self._one("SELECT off, len FROM by_input WHERE input = ?", input_sha256)

    def by_eid(self, eid: int) -> dict[str, Any] | None:
        """The latest evaluation record of store evaluation ``eid`` in this folder."""
        return self._one("SELECT off, len FROM by_eid WHERE eid = ?", eid)

    # ---- binding

    def check_binding(self, binding: Binding) -> None:
        """Refuse ``binding`` when the folder is bound to another one."""
        old = self.binding()
        if old is not None and old != binding:
            raise UsageError(
                f"this folder is pinned to {old.ruleset} (rubric {old.rubric}, as of {old.as_of}); "
                f"it cannot take {binding.describe()}"
                + (" (same versions, other content)" if (old.ruleset, old.rubric) == (binding.ruleset, binding.rubric) else ""),
                file=str(self.root),
                hint="use a new --out folder, or resume this one with the rulesets it was made with",
            )

    def bind(self, binding: Binding) -> Binding:
        """Bind the folder to ``binding`` on first use; refuse a different one later.

        Returns the binding in force (with the folder's batch id)."""
        path = self.state_dir / BINDING
        self.check_binding(binding)
        old = self.binding()
        if old is not None:
            return old
        atomic_write_text(path, json.dumps(binding.__dict__, indent=2) + "\n")
        return binding

    def binding(self) -> Binding | None:
        path = self.state_dir / BINDING
        if not path.exists():
            return None
        try:
            return Binding(**json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            return None

    # ---- writing

    def append(self, rec: dict[str, Any]) -> None:
        """Append one journal line (one write; a kill leaves at most a cut-short line)."""
        assert self._fd is not None, "the output folder is not open"
        line = (json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        os.write(self._fd, line)
        off = self._size
        self._size += len(line)
        self._index(rec, off, len(line))

    def name_for(self, dossier_id: str, dossier_sha256: str) -> str:
        """The report name of a dossier: its id, plus a short hash when another dossier
        already has that id. Claimed in the journal before any file is written."""
        assert self._db is not None, "the output folder is not open"
        row = self._db.execute("SELECT name FROM names WHERE sha256 = ?", (dossier_sha256,)).fetchone()
        if row is not None:
            return str(row[0])
        name = dossier_id
        width = 8
        while self._db.execute("SELECT 1 FROM names WHERE name = ?", (name,)).fetchone():
            name = f"{dossier_id}-{dossier_sha256[:width]}"
            width += 8
        self.report_paths(name)  # validates
        self.append({"t": "n", "sha256": dossier_sha256, "name": name})
        return name

    def latest_rows(self) -> Iterator[dict[str, Any]]:
        """The latest record of every input file, sorted by file name (read one by one
        from the journal: a folder of any size takes no more memory)."""
        assert self._db is not None, "the output folder is not open"
        self.commit()
        # a cursor of its own: the caller may look things up while iterating
        for off, length in self._db.cursor().execute("SELECT off, len FROM latest ORDER BY file"):
            yield self._line(off, length)

    def count_latest(self) -> int:
        """How many input files the folder has a record of."""
        assert self._db is not None, "the output folder is not open"
        return int(self._db.execute("SELECT COUNT(*) FROM latest").fetchone()[0])


def _key(file: str) -> bytes:
    return file.encode("utf-8", "surrogatepass")

__all__ = ["Binding", "OutputFolder"]
