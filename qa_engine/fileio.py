"""Atomic file writes: a reader never sees a half-written file, a crash never leaves one."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()

#: Temporary files of atomic writes: ``.qa-engine-`` + :func:`tempfile.mkstemp`'s random
#: part + ``.tmp``. Only names of this form are ever cleaned up after a kill.
TEMP_PREFIX = ".qa-engine-"
TEMP_NAME = re.compile(r"^\.qa-engine-[a-z0-9_]{6,}\.tmp$")


def write_temporary(folder: str | Path, data: bytes) -> Path:
    """Write ``data`` to a new, fsynced temporary file in ``folder`` (named
    ``.qa-engine-<random>.tmp``: :data:`TEMP_NAME` tells qa-engine's own leftovers from
    anyone else's files) and return its path; :func:`publish` moves it into place.

    Split from the rename so that a process other than the writer (the one that owns
    the folder's names) can decide where the file goes, or drop it."""
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):  # mkstemp makes 0600; give the usual 0666 & ~umask
                os.fchmod(fh.fileno(), 0o666 & ~_UMASK)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def publish(tmp: str | Path, target: str | Path) -> None:
    """Atomically replace ``target`` by the temporary file ``tmp`` (same folder)."""
    os.replace(tmp, target)


def sync_folder(folder: str | Path) -> None:
    """fsync a folder, so that renames into it survive a power cut (POSIX only)."""
    if not hasattr(os, "O_DIRECTORY"):  # pragma: no cover - Windows
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``path`` atomically. An :class:`OSError` (a full disk, permissions) names
    ``path`` (``exc.filename``), so that the one-line error says which file."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = write_temporary(target.parent, data)
    except OSError as exc:  # name the target, not its temporary file
        if exc.filename is None or Path(str(exc.filename)).parent == target.parent:
            exc.filename = str(target)
        raise
    try:
        publish(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@contextlib.contextmanager
def atomic_open_text(path: str | Path) -> Iterator[IO[str]]:
    """A text file (UTF-8, no newline translation) that replaces ``path`` atomically
    when the ``with`` block ends without an error, for output too large to build as
    one string first. An error leaves ``path`` as it was and no temporary file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), 0o666 & ~_UMASK)
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        publish(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
