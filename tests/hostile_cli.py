"""Support for the catalogue of hostile inputs (tests/test_hostile_inputs.py).

* :func:`qa` runs the real CLI (``python -m qa_engine ...``) in a child process with an
  address-space limit and a timeout, and :func:`assert_one_line_error` holds it to the
  contract for bad input: exit code 2, exactly one line on stderr that names the file
  and the place and says what to do, no traceback, well inside the time limit.
* Writers of hostile files: dossiers with a value swapped for a raw JSON or YAML
  token, and rulesets with one hostile criterion.
* :func:`schema_fields` walks the dossier's JSON Schema for the type-confusion tests.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from qa_engine.formats.loader import load_document

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"
BASE_EXAMPLE = EXAMPLES / "bootcamp-web-dev.yaml"
AS_OF = "2026-01-01"

#: Address space of a child process (RLIMIT_AS): a memory blow-up fails, not swaps.
MEMORY_LIMIT = 1536 * 1024 * 1024
#: Every case must finish well inside this many seconds ...
TIME_LIMIT = 30.0
#: ... and is killed after this many (a hang is a failure, not a stuck test run).
HARD_TIMEOUT = 120.0

#: Names Windows reserves for devices (also with any extension).
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{n}" for d in ("com", "lpt") for n in "0123456789"]
)
_WINDOWS_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


# --------------------------------------------------------------------------- running the CLI


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float

    def __str__(self) -> str:
        return (
            f"qa-engine {' '.join(a[:80] for a in self.args)} -> exit {self.code} "
            f"in {self.seconds:.1f}s\n--- stdout\n{self.stdout[-2000:]}\n--- stderr\n{self.stderr[-4000:]}"
        )


def _limit_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def child_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("QA_ENGINE_") and k not in ("PYTHONDEVMODE", "PYTHONWARNINGS")
    }
    env["PYTHONPATH"] = str(ROOT)
    env["COLUMNS"] = "200"
    return env


def qa(
    *args: str | Path,
    cwd: Path,
    stdin: bytes | Callable[[Any], None] | None = None,
) -> Run:
    """Run ``python -m qa_engine ARGS`` in ``cwd`` under the memory and time limits.

    ``stdin`` is bytes, or a function that writes to the child's stdin (it runs in a
    thread, so a stream can be produced lazily; a broken pipe ends it quietly).
    """
    argv = [sys.executable, "-m", "qa_engine", *map(str, args)]
    started = time.monotonic()
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=_limit_memory,
    )
    assert proc.stdin is not None

    def feed() -> None:
        assert proc.stdin is not None
        try:
            if callable(stdin):
                stdin(proc.stdin)
            elif stdin:
                proc.stdin.write(stdin)
        except (BrokenPipeError, ConnectionResetError, ValueError):
            pass  # the child stopped reading: that is what a size limit does
        finally:
            with contextlib.suppress(OSError):
                proc.stdin.close()

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for r in readers:
        r.start()
    try:
        code = proc.wait(timeout=HARD_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError(
            f"qa-engine {' '.join(map(str, args))[:300]} did not finish in {HARD_TIMEOUT}s"
        ) from None
    seconds = time.monotonic() - started
    for r in readers:
        r.join(30)
    writer.join(30)
    return Run(
        tuple(map(str, args)),
        code,
        b"".join(out_chunks).decode("utf-8", "replace"),
        b"".join(err_chunks).decode("utf-8", "replace"),
        seconds,
    )


def assert_finished_in_time(run: Run, limit: float = TIME_LIMIT) -> None:
    assert run.seconds < limit, f"took {run.seconds:.1f}s (limit {limit}s)\n{run}"
    for text in (run.stdout, run.stderr):
        assert "Traceback" not in text, run
        assert "MemoryError" not in text, run


def assert_one_line_error(run: Run, *fragments: str, code: int = 2) -> str:
    """Exit code 2, one clear line on stderr containing every fragment, in time.

    The line is ``qa-engine: error: <where>: <what>; <what to do>.``: a place and a
    hint; never an internal error (a bug caught by the last-resort handler).
    """
    assert_finished_in_time(run)
    assert run.code == code, run
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), run
    line = lines[0]
    assert line.startswith("qa-engine: error: "), run
    assert "internal error" not in line, run
    assert "; " in line, f"no hint (what to do) in: {line}"
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} not in: {line}"
    return line


def windows_usable(name: str) -> bool:
    """A file or folder name that Windows can create."""
    return (
        0 < len(name) <= 255
        and not _WINDOWS_BAD_CHARS.search(name)
        and not name.endswith((".", " "))
        and name.split(".", 1)[0].lower() not in WINDOWS_DEVICES
    )


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


# --------------------------------------------------------------------------- hostile dossiers


def base_data() -> dict[str, Any]:
    """The bootcamp-web-dev example as plain data (dates as ``datetime.date``)."""
    data, _ = load_document(BASE_EXAMPLE)
    return data


def jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


_MARK = "QAHOSTILEMARKER"


def _set(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


def json_with(path: tuple[str | int, ...], raw: str) -> str:
    """The base example as JSON with the value at ``path`` replaced by the raw token."""
    text = json.dumps(_set(jsonable(base_data()), path, _MARK), indent=1)
    return text.replace(json.dumps(_MARK), raw, 1)


def yaml_text(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def yaml_with(path: tuple[str | int, ...], raw: str) -> str:
    """The base example as block YAML with the value at ``path`` replaced by the raw token."""
    text = yaml_text(_set(base_data(), path, _MARK))
    assert text.count(_MARK) == 1
    return text.replace(_MARK, raw)


def sparse_file(path: Path, size: int, head: bytes = b"") -> None:
    """A file of ``size`` bytes that takes (almost) no disk space: ``head`` then a hole."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)


def endless_dossier(total: int, chunk: int = 1 << 20) -> Callable[[Any], None]:
    """A stdin writer: a dossier header, then ``total`` bytes of description, lazily."""

    def write(pipe: Any) -> None:
        pipe.write(b"schema_version: '1.0'\nid: endless\ndescription: ")
        block = b"a" * chunk
        sent = 0
        while sent < total:
            pipe.write(block)
            sent += len(block)

    return write


# --------------------------------------------------------------------------- hostile rulesets


def example_pair(field: str = "title") -> list[dict[str, Any]]:
    return [
        {"name": "present", "expect": "met", "dossier": {field: "x"}},
        {"name": "missing", "expect": "not_met", "dossier": {}},
    ]


def write_ruleset_with(
    root: Path,
    evil: dict[str, Any] | str | None,
    *,
    rid: str = "t",
    extra: dict[str, Any] | None = None,
) -> Path:
    """A ruleset ``<rid>@1.0.0`` under ``root/rulesets`` with one clean criterion in
    ruleset.yaml and, in ``criteria/EVIL-1.yaml``, the given criterion (a mapping,
    written as JSON, or raw file text). Returns the criterion file."""
    from yaml_helpers import criterion, write_ruleset

    write_ruleset(
        root,
        criteria=[criterion("OK-1", "exists(title)", examples=example_pair())],
        rid=rid,
        extra=extra,
    )
    folder = root / "rulesets" / rid / "1.0.0" / "criteria"
    folder.mkdir(exist_ok=True)
    target = folder / "EVIL-1.yaml"
    if evil is None:
        return target
    target.write_text(evil if isinstance(evil, str) else json.dumps(evil), encoding="utf-8")
    return target


def evil_criterion(when: str, **kw: Any) -> dict[str, Any]:
    from yaml_helpers import criterion

    return criterion("EVIL-1", when, examples=example_pair(), **kw)


# --------------------------------------------------------------------------- the JSON Schema


JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"  # dates: written as text


def _types_of(
    schema: dict[str, Any], defs: dict[str, Any]
) -> tuple[set[str], list[tuple[str | int, dict[str, Any]]]]:
    """The JSON types a value may have and the sub-schemas of its children
    (``(name, schema)`` for object properties, ``(0, schema)`` for array items)."""
    if "$ref" in schema:
        return _types_of(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            types: set[str] = set()
            children: list[tuple[str | int, dict[str, Any]]] = []
            for option in schema[key]:
                t, c = _types_of(option, defs)
                types |= t
                children += c
            return types, children
    if "const" in schema:
        return {json_type(schema["const"])}, []
    if "enum" in schema:
        return {json_type(v) for v in schema["enum"]}, []
    declared = schema.get("type")
    types = (
        set(declared) if isinstance(declared, list) else {declared} if declared else set(JSON_TYPES)
    )
    children = []
    if "object" in types:
        children += [(name, sub) for name, sub in (schema.get("properties") or {}).items()]
    if "array" in types and isinstance(schema.get("items"), dict):
        children.append((0, schema["items"]))
    if "number" in types:
        types.add("integer")
    return types, children


def schema_fields(schema: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], frozenset[str]]]:
    """Every field path of the schema (list items as index 0) with its allowed JSON types."""
    defs = schema.get("$defs", {})
    stack: list[tuple[tuple[str | int, ...], dict[str, Any], int]] = [((), schema, 0)]
    while stack:
        path, sub, depth = stack.pop()
        types, children = _types_of(sub, defs)
        if path:
            yield path, frozenset(types)
        if depth < 8:
            stack.extend((path + (name,), child, depth + 1) for name, child in children)


def set_path(data: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """A copy of ``data`` with ``value`` at ``path`` (list items must exist)."""
    return _set(data, path, value)
