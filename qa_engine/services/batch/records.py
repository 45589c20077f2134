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
Every write into the folder is atomic (:mod:`qa_engine.fileio`); the temporary
files of writes interrupted by a kill (``.qa-engine-<random>.tmp``, and no other
name: a user's own ``.notes.tmp`` stays) are removed when the next batch opens the
folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_engine.errors import InputError, UsageError
from qa_engine.fileio import TEMP_NAME, atomic_write_text

STATE_DIR = ".qa-batch"
JOURNAL = "records.jsonl"
BINDING = "batch.json"
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
    latest_by_file: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_input: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_eid: dict[int, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    claimed: set[str] = field(default_factory=set)
    _fd: int | None = None
    _lock_fd: int | None = None

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
        self.clean_temporary_files()
        self._load()
        self._fd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        return self

    def close(self) -> None:
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
        path = self.journal_path
        if not path.exists():
            return
        data = path.read_bytes()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a line cut short by a kill: drop it
            with open(path, "r+b") as fh:
                fh.truncate(end)
            data = data[:end]
        for line in data.splitlines():
            try:
                rec = json.loads(line)
            except ValueError:
                continue
            if isinstance(rec, dict):
                self._apply(rec)

    def _apply(self, rec: dict[str, Any]) -> None:
        kind = rec.get("t")
        if kind == "n":
            self.names[rec["sha256"]] = rec["name"]
            self.claimed.add(rec["name"])
            return
        if kind not in ("e", "r"):
            return
        self.latest_by_file[rec["file"]] = rec
        if kind == "e":
            self.by_input[rec["input"]] = rec
            self.by_eid[rec["eid"]] = rec

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
        line = json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n"
        os.write(self._fd, line.encode("utf-8"))
        self._apply(rec)

    def name_for(self, dossier_id: str, dossier_sha256: str) -> str:
        """The report name of a dossier: its id, plus a short hash when another dossier
        already has that id. Claimed in the journal before any file is written."""
        name = self.names.get(dossier_sha256)
        if name is not None:
            return name
        name = dossier_id
        width = 8
        while name in self.claimed:
            name = f"{dossier_id}-{dossier_sha256[:width]}"
            width += 8
        self.report_paths(name)  # validates
        self.append({"t": "n", "sha256": dossier_sha256, "name": name})
        return name

    def latest_rows(self) -> list[dict[str, Any]]:
        """The latest record of every input file, sorted by file name."""
        return [self.latest_by_file[f] for f in sorted(self.latest_by_file)]


__all__ = ["Binding", "OutputFolder"]
