"""Finding and reading the dossiers of a batch: files, folders, globs and ``.zip`` archives.

* A folder is searched recursively for ``*.yaml``, ``*.yml`` and ``*.json`` (hidden
  files and folders are skipped, and so is the batch's own output folder).
* A path with ``*``, ``?`` or ``[`` that does not exist as such is a glob
  (``**`` recurses).
* A ``.zip`` archive is read member by member without extracting anything to disk.
  Only the members' *contents* are used: their names are shown in messages, never
  turned into paths. Zip bombs are defused by limits on the number of members, the
  size of one member and the total size, all checked on the bytes actually
  decompressed (the sizes an archive declares are not trusted).

:func:`discover` lists the sources (fast: nothing is read but zip directories);
:func:`read_sources` reads them in order and yields each one's bytes or the
:class:`~qa_engine.errors.InputError` that makes it a rejection.
"""

from __future__ import annotations

import glob
import os
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from qa_engine.errors import InputError, UsageError
from qa_engine.formats.loader import DEFAULT_MAX_BYTES

DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits that defuse zip bombs; every one is checked on decompressed bytes."""

    #: Most dossier members one archive may hold.
    max_members: int = 1_000_000
    #: Largest decompressed size of one member (the same limit as for a file).
    max_member_bytes: int = DEFAULT_MAX_BYTES
    #: Largest decompressed size of all dossier members of one archive together.
    max_total_bytes: int = 4 * 1024**3


@dataclass(frozen=True)
class Source:
    """One dossier to read: a file, or a member of a zip archive.

    ``name`` is what messages, reports and the dashboard show: the path as found, or
    ``archive.zip!member/path.yaml`` for an archive member.
    """

    name: str
    path: Path
    member: str | None = None


def _is_dossier_name(name: str) -> bool:
    return name.lower().endswith(DOSSIER_SUFFIXES)


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: Path, exclude: Path | None) -> Iterator[Path]:
    """Dossier files under ``folder``, sorted, without hidden entries or ``exclude``."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        here = Path(dirpath)
        keep = []
        for d in sorted(dirnames):
            if _hidden(d):
                continue
            if exclude is not None and _same(here / d, exclude):
                continue
            keep.append(d)
        dirnames[:] = keep
        for f in sorted(filenames):
            if not _hidden(f) and _is_dossier_name(f):
                yield here / f


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _archive_members(path: Path, name: str, limits: ArchiveLimits) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except FileNotFoundError:
        raise InputError("file not found", file=name, hint="check the path") from None
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            f"is not a readable zip archive ({exc})",
            file=name,
            hint="check the archive or unpack it into a folder",
        ) from None
    members: list[Source] = []
    for info in infos:
        member = info.filename
        base = member.rsplit("/", 1)[-1]
        if info.is_dir() or not _is_dossier_name(base) or _hidden(base):
            continue
        folders = [p for p in member.split("/")[:-1] if p not in (".", "..")]
        if member.startswith("__MACOSX/") or any(_hidden(p) for p in folders):
            continue
        members.append(Source(f"{name}!{member}", path, member))
        if len(members) > limits.max_members:
            raise InputError(
                f"holds more than {limits.max_members:,} dossiers",
                file=name,
                hint="split the archive into smaller ones",
            )
    return members


def _expand(arg: str) -> list[Path]:
    path = Path(arg)
    if path.exists() or not (_GLOB_CHARS & set(arg)):
        return [path]
    matches = sorted(glob.glob(arg, recursive=True))
    if not matches:
        raise UsageError(f"'{arg}' matches no file", hint="check the pattern (quote it so the shell leaves it alone)")
    return [Path(m) for m in matches]


def discover(
    paths: Sequence[str | Path],
    *,
    exclude: str | Path | None = None,
    limits: ArchiveLimits | None = None,
) -> list[Source]:
    """Every dossier named by ``paths`` (files, folders, globs, zip archives), in order.

    A path that does not exist, a folder or glob without dossiers and an unreadable
    archive are :class:`~qa_engine.errors.QAError` (nothing has been evaluated yet);
    ``exclude`` is a folder never searched (the batch's output). The same file named
    twice is listed once.
    """
    limits = limits or ArchiveLimits()
    excluded = Path(exclude) if exclude is not None else None
    out: list[Source] = []
    seen: set[tuple[str, str | None]] = set()

    def add(src: Source) -> None:
        try:
            key = (str(src.path.resolve()), src.member)
        except OSError:
            key = (str(src.path), src.member)
        if key not in seen:
            seen.add(key)
            out.append(src)

    for arg in paths:
        arg_s = str(arg)
        for path in _expand(arg_s):
            name = str(path)
            if path.is_dir():
                found = list(_walk(path, excluded))
                if not found:
                    raise UsageError(
                        "the folder holds no dossier (*.yaml, *.yml, *.json)",
                        file=name,
                        hint="check the path",
                    )
                for f in found:
                    add(Source(str(f), f))
            elif _is_zip(path):
                members = _archive_members(path, name, limits)
                if not members:
                    raise UsageError(
                        "the archive holds no dossier (*.yaml, *.yml, *.json)",
                        file=name,
                        hint="check the archive",
                    )
                for m in members:
                    add(m)
            elif path.exists():
                add(Source(name, path))
            else:
                raise UsageError("no such file or folder", file=name, hint="check the path")
    return out


def _read_file(src: Source) -> bytes:
    limit = DEFAULT_MAX_BYTES
    try:
        with open(src.path, "rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise InputError("file not found (was it removed during the batch?)", file=src.name) from None
    except PermissionError:
        raise InputError(
            "permission denied", file=src.name, hint="make the file readable for this user"
        ) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=src.name) from None
    if len(data) > limit:
        raise InputError(
            f"is larger than the limit of {limit:,} bytes",
            file=src.name,
            hint="split it or raise the size limit",
        )
    return data


class _ArchiveReader:
    """Reads members of one archive at a time, keeping its total-size budget."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.path: Path | None = None
        self.archive: zipfile.ZipFile | None = None
        self.total = 0

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()
        self.archive, self.path, self.total = None, None, 0

    def read(self, src: Source) -> bytes:
        assert src.member is not None
        if self.path != src.path:
            self.close()
            try:
                self.archive = zipfile.ZipFile(src.path)
            except (zipfile.BadZipFile, OSError, ValueError) as exc:
                raise InputError(f"the archive cannot be read ({exc})", file=src.name) from None
            self.path = src.path
        assert self.archive is not None
        left = self.limits.max_total_bytes - self.total
        if left <= 0:
            raise InputError(
                f"the archive holds more than {self.limits.max_total_bytes:,} bytes of dossiers "
                "once decompressed",
                file=src.name,
                hint="split the archive into smaller ones",
            )
        cap = min(self.limits.max_member_bytes, left)
        try:
            with self.archive.open(src.member) as fh:
                data = fh.read(cap + 1)
        except RuntimeError as exc:  # encrypted member
            raise InputError(f"cannot be read ({exc})", file=src.name, hint="store it unencrypted") from None
        except NotImplementedError as exc:
            raise InputError(
                f"cannot be read ({exc})", file=src.name, hint="re-pack it with deflate compression"
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as exc:
            raise InputError(f"the archive member is damaged ({exc})", file=src.name) from None
        self.total += min(len(data), cap)
        if len(data) > cap:
            if cap < self.limits.max_member_bytes:
                raise InputError(
                    f"the archive holds more than {self.limits.max_total_bytes:,} bytes of dossiers "
                    "once decompressed",
                    file=src.name,
                    hint="split the archive into smaller ones",
                )
            raise InputError(
                f"is larger than the limit of {self.limits.max_member_bytes:,} bytes once decompressed",
                file=src.name,
                hint="split it or raise the size limit",
            )
        return data


def read_sources(
    sources: Iterable[Source], *, limits: ArchiveLimits | None = None
) -> Iterator[tuple[Source, bytes | InputError]]:
    """Each source with its bytes, or with the error that makes it a rejection."""
    reader = _ArchiveReader(limits or ArchiveLimits())
    try:
        for src in sources:
            try:
                data = reader.read(src) if src.member is not None else _read_file(src)
            except InputError as exc:
                yield src, exc
            else:
                yield src, data
    finally:
        reader.close()


__all__ = ["DOSSIER_SUFFIXES", "ArchiveLimits", "Source", "discover", "read_sources"]
