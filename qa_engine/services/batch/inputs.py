"""Finding and reading the dossiers of a batch: files, folders, globs, zip and tar archives.

* A folder is searched recursively for ``*.yaml``, ``*.yml`` and ``*.json`` (hidden
  files and folders are skipped, and so is the batch's own output folder). Links to
  folders are not followed, so a folder that links back to itself is searched once;
  a subfolder that cannot be read is recorded as a bad input (never skipped silently).
* A path with ``*``, ``?`` or ``[`` that does not exist as such is a glob
  (``**`` recurses, without following links to folders: each real file once, however
  many links lead back).
* A ``.zip`` or tar archive (``.tar``, ``.tar.gz``/``.tgz``, ``.tar.bz2``/``.tbz2``,
  ``.tar.xz``/``.txz``) is read member by member without extracting anything to disk.
  Only the members' *contents* are used: their names are shown in messages, never
  turned into paths (``/abs`` and ``../`` names are harmless). Two members of one
  name are two inputs. Only regular members are read: a tar's links and devices are
  recorded as bad inputs. Archive bombs are defused by limits on the number of
  members, the size of one member and the total size, all checked on the bytes
  actually decompressed (the sizes an archive declares are not trusted).
* Only regular files are read: a FIFO, socket or device named ``*.yaml`` is refused
  (checked on the open file, which is opened without blocking), and so is a symbolic
  link loop; both are bad inputs, and the batch goes on.
* An input is known by its resolved path: ``in``, ``./in`` and ``/abs/in`` are the
  same folder, listed (and shown on the dashboard) once, under its absolute path.
  Names are shown with control characters and undecodable bytes escaped
  (:mod:`qa_engine.textsafe`), so they are safe on a terminal, in ``summary.csv``
  and in the journal.

:func:`discover` lists the sources (fast: nothing is read but archive directories);
:func:`read_sources` reads them in order and yields each one's bytes or the
:class:`~qa_engine.errors.InputError` that makes it a rejection.
"""

from __future__ import annotations

import errno
import fnmatch
import functools
import os
import re
import stat
import tarfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from qa_engine.errors import InputError, UsageError
from qa_engine.formats.loader import DEFAULT_MAX_BYTES
from qa_engine.textsafe import safe_line

DOSSIER_SUFFIXES = (".yaml", ".yml", ".json")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
_GLOB_CHARS = frozenset("*?[")
#: What a batch writes into its output folder, and never reads as input.
OWN_FOLDERS = ("reports", ".qa-batch")


@dataclass(frozen=True)
class ArchiveLimits:
    """Limits that defuse archive bombs; every one is checked on decompressed bytes."""

    #: Most dossier members one archive may hold.
    max_members: int = 1_000_000
    #: Most entries of any kind (folders, other files) one archive may list: a zip's
    #: count is read from its end record before its directory is parsed (which would
    #: take memory for every entry), a tar's counted while it is read.
    max_entries: int = 1_100_000
    #: Largest decompressed size of one member (the same limit as for a file).
    max_member_bytes: int = DEFAULT_MAX_BYTES
    #: Largest decompressed size of all dossier members of one archive together (for a
    #: tar, of the whole decompressed stream, which must be read to list it).
    max_total_bytes: int = 4 * 1024**3


@dataclass(frozen=True, slots=True)
class Source:
    """One dossier to read: a file, or a member of a zip or tar archive.

    ``name`` is what messages, reports and the dashboard show, and what identifies the
    input in the output folder's journal: the absolute path (its folder resolved), or
    ``archive.zip!member/path.yaml`` for an archive member; control characters are
    escaped. ``index`` is the member's position in the archive (two members may share
    a name); ``error`` marks a bad input found while listing (an unreadable folder, a
    link inside a tar), recorded as a rejection when read.
    """

    name: str
    path: Path
    member: str | None = None
    index: int | None = None
    archive: str | None = None  # "zip" | "tar"
    error: str | None = None
    hint: str | None = None


_SURROGATE = re.compile("[\udc80-\udcff]")


def display(path: str | os.PathLike[str]) -> str:
    """A path or member name as shown: undecodable bytes as ``\\xNN``, control
    characters escaped (one line, safe on a terminal and in any file). A backslash is
    doubled, so that two names never show alike (a file literally named ``a\\x1b`` is
    not the one holding an escape character): the name identifies the input."""
    s = os.fspath(path).replace("\\", "\\\\")
    s = _SURROGATE.sub(lambda m: f"\\x{ord(m.group(0)) - 0xDC00:02x}", s)
    return safe_line(s)


@functools.lru_cache(maxsize=4096)
def _folder_real(folder: str) -> str:
    """A folder's resolved path; cached within one :func:`discover` (cleared at its
    start), where thousands of files share a few folders."""
    return os.path.realpath(folder)


def _absolute(path: Path) -> str:
    """The absolute path with its *folder* resolved (the file's own name is kept, so a
    link is shown by its name): the same input named two ways gets one name."""
    parts = Path(path).parts
    if ".." in parts:  # after a link, ".." is not the lexical parent: resolve the folder
        if parts[-1] == "..":
            return os.path.realpath(path)
        head, tail = os.path.split(os.fspath(path))
        return os.path.join(os.path.realpath(head or "."), tail)
    a = os.path.abspath(path)
    head, tail = os.path.split(a)
    return os.path.join(_folder_real(head), tail) if tail else a


def _real(path: Path) -> str:
    """The resolved path (never raises: a loop stays unresolved)."""
    if os.path.islink(path):
        return os.path.realpath(path)
    return _absolute(path)


def _is_dossier_name(name: str) -> bool:
    return name.lower().endswith(DOSSIER_SUFFIXES)


def _archive_kind(path: Path) -> str | None:
    low = path.name.lower()
    if low.endswith(".zip"):
        return "zip"
    if low.endswith(TAR_SUFFIXES):
        return "tar"
    return None


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _folder_error(folder: str, exc: OSError) -> Source:
    why = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
    return Source(
        display(folder), Path(folder),
        error=f"{why}: the folder cannot be read, so its dossiers are not in this batch",
        hint="make it readable for this user (or leave it out) and run the same command again",
    )


def _under(path: str, folders: Sequence[str]) -> bool:
    return any(path == f or path.startswith(f.rstrip(os.sep) + os.sep) for f in folders)


def _walk(folder: Path, exclude: frozenset[tuple[int, int]]) -> Iterator[Source]:
    """Dossier files under ``folder`` in sorted order, and the subfolders that cannot be
    read; hidden entries, links to folders and the ``exclude`` folders are left out."""
    seen: set[tuple[int, int]] = set()
    stack = [str(folder)]
    while stack:
        here = stack.pop()
        try:
            st = os.stat(here)
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(here) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield _folder_error(here, exc)
            continue
        subdirs = []
        for e in entries:
            if _hidden(e.name):
                continue
            try:
                is_dir = e.is_dir(follow_symlinks=False)
            except OSError:
                is_dir = False
            if is_dir:
                try:  # (device, inode): a path compare would resolve every folder (slow when deep)
                    st_e = e.stat(follow_symlinks=False)
                except OSError:
                    subdirs.append(e.path)  # the walk records why it cannot be read
                    continue
                if (st_e.st_dev, st_e.st_ino) not in exclude:  # the output folder, not its parents
                    subdirs.append(e.path)
            elif _is_dossier_name(e.name):
                yield _file_source(Path(e.path))
        # files of a folder before its subfolders, each subtree in sorted order
        stack.extend(reversed(subdirs))


def _file_source(path: Path) -> Source:
    return Source(display(_absolute(path)), path)


def _glob(pattern: str) -> tuple[list[str], list[Source]]:
    """The paths ``pattern`` matches (sorted, hidden names only when the pattern part
    starts with a dot) and the folders that could not be read.

    Unlike :func:`glob.glob`, ``**`` does not follow links to folders and visits each
    folder once: a folder with links back to itself is bounded."""
    absolute = pattern.startswith(os.sep)
    parts = [p for p in pattern.split(os.sep) if p]
    found: list[str] = []
    errors: list[Source] = []

    def join(base: str, name: str) -> str:
        return os.path.join(base, name) if base else (os.sep + name if absolute else name)

    def listdir(base: str) -> list[os.DirEntry[str]]:
        try:
            with os.scandir(base or (os.sep if absolute else ".")) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError as exc:
            errors.append(_folder_error(base or ".", exc))
            return []

    def subdirs(base: str) -> list[str]:
        """Every real folder under ``base`` (not itself), each once, links not followed."""
        out: list[str] = []
        seen: set[tuple[int, int]] = set()
        stack = [base]
        while stack:
            here = stack.pop()
            try:
                st = os.stat(here or ".")
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            if here != base:
                out.append(here)
            kids = []
            for e in listdir(here):
                try:
                    if not _hidden(e.name) and e.is_dir(follow_symlinks=False):
                        kids.append(join(here, e.name))
                except OSError:
                    continue
            stack.extend(reversed(kids))
        return out

    def match(base: str, i: int) -> None:
        if i == len(parts):
            found.append(base)
            return
        part, last = parts[i], i == len(parts) - 1
        if part == "**":
            if last:  # everything below: files and folders
                for d in [base, *subdirs(base)]:
                    for e in listdir(d):
                        if not _hidden(e.name):
                            found.append(join(d, e.name))
                return
            for d in [base, *subdirs(base)]:
                match(d, i + 1)
            return
        if not (_GLOB_CHARS & set(part)):
            nxt = join(base, part)
            if last:
                if os.path.lexists(nxt):
                    found.append(nxt)
            elif os.path.isdir(nxt):
                match(nxt, i + 1)
            return
        for e in listdir(base):
            if _hidden(e.name) and not part.startswith("."):
                continue
            if fnmatch.fnmatchcase(e.name, part):
                nxt = join(base, e.name)
                if last:
                    found.append(nxt)
                else:
                    try:
                        if e.is_dir():  # a link here is followed once: bounded by the pattern
                            match(nxt, i + 1)
                    except OSError:
                        continue

    match("", 0)
    return sorted(set(found)), errors


def _expand(arg: str) -> tuple[list[Path], list[Source], bool]:
    """(paths, unreadable folders, is it a glob) of one command-line argument."""
    path = Path(arg)
    if os.path.lexists(path) or not (_GLOB_CHARS & set(arg)):
        return [path], [], False
    matches, errors = _glob(arg)
    if not matches and not errors:
        raise UsageError(f"'{display(arg)}' matches no file", hint="check the pattern (quote it so the shell leaves it alone)")
    return [Path(m) for m in matches], errors, True


def _open_regular(path: Path, name: str) -> tuple[int, os.stat_result]:
    """Open ``path`` for reading without ever blocking (a FIFO would wait for a writer
    forever); refuse anything but a regular file. Returns the descriptor and its stat."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            raise InputError("is a symbolic link to nothing (its target does not exist)", file=name, hint="fix or remove the link") from None
        raise InputError("file not found (was it removed during the batch?)", file=name) from None
    except PermissionError:
        raise InputError("permission denied", file=name, hint="make the file readable for this user") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(
                "is a symbolic link loop (a link that leads back to itself)",
                file=name, hint="fix or remove the link",
            ) from None
        raise InputError(f"cannot be read ({exc.strerror or exc})", file=name) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "a pipe, socket or device"
        raise InputError(
            f"is not a regular file ({what}): only regular files are read",
            file=name, hint="pass the dossier file itself",
        )
    return fd, st


def _too_many_entries(limits: ArchiveLimits, name: str) -> InputError:
    return InputError(
        f"lists more than {limits.max_entries:,} entries", file=name, hint="split the archive into smaller ones"
    )


def _zip_entry_count(fh: IO[bytes]) -> int | None:
    """The number of entries a zip's end record declares (zip64 too), or None."""
    end = getattr(zipfile, "_EndRecData", None)  # the reader zipfile itself uses
    if end is None:  # pragma: no cover - another Python
        return None
    rec = end(fh)
    fh.seek(0)
    return int(rec[4]) if rec else None  # _ECD_ENTRIES_TOTAL


def _zip_members(path: Path, name: str, limits: ArchiveLimits) -> list[Source]:
    fd, _ = _open_regular(path, name)
    try:
        with os.fdopen(fd, "rb") as fh:
            count = _zip_entry_count(fh)
            if count is not None and count > limits.max_entries:
                raise _too_many_entries(limits, name)
            with zipfile.ZipFile(fh) as archive:
                infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(
            f"is not a readable zip archive ({exc})",
            file=name,
            hint="check the archive or unpack it into a folder",
        ) from None
    members: list[Source] = []
    counts: dict[str, int] = {}
    for index, info in enumerate(infos):
        member = info.filename
        base = member.rsplit("/", 1)[-1]
        if info.is_dir() or not _is_dossier_name(base) or _hidden(base):
            continue
        folders = [p for p in member.split("/")[:-1] if p not in (".", "..")]
        if member.startswith("__MACOSX/") or any(_hidden(p) for p in folders):
            continue
        extra = {}
        if stat.S_ISLNK(info.external_attr >> 16):  # its "content" is the link's target
            extra = {
                "error": "is not a regular file in the archive (a link): only regular members are read",
                "hint": "put the dossier itself into the archive",
            }
        members.append(_member_source(name, path, member, index, "zip", counts, **extra))
        _check_count(members, limits, name)
    return members


def _member_source(
    name: str, path: Path, member: str, index: int, kind: str, counts: dict[str, int], **extra: str
) -> Source:
    n = counts[member] = counts.get(member, 0) + 1
    shown = f"{name}!{display(member)}" + (f" ({_ordinal(n)} member of that name)" if n > 1 else "")
    return Source(shown, path, member, index, kind, **extra)


def _check_count(members: list[Source], limits: ArchiveLimits, name: str) -> None:
    if len(members) > limits.max_members:
        raise InputError(
            f"holds more than {limits.max_members:,} dossiers",
            file=name,
            hint="split the archive into smaller ones",
        )


def _too_big(limits: ArchiveLimits, name: str) -> InputError:
    return InputError(
        f"the archive holds more than {limits.max_total_bytes:,} bytes once decompressed",
        file=name,
        hint="split the archive into smaller ones",
    )


class _Bounded:
    """A read-only stream that stops with an error after ``limit`` bytes (a tar stream
    is decompressed whole to list it: a compression bomb is cut off here)."""

    def __init__(self, raw: IO[bytes], limit: int, file: IO[bytes]) -> None:
        self.raw, self.limit, self.count, self.file = raw, limit, 0, file

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        if self.count > self.limit:
            raise _StreamTooBig
        return data

    def close(self) -> None:
        """Close the decompressor and the file under it (tarfile closes neither)."""
        self.raw.close()
        self.file.close()


class _StreamTooBig(Exception):
    pass


def _decompressed(raw: IO[bytes]) -> Any:
    """The tar stream inside ``raw``: gzip, bzip2 and xz by their magic bytes, else raw."""
    import bz2
    import gzip
    import lzma

    head = raw.read(6)
    raw.seek(0)
    if head[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if head[:3] == b"BZh":
        return bz2.BZ2File(raw, "rb")
    if head == b"\xfd7zXZ\x00":
        return lzma.LZMAFile(raw, "rb")
    return raw


def _open_tar(path: Path, name: str, limits: ArchiveLimits) -> tuple[tarfile.TarFile, _Bounded]:
    """A tar archive as a stream read forward once (never seeking back), its
    *decompressed* bytes counted against ``max_total_bytes``."""
    fd, _ = _open_regular(path, name)
    raw = os.fdopen(fd, "rb")
    try:
        stream = _Bounded(_decompressed(raw), limits.max_total_bytes, raw)
        return tarfile.open(fileobj=stream, mode="r|"), stream  # type: ignore[call-overload]
    except _StreamTooBig:
        raw.close()
        raise _too_big(limits, name) from None
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raw.close()
        raise InputError(
            f"is not a readable tar archive ({exc})", file=name, hint="check the archive or unpack it into a folder"
        ) from None


def _forget(archive: tarfile.TarFile) -> None:
    """Drop the list of members a tar stream has passed (it keeps every TarInfo, and a
    stream never goes back to them): memory stays flat however many members it lists."""
    members = getattr(archive, "members", None)
    if isinstance(members, list):
        members.clear()


def _tar_members(path: Path, name: str, limits: ArchiveLimits) -> list[Source]:
    members: list[Source] = []
    counts: dict[str, int] = {}
    archive, stream = _open_tar(path, name, limits)
    try:
        for index, info in enumerate(archive):
            _forget(archive)
            if index >= limits.max_entries:
                raise _too_many_entries(limits, name)
            member = info.name
            base = member.rsplit("/", 1)[-1]
            if info.isdir() or not _is_dossier_name(base) or _hidden(base):
                continue
            folders = [p for p in member.split("/")[:-1] if p not in (".", "..", "")]
            if any(_hidden(p) for p in folders):
                continue
            extra = {}
            if not info.isreg():
                what = "a link" if info.issym() or info.islnk() else "a pipe or device"
                extra = {
                    "error": f"is not a regular file in the archive ({what}): only regular members are read",
                    "hint": "put the dossier itself into the archive",
                }
            members.append(_member_source(name, path, member, index, "tar", counts, **extra))
            _check_count(members, limits, name)
    except _StreamTooBig:
        raise _too_big(limits, name) from None
    except (tarfile.TarError, OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(
            f"is not a readable tar archive ({exc})", file=name, hint="check the archive or unpack it into a folder"
        ) from None
    finally:
        archive.close()
        stream.close()
    return members


def discover(
    paths: Sequence[str | Path],
    *,
    exclude: str | Path | None = None,
    limits: ArchiveLimits | None = None,
) -> list[Source]:
    """Every dossier named by ``paths`` (files, folders, globs, archives), in order.

    A path that does not exist, a folder or glob without dossiers and an unreadable
    archive are :class:`~qa_engine.errors.QAError` (nothing has been evaluated yet);
    ``exclude`` is the batch's output folder: never searched when a folder is walked,
    its ``reports/`` never read, and refused when it is itself an input folder. The
    same file named twice (or two ways) is listed once.
    """
    limits = limits or ArchiveLimits()
    _folder_real.cache_clear()  # folders may have been re-linked since the last call
    out_real = _real(Path(exclude)) if exclude is not None else None
    own = [os.path.join(out_real, f) for f in OWN_FOLDERS] if out_real else []
    try:
        st = os.stat(out_real) if out_real else None
        out_id = frozenset({(st.st_dev, st.st_ino)}) if st else frozenset()
    except OSError:  # not created yet: nothing to exclude
        out_id = frozenset()
    out: list[Source] = []
    seen: set[tuple[str, int | None, str | None]] = set()

    hits = [False]  # did this argument name any input (perhaps one listed before)?

    def add(src: Source) -> None:
        hits[0] = True
        key = (_real(src.path), src.index, src.error)
        if key not in seen:
            seen.add(key)
            out.append(src)

    for arg in paths:
        arg_s = os.fspath(arg)
        expanded, errors, is_glob = _expand(arg_s)
        hits[0] = bool(errors)
        for e in errors:
            add(e)
        for path in expanded:
            name = display(_absolute(path))
            real = _real(path)
            if _under(real, own):
                if is_glob:
                    continue  # the batch's own reports: never inputs
                raise UsageError(
                    "is a file written by the batch into its output folder, not an input",
                    file=name, hint="name the dossiers themselves",
                )
            if path.is_dir():
                if out_real is not None and real == out_real:
                    raise UsageError(
                        "is also the output folder (--out): the batch would read its own reports as dossiers",
                        file=name, hint="choose an --out folder outside the inputs",
                    )
                found = list(_walk(path, out_id))
                if not found:
                    if is_glob:
                        continue
                    raise UsageError(
                        "the folder holds no dossier (*.yaml, *.yml, *.json)",
                        file=name,
                        hint="check the path",
                    )
                for f in found:
                    add(f)
            elif _archive_kind(path) is not None:
                kind = _archive_kind(path)
                members = (_zip_members if kind == "zip" else _tar_members)(path, name, limits)
                if not members:
                    raise UsageError(
                        "the archive holds no dossier (*.yaml, *.yml, *.json)",
                        file=name,
                        hint="check the archive",
                    )
                for m in members:
                    add(m)
            elif os.path.lexists(path):  # a file, or what read_sources refuses (FIFO, loop)
                if not is_glob or _is_dossier_name(path.name):
                    add(_file_source(path))
            else:
                raise UsageError("no such file or folder", file=name, hint="check the path")
        if is_glob and not hits[0]:
            raise UsageError(
                f"'{display(arg_s)}' matches no dossier (*.yaml, *.yml, *.json)",
                hint="check the pattern (quote it so the shell leaves it alone)",
            )
    return out


def _read_file(src: Source) -> bytes:
    limit = DEFAULT_MAX_BYTES
    fd, _st = _open_regular(src.path, src.name)
    try:
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(limit + 1)
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
    """Reads members of one archive at a time, keeping its total-size budget.

    Sources come in archive order, so a tar (a stream) is read forward once."""

    def __init__(self, limits: ArchiveLimits) -> None:
        self.limits = limits
        self.path: Path | None = None
        self.zip: zipfile.ZipFile | None = None
        self.zip_fh: IO[bytes] | None = None
        self.infos: list[zipfile.ZipInfo] = []
        self.tar: tarfile.TarFile | None = None
        self.tar_stream: _Bounded | None = None
        self.tar_iter: Iterator[tarfile.TarInfo] | None = None
        self.tar_at = -1
        self.total = 0
        self.broken: InputError | None = None

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()
        if self.zip_fh is not None:
            self.zip_fh.close()
        self.zip_fh = None
        if self.tar is not None:
            self.tar.close()
        if self.tar_stream is not None:
            self.tar_stream.close()
        self.tar_stream = None
        self.zip, self.tar, self.tar_iter, self.path = None, None, None, None
        self.infos, self.tar_at, self.total, self.broken = [], -1, 0, None

    def _open(self, src: Source) -> None:
        self.close()
        self.path = src.path
        try:
            if src.archive == "tar":
                self.tar, self.tar_stream = _open_tar(src.path, src.name, self.limits)
                self.tar_iter = iter(self.tar)
            else:
                fd, _ = _open_regular(src.path, src.name)
                self.zip_fh = os.fdopen(fd, "rb")
                self.zip = zipfile.ZipFile(self.zip_fh)
                self.infos = self.zip.infolist()
        except InputError as exc:
            self.broken = InputError(f"the archive cannot be read ({exc.message})", file=src.name)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            self.broken = InputError(f"the archive cannot be read ({exc})", file=src.name)

    def _cap(self, src: Source) -> int:
        left = self.limits.max_total_bytes - self.total
        if left <= 0:
            raise self._total_error(src)
        return min(self.limits.max_member_bytes, left)

    def _total_error(self, src: Source) -> InputError:
        return InputError(
            f"the archive holds more than {self.limits.max_total_bytes:,} bytes of dossiers "
            "once decompressed",
            file=src.name,
            hint="split the archive into smaller ones",
        )

    def _checked(self, src: Source, data: bytes, cap: int) -> bytes:
        self.total += min(len(data), cap)
        if len(data) > cap:
            if cap < self.limits.max_member_bytes:
                raise self._total_error(src)
            raise InputError(
                f"is larger than the limit of {self.limits.max_member_bytes:,} bytes once decompressed",
                file=src.name,
                hint="split it or raise the size limit",
            )
        return data

    def read(self, src: Source) -> bytes:
        assert src.member is not None
        if self.path != src.path or (src.archive == "tar" and src.index is not None and src.index <= self.tar_at):
            self._open(src)
        if self.broken is not None:
            raise self.broken
        if src.archive == "tar":
            return self._read_tar(src)
        return self._read_zip(src)

    def _read_zip(self, src: Source) -> bytes:
        assert self.zip is not None
        cap = self._cap(src)
        target: zipfile.ZipInfo | str = self.infos[src.index] if src.index is not None else src.member or ""
        try:
            with self.zip.open(target) as fh:
                data = fh.read(cap + 1)
        except NotImplementedError as exc:  # (a RuntimeError too: caught first)
            raise InputError(
                f"cannot be read ({exc})", file=src.name, hint="re-pack it with deflate compression"
            ) from None
        except RuntimeError as exc:  # encrypted member
            raise InputError(f"cannot be read ({exc})", file=src.name, hint="store it unencrypted") from None
        except (zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError) as exc:
            raise InputError(f"the archive member is damaged ({exc})", file=src.name) from None
        return self._checked(src, data, cap)

    def _read_tar(self, src: Source) -> bytes:
        assert self.tar is not None and self.tar_iter is not None and src.index is not None
        try:
            info = None
            while self.tar_at < src.index:
                info = next(self.tar_iter)
                _forget(self.tar)
                self.tar_at += 1
            assert info is not None
            cap = self._cap(src)
            if info.size > cap:  # refused on the declared size, before reading it
                if cap < self.limits.max_member_bytes:
                    raise self._total_error(src)
                raise InputError(
                    f"is larger than the limit of {self.limits.max_member_bytes:,} bytes once decompressed",
                    file=src.name, hint="split it or raise the size limit",
                )
            fh = self.tar.extractfile(info)
            if fh is None:
                raise InputError("is not a regular file in the archive", file=src.name)
            data = fh.read(cap + 1)
        except _StreamTooBig:
            self.broken = _too_big(self.limits, src.name)
            raise self.broken from None
        except StopIteration:
            self.broken = InputError("the archive changed while the batch read it", file=src.name)
            raise self.broken from None
        except (tarfile.TarError, OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
            self.broken = InputError(f"the archive member is damaged ({exc})", file=src.name)
            raise self.broken from None
        return self._checked(src, data, cap)


def read_sources(
    sources: Iterable[Source], *, limits: ArchiveLimits | None = None
) -> Iterator[tuple[Source, bytes | InputError]]:
    """Each source with its bytes, or with the error that makes it a rejection."""
    reader = _ArchiveReader(limits or ArchiveLimits())
    try:
        for src in sources:
            try:
                if src.error is not None:
                    raise InputError(src.error, file=src.name, hint=src.hint)
                data = reader.read(src) if src.member is not None else _read_file(src)
            except InputError as exc:
                yield src, exc
            else:
                yield src, data
    finally:
        reader.close()


__all__ = ["DOSSIER_SUFFIXES", "TAR_SUFFIXES", "ArchiveLimits", "Source", "discover", "display", "read_sources"]
