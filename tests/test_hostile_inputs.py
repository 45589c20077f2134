"""The catalogue of hostile and broken inputs: one test per case, ids that name it.

The contract every case is held to (``hostile_cli.assert_one_line_error``): through
the real command line (``python -m qa_engine ...`` in a child process with a 1.5 GiB
address-space limit, finishing well inside 30 s, killed after 120 s) the input ends
in exit code 2 with exactly one line on stderr, ``qa-engine: error: <file>[:line:col]
[at <field path>]: <what>; <what to do>.`` -- never a traceback, an internal error, a
hang or a memory blow-up. Inside a batch the same files are rejections (summary.csv,
the journal, exit code 1) while the good dossiers next to them are evaluated.

1. Dossier files that must be refused, table ``BAD_FILES``. Each runs on its own
   through ``qa-engine check`` (``test_bad_dossier_file_is_one_line_error[<id>]``) or,
   for the variants, in-process (``test_bad_dossier_file_variant[<id>]``); all of them
   go through ``qa-engine batch`` in ``test_batch_rejects_every_bad_file_and_evaluates_the_rest``.
   Ids: ``yaml-*``/``json-*`` malformed YAML and JSON (also a NaN or a duplicate key
   before a syntax error); ``yaml-billion-laughs``, ``yaml-recursive-alias``,
   ``yaml-merge-key``; ``yaml-tag-*`` object-constructing tags (!!python/object,
   !!python/name, ...); ``size-200mb-file``; ``depth-*`` nesting 100,000 deep in YAML
   flow and block style and in JSON; ``encoding-*`` Latin-1, UTF-16, UTF-32, NUL,
   lone surrogate escapes; ``empty-*``; ``number-*`` NaN, Infinity, 1e999, 1e308 and
   5,000-digit numbers in numeric fields; ``id-*`` dossier ids with ``../``, ``/``,
   NUL, Windows device names (CON, NUL, COM1, AUX, LPT1) or 10,000 characters;
   ``type-*`` a field of the wrong type.
2. Oddities that must be accepted, table ``ACCEPTED``
   (``test_acceptable_oddity_is_checked[<id>]``): a UTF-8 byte order mark, a surrogate
   pair escape, tiny numbers such as 1e-05 -- checked, both engines agreeing.
3. A 1 GB stream on stdin, produced lazily
   (``test_gigabyte_on_stdin_stops_at_the_size_limit``).
4. Every field of the wrong type, generated with hypothesis: the examples mutated
   (``test_example_with_a_field_of_another_type``) and the dossier's JSON Schema
   walked (``test_schema_field_of_another_type``).
5. Markup and ``<script>`` in every text of every report: the HTML audit report, the
   batch dashboard and the diff report (``test_markup_in_*``).
6. Rulesets whose conditions try to escape or exhaust, table ``RULESET_CASES``:
   dunder attributes, calls, imports, 10 MB literals, 100,000 parentheses,
   catastrophic and polynomial regular expressions, size limits, hostile YAML in a
   criterion file. ``test_hostile_ruleset_check[<id>]`` (``check --rulesets-dir``),
   ``test_hostile_ruleset_lint[<id>]`` (``rulesets lint``), the variants in-process
   (``test_hostile_ruleset_variant[<id>]``) and all of them through one lint run
   (``test_hostile_ruleset_variants_through_lint``).
7. References to versions that do not exist (``test_unknown_version[<id>]``):
   ``extends:``, ``rubric:``, ``--ruleset``, ``--rubric``, diff and batch.
8. A broken store as ``--db`` of ``batch`` and ``history``: corrupted, foreign, zero
   bytes, a text file; refused, the file left byte for byte
   (``test_broken_store_is_refused_untouched[<kind>-<command>]``).
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hostile import (
    IMG,
    PAYLOAD,
    SCRIPT,
    hostile_dossier,
    hostile_ruleset_criteria,
    write_hostile_dossier,
)
from hostile_cli import (
    AS_OF,
    BASE_EXAMPLE,
    EXAMPLES,
    JSON_TYPES,
    assert_finished_in_time,
    assert_one_line_error,
    base_data,
    endless_dossier,
    evil_criterion,
    example_pair,
    files_under,
    json_type,
    json_with,
    jsonable,
    qa,
    schema_fields,
    set_path,
    sparse_file,
    windows_usable,
    write_ruleset_with,
    yaml_with,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from yaml_helpers import criterion, write_ruleset

from qa_engine.errors import DossierError, InputError, QAError
from qa_engine.formats.dossier import dossier_json_schema
from qa_engine.formats.loader import format_loc, load_document, load_dossier
from qa_engine.rules.registry import Registry
from qa_engine.services.check import check_dossier, check_file, resolve

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

MB = 1024 * 1024
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


# =========================================================================== 1. bad dossier files


@dataclass(frozen=True)
class BadFile:
    """A file that must be refused: its name, how to write it, and what the one error
    line must contain besides the file name (location and wording)."""

    id: str
    name: str
    write: Callable[[Path], object]
    expect: tuple[str, ...]
    #: also run on its own through ``qa-engine check`` (every case runs through the
    #: CLI in the batch test; the variants are checked in-process to keep this fast)
    cli: bool = True


def text(content: str) -> Callable[[Path], object]:
    return lambda p: p.write_text(content, encoding="utf-8")


def raw(content: bytes) -> Callable[[Path], object]:
    return lambda p: p.write_bytes(content)


def lazy(make: Callable[[], str | bytes]) -> Callable[[Path], object]:
    def write(p: Path) -> None:
        content = make()
        if isinstance(content, str):
            p.write_text(content, encoding="utf-8")
        else:
            p.write_bytes(content)

    return write


def _billion_laughs() -> str:
    lines = [
        "schema_version: '1.0'",
        "id: lol",
        "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
    ]
    prev = "a"
    for n in range(1, 10):
        lines.append(f"b{n}: &b{n} [{', '.join([f'*{prev}'] * 9)}]")
        prev = f"b{n}"
    return "\n".join(lines) + "\ntitle: *b9\n"


def _block_mapping(depth: int) -> str:
    return "".join(" " * i + "a:\n" for i in range(depth)) + " " * depth + "x\n"


def _base_text(encoding: str) -> bytes:
    return BASE_EXAMPLE.read_text(encoding="utf-8").encode(encoding)


def _half_json() -> str:
    full = json.dumps(jsonable(base_data()), indent=1)
    return full[: len(full) // 2]


D = 100_000  # nesting depth
HEADER = "schema_version: '1.0'\nid: x\n"

BAD_FILES = [
    # ---- malformed YAML and JSON
    BadFile(
        "yaml-bad-indentation",
        "yaml-bad-indentation.yaml",
        text("id: x\n  title: [unclosed\n"),
        (":2:", "invalid YAML"),
    ),
    BadFile(
        "yaml-unclosed-flow",
        "yaml-unclosed-flow.yaml",
        text(HEADER + "languages: [en, de\ntitle: x\n"),
        ("invalid YAML",),
        cli=False,
    ),
    BadFile(
        "yaml-tab-indentation",
        "yaml-tab-indentation.yaml",
        text(HEADER + "provider:\n\tname: x\n"),
        (":4:", "YAML"),
        cli=False,
    ),
    BadFile(
        "yaml-duplicate-key",
        "yaml-duplicate-key.yaml",
        text(HEADER + "title: a\ntitle: b\n"),
        (":4:1", "twice"),
        cli=False,
    ),
    BadFile(
        "yaml-two-documents",
        "yaml-two-documents.yaml",
        text(HEADER + "---\n" + HEADER),
        (":4:1", "more than one YAML document"),
        cli=False,
    ),
    BadFile(
        "yaml-top-level-list",
        "yaml-top-level-list.yaml",
        text("- schema_version: '1.0'\n- id: x\n"),
        ("expected a mapping",),
        cli=False,
    ),
    BadFile(
        "json-double-comma",
        "json-double-comma.json",
        text('{"id": "x",, }'),
        (":1:12", "invalid JSON"),
    ),
    BadFile(
        "json-cut-in-half", "json-cut-in-half.json", lazy(_half_json), ("invalid JSON",), cli=False
    ),
    BadFile(
        "json-duplicate-key",
        "json-duplicate-key.json",
        text('{"schema_version": "1.0", "id": "x",\n "id": "y"}'),
        (":2:2", "duplicate key"),
        cli=False,
    ),
    BadFile(
        "json-trailing-garbage",
        "json-trailing-garbage.json",
        text('{"schema_version": "1.0", "id": "x"} []'),
        (":1:", "invalid JSON"),
        cli=False,
    ),
    BadFile(
        "json-nan-then-syntax-error",
        "json-nan-then-syntax-error.json",
        text('{"a": NaN, "b": {"c"}}'),
        (":1:7", "NaN is not a valid JSON number"),
    ),
    BadFile(
        "json-duplicate-key-then-syntax-error",
        "json-duplicate-key-then-syntax-error.json",
        text('{"a": {"b": 1, "b": 2}, "c" 1}'),
        (":1:16", "duplicate key"),
    ),
    # ---- YAML aliases and tags
    BadFile(
        "yaml-billion-laughs", "yaml-billion-laughs.yaml", lazy(_billion_laughs), (":4:", "alias")
    ),
    BadFile(
        "yaml-recursive-alias",
        "yaml-recursive-alias.yaml",
        text(HEADER + "languages: &a [*a]\n"),
        ("alias",),
        cli=False,
    ),
    BadFile(
        "yaml-merge-key",
        "yaml-merge-key.yaml",
        text(HEADER + "provider: &p {name: x}\ncredential:\n  <<: *p\n"),
        ("alias",),
        cli=False,
    ),
    BadFile(
        "yaml-tag-python-object-apply",
        "yaml-tag-python-object-apply.yaml",
        text(HEADER + 'title: !!python/object/apply:os.system ["touch PWNED"]\n'),
        (":3:8", "!!python/object/apply:os.system"),
    ),
    BadFile(
        "yaml-tag-python-object-new",
        "yaml-tag-python-object-new.yaml",
        text(HEADER + "title: !!python/object/new:subprocess.Popen [[touch, PWNED]]\n"),
        (":3:8", "tag"),
        cli=False,
    ),
    BadFile(
        "yaml-tag-python-name",
        "yaml-tag-python-name.yaml",
        text(HEADER + "title: !!python/name:os.system\n"),
        (":3:8", "!!python/name:os.system"),
    ),
    BadFile(
        "yaml-tag-python-module",
        "yaml-tag-python-module.yaml",
        text(HEADER + "title: !!python/module:os\n"),
        (":3:8", "tag"),
        cli=False,
    ),
    BadFile(
        "yaml-tag-root-object",
        "yaml-tag-root-object.yaml",
        text("!!python/object:qa_engine.formats.dossier.Dossier {id: x}\n"),
        (":1:1", "tag"),
    ),
    BadFile(
        "yaml-tag-binary",
        "yaml-tag-binary.yaml",
        text(HEADER + "title: !!binary aGVsbG8=\n"),
        (":3:8", "!!binary"),
        cli=False,
    ),
    BadFile(
        "yaml-tag-set",
        "yaml-tag-set.yaml",
        text(HEADER + "languages: !!set {en: null}\n"),
        (":3:12", "!!set"),
        cli=False,
    ),
    BadFile(
        "yaml-tag-local",
        "yaml-tag-local.yaml",
        text(HEADER + "title: !shell rm -rf /\n"),
        (":3:8", "!shell"),
        cli=False,
    ),
    # ---- size
    BadFile(
        "size-200mb-file",
        "size-200mb-file.yaml",
        lambda p: sparse_file(p, 200 * MB, (HEADER + "description: ").encode()),
        ("larger than the limit",),
    ),
    # ---- nesting depth
    BadFile(
        "depth-100k-yaml-flow",
        "depth-100k-yaml-flow.yaml",
        text("[" * D + "]" * D + "\n"),
        (":1:", "nested too deeply"),
    ),
    BadFile(
        "depth-100k-yaml-flow-mapping",
        "depth-100k-yaml-flow-mapping.yaml",
        text("{a: " * D + "1" + "}" * D + "\n"),
        (":1:", "nested too deeply"),
        cli=False,
    ),
    BadFile(
        "depth-100k-yaml-block-sequence",
        "depth-100k-yaml-block-sequence.yaml",
        text("- " * D + "x\n"),
        (":1:", "nested too deeply"),
    ),
    BadFile(
        "depth-5000-yaml-block-mapping",
        "depth-5000-yaml-block-mapping.yaml",
        lazy(lambda: _block_mapping(5000)),
        (":64:64", "nested too deeply"),
        cli=False,
    ),
    BadFile(
        "depth-100k-json-array",
        "depth-100k-json-array.json",
        text("[" * D + "]" * D),
        ("nested too deeply",),
    ),
    BadFile(
        "depth-100k-json-object",
        "depth-100k-json-object.json",
        text('{"a":' * D + "1" + "}" * D),
        ("nested too deeply",),
        cli=False,
    ),
    # ---- encodings
    BadFile(
        "encoding-latin-1",
        "encoding-latin-1.yaml",
        raw(HEADER.encode() + b"title: Caf\xe9\n"),
        (":3:11", "not valid UTF-8 (byte 0xe9)"),
    ),
    BadFile(
        "encoding-invalid-utf8-json",
        "encoding-invalid-utf8-json.json",
        raw(b'{"id": "\xff\xfe\xfd"}'),
        (":1:9", "not valid UTF-8"),
        cli=False,
    ),
    BadFile(
        "encoding-utf16-bom",
        "encoding-utf16-bom.yaml",
        lazy(lambda: _base_text("utf-16")),
        ("UTF-16",),
    ),
    BadFile(
        "encoding-utf16le-no-bom",
        "encoding-utf16le-no-bom.yaml",
        lazy(lambda: _base_text("utf-16-le")),
        ("UTF-16",),
        cli=False,
    ),
    BadFile(
        "encoding-utf16be-json",
        "encoding-utf16be-json.json",
        lazy(lambda: json.dumps(jsonable(base_data())).encode("utf-16-be")),
        ("UTF-16",),
        cli=False,
    ),
    BadFile(
        "encoding-utf32",
        "encoding-utf32.yaml",
        lazy(lambda: _base_text("utf-32")),
        ("UTF-32",),
        cli=False,
    ),
    BadFile(
        "encoding-nul-byte",
        "encoding-nul-byte.yaml",
        raw(HEADER.encode() + b"title: a\x00b\n"),
        (":3:9", "U+0000"),
        cli=False,
    ),
    BadFile(
        "encoding-escape-sequence",
        "encoding-escape-sequence.yaml",
        raw(HEADER.encode() + b"title: \x1b[31mred\n"),
        (":3:8", "U+001B"),
        cli=False,
    ),
    BadFile(
        "encoding-lone-surrogate-json",
        "encoding-lone-surrogate-json.json",
        lazy(lambda: json_with(("title",), '"\\ud800"')),
        ("at title", "surrogate"),
    ),
    BadFile(
        "encoding-lone-surrogate-yaml",
        "encoding-lone-surrogate-yaml.yaml",
        lazy(lambda: yaml_with(("provider", "name"), '"x\\udfffy"')),
        ("at provider.name", "\\udfff"),
        cli=False,
    ),
    # ---- empty
    BadFile("empty-zero-bytes", "empty-zero-bytes.yaml", raw(b""), ("is empty",), cli=False),
    BadFile("empty-whitespace", "empty-whitespace.json", text(" \n\t\n"), ("is empty",), cli=False),
    BadFile(
        "empty-bom-only", "empty-bom-only.yaml", raw(b"\xef\xbb\xbf"), ("is empty",), cli=False
    ),
    # ---- numbers
    BadFile(
        "number-json-nan",
        "number-json-nan.json",
        lazy(lambda: json_with(("modules", 0, "hours"), "NaN")),
        (":", "NaN is not a valid JSON number"),
    ),
    BadFile(
        "number-json-infinity",
        "number-json-infinity.json",
        lazy(lambda: json_with(("cohorts", 0, "satisfaction"), "Infinity")),
        ("Infinity is not a valid JSON number",),
    ),
    BadFile(
        "number-json-minus-infinity",
        "number-json-minus-infinity.json",
        lazy(lambda: json_with(("assessments", 0, "weight"), "-Infinity")),
        ("-Infinity is not a valid JSON number",),
        cli=False,
    ),
    BadFile(
        "number-json-1e999",
        "number-json-1e999.json",
        lazy(lambda: json_with(("modules", 0, "hours"), "1e999")),
        ("at modules[0].hours", "finite number"),
    ),
    BadFile(
        "number-json-minus-1e999",
        "number-json-minus-1e999.json",
        lazy(lambda: json_with(("staff", 0, "years_experience"), "-1e999")),
        ("at staff[0].years_experience", "finite"),
        cli=False,
    ),
    BadFile(
        "number-json-1e308-hours",
        "number-json-1e308-hours.json",
        lazy(lambda: json_with(("modules", 0, "hours"), "1e308")),
        ("at modules[0].hours", "at most"),
    ),
    BadFile(
        "number-json-1e308-experience",
        "number-json-1e308-experience.json",
        lazy(lambda: json_with(("staff", 0, "years_experience"), "1e308")),
        ("at staff[0].years_experience", "at most"),
        cli=False,
    ),
    BadFile(
        "number-json-1e308-response-time",
        "number-json-1e308-response-time.json",
        lazy(lambda: json_with(("support", "response_time_hours"), "1e308")),
        ("at support.response_time_hours", "at most"),
        cli=False,
    ),
    BadFile(
        "number-json-5000-digits",
        "number-json-5000-digits.json",
        lazy(lambda: json_with(("cohorts", 0, "enrolled"), "1" + "0" * 5000)),
        (":", "too many digits"),
    ),
    BadFile(
        "number-json-10e400-learners",
        "number-json-10e400-learners.json",
        lazy(lambda: json_with(("cohorts", 0, "enrolled"), "1" + "0" * 400)),
        ("at cohorts[0].enrolled", "at most"),
        cli=False,
    ),
    BadFile(
        "number-json-2e64-review-cycle",
        "number-json-2e64-review-cycle.json",
        lazy(lambda: json_with(("quality_assurance", "internal_review_cycle_months"), str(2**64))),
        ("at quality_assurance.internal_review_cycle_months", "at most"),
        cli=False,
    ),
    BadFile(
        "number-yaml-nan",
        "number-yaml-nan.yaml",
        lazy(lambda: yaml_with(("modules", 0, "hours"), ".nan")),
        ("at modules[0].hours", "finite number"),
    ),
    BadFile(
        "number-yaml-inf",
        "number-yaml-inf.yaml",
        lazy(lambda: yaml_with(("cohorts", 1, "satisfaction"), ".inf")),
        ("at cohorts[1].satisfaction", "finite number"),
    ),
    BadFile(
        "number-yaml-minus-inf",
        "number-yaml-minus-inf.yaml",
        lazy(lambda: yaml_with(("assessments", 1, "pass_mark"), "-.inf")),
        ("at assessments[1].pass_mark", "finite"),
        cli=False,
    ),
    BadFile(
        "number-yaml-1e999",
        "number-yaml-1e999.yaml",
        lazy(lambda: yaml_with(("credential", "workload", "hours"), "1e999")),
        ("at credential.workload.hours", "finite"),
        cli=False,
    ),
    BadFile(
        "number-yaml-1e308",
        "number-yaml-1e308.yaml",
        lazy(lambda: yaml_with(("modules", 1, "activities", 0, "hours"), "1e308")),
        ("at modules[1].activities[0].hours", "at most"),
    ),
    BadFile(
        "number-yaml-5000-digits",
        "number-yaml-5000-digits.yaml",
        lazy(lambda: yaml_with(("cohorts", 0, "passed"), "9" * 5000)),
        (":", "too many digits"),
        cli=False,
    ),
    # ---- dossier ids
    BadFile(
        "id-dotdot-slash",
        "id-dotdot-slash.json",
        lazy(lambda: json_with(("id",), '"../../escape"')),
        ("at id", "slug"),
    ),
    BadFile(
        "id-absolute-path",
        "id-absolute-path.json",
        lazy(lambda: json_with(("id",), '"/etc/passwd"')),
        ("at id",),
        cli=False,
    ),
    BadFile(
        "id-slash", "id-slash.yaml", lazy(lambda: yaml_with(("id",), "a/b")), ("at id", "slug")
    ),
    BadFile(
        "id-backslash",
        "id-backslash.json",
        lazy(lambda: json_with(("id",), '"a\\\\b"')),
        ("at id", "slug"),
        cli=False,
    ),
    BadFile(
        "id-nul", "id-nul.json", lazy(lambda: json_with(("id",), '"a\\u0000b"')), ("at id", "slug")
    ),
    BadFile(
        "id-dotdot",
        "id-dotdot.json",
        lazy(lambda: json_with(("id",), '".."')),
        ("at id",),
        cli=False,
    ),
    BadFile(
        "id-windows-con-upper",
        "id-windows-con-upper.json",
        lazy(lambda: json_with(("id",), '"CON"')),
        ("at id",),
        cli=False,
    ),
    BadFile(
        "id-windows-con",
        "id-windows-con.json",
        lazy(lambda: json_with(("id",), '"con"')),
        ("at id", "Windows"),
    ),
    BadFile(
        "id-windows-nul-ext",
        "id-windows-nul-ext.yaml",
        lazy(lambda: yaml_with(("id",), "nul.v2")),
        ("at id", "Windows"),
    ),
    BadFile(
        "id-windows-com1",
        "id-windows-com1.json",
        lazy(lambda: json_with(("id",), '"com1"')),
        ("at id", "Windows"),
    ),
    BadFile(
        "id-windows-aux",
        "id-windows-aux.json",
        lazy(lambda: json_with(("id",), '"aux"')),
        ("at id", "Windows"),
    ),
    BadFile(
        "id-windows-lpt1",
        "id-windows-lpt1.json",
        lazy(lambda: json_with(("id",), '"lpt1"')),
        ("at id", "Windows"),
    ),
    BadFile(
        "id-10000-chars",
        "id-10000-chars.json",
        lazy(lambda: json_with(("id",), '"' + "a" * 10_000 + '"')),
        ("at id", "at most 128 characters"),
    ),
    # ---- a field of the wrong type (the generated cases are in section 4)
    BadFile(
        "type-list-for-text",
        "type-list-for-text.yaml",
        lazy(lambda: yaml_with(("title",), "[a, b]")),
        ("at title", "expected text"),
        cli=False,
    ),
    BadFile(
        "type-text-for-list",
        "type-text-for-list.json",
        lazy(lambda: json_with(("outcomes",), '"all of them"')),
        ("at outcomes", "expected a list"),
    ),
    BadFile(
        "type-text-for-number",
        "type-text-for-number.yaml",
        lazy(lambda: yaml_with(("credential", "workload", "ects"), "'5'")),
        ("at credential.workload.ects", "expected a number"),
        cli=False,
    ),
]


def _case_ids(cases: list[Any]) -> list[str]:
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return ids


CLI_BAD_FILES = [c for c in BAD_FILES if c.cli]
LIB_BAD_FILES = [c for c in BAD_FILES if not c.cli]


@pytest.mark.parametrize("case", CLI_BAD_FILES, ids=_case_ids(CLI_BAD_FILES))
def test_bad_dossier_file_is_one_line_error(case: BadFile, tmp_path: Path) -> None:
    """``qa-engine check FILE``: exit 2, one line naming the file, the place and what
    to do; a YAML tag never runs anything."""
    path = tmp_path / case.name
    case.write(path)
    run = qa("check", path.name, "--as-of", AS_OF, cwd=tmp_path)
    assert_one_line_error(run, f"error: {case.name}", *case.expect)
    assert not (tmp_path / "PWNED").exists(), "a YAML tag ran a command"
    assert run.stdout == ""


@pytest.mark.parametrize("case", LIB_BAD_FILES, ids=_case_ids(LIB_BAD_FILES))
def test_bad_dossier_file_variant(
    case: BadFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The variants, in-process (``load_dossier``, what ``check`` calls): the one
    sentence the CLI prints. Through the CLI they run in the batch test below."""
    monkeypatch.chdir(tmp_path)
    case.write(tmp_path / case.name)
    with pytest.raises((InputError, DossierError)) as info:
        load_dossier(case.name)
    message = str(info.value)
    assert "\n" not in message and message.startswith(case.name) and "; " in message, message
    for fragment in case.expect:
        assert fragment in message, (fragment, message)


# =========================================================================== 2. oddities that are fine


ACCEPTED = [
    BadFile("bom-yaml", "bom-yaml.yaml", lazy(lambda: b"\xef\xbb\xbf" + _base_text("utf-8")), ()),
    BadFile(
        "bom-json",
        "bom-json.json",
        lazy(lambda: b"\xef\xbb\xbf" + json.dumps(jsonable(base_data())).encode()),
        (),
    ),
    BadFile(
        "escape-surrogate-pair-yaml",
        "escape-surrogate-pair-yaml.yaml",
        lazy(lambda: yaml_with(("title",), '"\\ud83d\\ude00 emoji"')),
        (),
    ),
    BadFile(
        "number-1e-05-yaml",
        "number-1e-05-yaml.yaml",
        lazy(lambda: yaml_with(("modules", 0, "hours"), "1e-05")),
        (),
    ),
    BadFile(
        "number-1e-05-json",
        "number-1e-05-json.json",
        lazy(lambda: json_with(("assessments", 0, "weight"), "1e-05")),
        (),
    ),
    BadFile(
        "number-denormal-json",
        "number-denormal-json.json",
        lazy(lambda: json_with(("credential", "workload", "hours"), "5e-324")),
        (),
    ),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=_case_ids(ACCEPTED))
def test_acceptable_oddity_is_checked(
    case: BadFile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A UTF-8 BOM and tiny numbers are valid input: the dossier is checked against
    quality-review (which reads hours, weights and workload) with exit 0 or 1, no
    criterion in state error, and the pure-Python engine gives the same verdicts as
    the durable-rules engine the CLI used."""
    path = tmp_path / case.name
    case.write(path)
    args = ("check", path.name, "--as-of", AS_OF, "--ruleset", "quality-review", "-f", "json")
    run = qa(*args, cwd=tmp_path)
    assert_finished_in_time(run)
    assert run.code in (0, 1), run
    assert run.stderr == "", run
    report = json.loads(run.stdout)
    assert report["dossier"]["id"] == "bootcamp-web-dev"
    states = {c["id"]: c["state"] for c in report["criteria"]}
    assert "error" not in states.values(), states
    monkeypatch.chdir(tmp_path)
    setup = resolve(ruleset="quality-review", engine="python", as_of=_dt.date.fromisoformat(AS_OF))
    assert {c.id: c.state for c in check_file(setup, path.name).criteria} == states


# =========================================================================== 3. a gigabyte on stdin


def test_gigabyte_on_stdin_stops_at_the_size_limit(tmp_path: Path) -> None:
    """``check -`` reading an endless stream: refused at the size limit, without
    reading (or keeping) the whole gigabyte. The stream is produced lazily by a pipe
    writer thread."""
    run = qa("check", "-", "--as-of", AS_OF, cwd=tmp_path, stdin=endless_dossier(1024 * MB))
    assert_one_line_error(run, "<stdin>", "larger than the limit")


# =========================================================================== batch: the same files


def _summary(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        return {row["file"]: row for row in csv.DictReader(fh)}


def test_batch_rejects_every_bad_file_and_evaluates_the_rest(tmp_path: Path) -> None:
    """Every file of section 1 in one folder with the files of section 2 and two good
    examples: each bad file is a rejection with its one-line error (summary.csv, the
    journal), everything else is evaluated, exit code 1. Nothing is written outside
    OUT and the store, and every name written is usable on Windows."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    for case in BAD_FILES + ACCEPTED:
        case.write(inbox / case.name)
    good = ["mooc-intro-ai.yaml", "uni-data-analytics.yaml"]
    for name in good:
        (inbox / name).write_bytes((EXAMPLES / name).read_bytes())
    out, db = tmp_path / "out", tmp_path / "store.sqlite"
    before = files_under(tmp_path)
    siblings = set(tmp_path.parent.iterdir())

    run = qa(
        "batch", "in", "--out", "out", "--db", db.name, "--as-of", AS_OF, "-j", "2", cwd=tmp_path
    )
    assert_finished_in_time(run, 90)
    assert run.code == 1, run

    rows = _summary(out)
    assert len(rows) == len(BAD_FILES) + len(ACCEPTED) + len(good)
    from qa_engine.services.batch.inputs import display

    here = os.path.realpath(inbox)  # inputs are named by their absolute path

    def named(name: str) -> str:
        return display(f"{here}/{name}")

    for case in BAD_FILES:
        row = rows[named(case.name)]
        assert row["status"] == "rejected", (case.id, row)
        assert row["error"].startswith(named(case.name)), (case.id, row)
        assert "\n" not in row["error"] and "internal error" not in row["error"], (case.id, row)
        for fragment in case.expect:
            assert fragment in row["error"], (case.id, fragment, row["error"])
    for name in [c.name for c in ACCEPTED] + good:
        assert rows[named(name)]["status"] == "evaluated", rows[named(name)]
    journal = [
        json.loads(line) for line in (out / ".qa-batch" / "records.jsonl").read_text().splitlines()
    ]
    rejected = {r["file"] for r in journal if r.get("t") == "r"}
    assert rejected == {named(c.name) for c in BAD_FILES}
    assert not (tmp_path / "PWNED").exists()

    # nothing outside OUT and the store; names Windows can create
    created = files_under(tmp_path) - before
    store_files = {db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")}
    strays = [p for p in created if p not in store_files and out not in p.parents]
    assert not strays, strays
    assert set(tmp_path.parent.iterdir()) == siblings
    for p in created:
        if out in p.parents:
            for part in p.relative_to(out).parts:
                assert windows_usable(part), p


# =========================================================================== 4. wrong types, generated


def _leaf_paths(data: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out: list[tuple[str | int, ...]] = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            out += _leaf_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _leaf_paths(value, (*path, index))
    return out


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=8))
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "null": st.none(),
    "boolean": st.booleans(),
    "integer": st.one_of(
        st.integers(-(10**6), 10**6), st.sampled_from([2**63, -(2**63) - 1, 10**30])
    ),
    "number": st.one_of(
        st.sampled_from([0.5, -2.25, 1e-05, 5e-324]),
        st.floats(-1e9, 1e9, allow_nan=False).map(lambda f: f + 0.5 if f.is_integer() else f),
    ),
    "string": st.one_of(
        st.text(max_size=20), st.sampled_from(["", "2024-01-01", "1.0", "true", "null", PAYLOAD])
    ),
    "array": st.lists(_SCALAR, max_size=3),
    "object": st.dictionaries(st.text(max_size=8), _SCALAR, max_size=3),
}


def other_type(allowed: frozenset[str]) -> st.SearchStrategy[Any]:
    """A JSON value of a type not in ``allowed`` (integers count as numbers)."""
    if "number" in allowed:
        allowed = allowed | {"integer"}
    # with "integer" alone, a non-integral number is of another type
    return st.sampled_from([t for t in JSON_TYPES if t not in allowed]).flatmap(
        lambda t: _VALUES[t]
    )


EXAMPLE_DATA = {p.stem: jsonable(load_document(p)[0]) for p in sorted(EXAMPLES.glob("*.yaml"))}
_SETUP: dict[str, Any] = {}


def _setup() -> Any:
    if "s" not in _SETUP:
        _SETUP["s"] = resolve(as_of=_dt.date.fromisoformat(AS_OF))
    return _SETUP["s"]


def _assert_names_path(exc: Exception, path: tuple[str | int, ...]) -> None:
    assert isinstance(exc, (DossierError, InputError)), repr(exc)
    want = format_loc(path)
    got = getattr(exc, "path", None) or ""
    assert got == want or got.startswith((want + ".", want + "[")), f"{want!r} not named by: {exc}"
    assert f"at {got}" in str(exc) and "\n" not in str(exc)
    assert exc.line is not None, str(exc)


@st.composite
def mutated_example(draw: st.DrawFn) -> tuple[str, tuple[str | int, ...], Any, Any]:
    name = draw(st.sampled_from(sorted(EXAMPLE_DATA)))
    data = EXAMPLE_DATA[name]
    path = draw(st.sampled_from(_leaf_paths(data)))
    original = _get(data, path)
    kind = json_type(original)
    allowed = frozenset({"integer", "number"} if kind in ("integer", "number") else {kind})
    value = draw(other_type(allowed))
    return name, path, value, set_path(data, path, value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_example())
def test_example_with_a_field_of_another_type(
    case: tuple[str, tuple[str | int, ...], Any, Any],
) -> None:
    """An example dossier with one value (anywhere: a leaf, a list, a mapping) replaced
    by a value of another JSON type: ``load_dossier`` raises DossierError naming that
    field's path, or accepts it (e.g. null for an optional field) and then the whole
    check runs. Never any other exception."""
    name, path, _value, doc = case
    try:
        dossier = load_dossier(text=json.dumps(doc), path=f"{name}.json")
    except (DossierError, InputError) as exc:
        event("rejected")
        _assert_names_path(exc, path)
        return
    event("accepted")
    report = check_dossier(_setup(), dossier, file=f"{name}.json")
    assert report.dossier.id == dossier.id


SCHEMA = dossier_json_schema()
SCHEMA_FIELDS = sorted(schema_fields(SCHEMA), key=lambda item: format_loc(item[0]))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
SKELETON = jsonable(hostile_dossier())  # every text field filled, one item in every list


def test_schema_walk_reaches_every_model_field() -> None:
    """The walk below sees the whole schema: every field of every model."""
    from qa_engine.formats import dossier as dm

    names = {p[-1] for p, _ in SCHEMA_FIELDS if isinstance(p[-1], str)}
    for model in (
        dm.Dossier,
        dm.Cohort,
        dm.Assessment,
        dm.Module,
        dm.Material,
        dm.Credential,
        dm.Source,
    ):
        assert set(model.model_fields) <= names, model
    assert len(SCHEMA_FIELDS) > 100


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SCHEMA_FIELDS).flatmap(lambda f: st.tuples(st.just(f[0]), other_type(f[1]))))
def test_schema_field_of_another_type(case: tuple[tuple[str | int, ...], Any]) -> None:
    """Generated from the JSON Schema (``qa-engine schema dossier``): a field set to a
    value of a JSON type the schema does not allow, in a dossier that has every field.
    The schema rejects it, and so does ``load_dossier``, naming the field."""
    path, value = case
    doc = set_path(SKELETON, path, value)
    assert not VALIDATOR.is_valid(doc), (path, value)
    with pytest.raises((DossierError, InputError)) as info:
        load_dossier(text=json.dumps(doc), path="skeleton.json")
    _assert_names_path(info.value, path)


# =========================================================================== 5. markup in every report


class Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_markup_escaped(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert "<img" not in html, where
    for tag, attrs in Tags(html).tags:
        assert tag not in ("img", "iframe", "object", "embed"), (where, tag)
        assert tag != "script" or not attrs.get("src"), (where, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:")), (
                    where,
                    value,
                )


def _hostile_rulesets(root: Path) -> Path:
    """hostile@1.0.0 and hostile@2.0.0: every text (titles, rationale, remediation,
    references, areas, bands) is markup, and 2.0.0 changes, drops and adds criteria."""
    criteria, standards = hostile_ruleset_criteria()
    bands = [
        {
            "id": "ok",
            "label": f"OK {PAYLOAD}",
            "min_score": 50,
            "max_essential_failures": 0,
            "passes": True,
        },
        {"id": "no", "label": f"No {PAYLOAD}", "min_score": 0, "passes": False},
    ]
    write_ruleset(
        root,
        criteria=criteria,
        standards=standards,
        rid="hostile",
        rubric={"title": PAYLOAD, "bands": bands},
        extra={"title": f"Ruleset {PAYLOAD}"},
    )
    changed = [dict(c) for c in criteria if c["id"] != "X-3"]
    changed[0] = {
        **changed[0],
        "title": f"Changed {PAYLOAD}",
        "levels": [{"level": "met", "when": "exists(title)"}],
    }
    changed[1] = {**changed[1], "weight": 3, "essential": False}
    changed.append(
        criterion(
            "X-4",
            "exists(provider.name)",
            area=criteria[0]["area"],
            title=f"New {SCRIPT}",
            replaces=["X-3"],
            rationale=PAYLOAD,
            remediation=PAYLOAD,
        )
    )
    write_ruleset(
        root,
        criteria=changed,
        standards=standards,
        rid="hostile",
        version="2.0.0",
        extra={"title": f"Ruleset two {PAYLOAD}", "rubric": "hostile@2.0.0"},
    )
    rubric2 = {
        "id": "hostile",
        "version": "2.0.0",
        "title": f"Two {PAYLOAD}",
        "bands": [{**bands[0], "min_score": 70, "label": f"Better {SCRIPT}"}, bands[1]],
    }
    (root / "rubrics" / "hostile" / "2.0.0.yaml").write_text(json.dumps(rubric2), encoding="utf-8")
    return root / "rulesets"


def test_markup_in_html_audit_report(tmp_path: Path) -> None:
    """Markup in every dossier text and every ruleset/rubric text: the HTML audit
    report shows it escaped and never runs it."""
    rulesets = _hostile_rulesets(tmp_path / "content")
    dossier = write_hostile_dossier(tmp_path)
    run = qa(
        "check",
        dossier.name,
        "--rulesets-dir",
        rulesets,
        "--ruleset",
        "hostile@1.0.0",
        "--as-of",
        AS_OF,
        "-f",
        "html",
        "-o",
        "report.html",
        cwd=tmp_path,
    )
    assert_finished_in_time(run)
    assert run.code in (0, 1), run
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert_markup_escaped(html, "audit report")
    assert html.count(ESCAPED_SCRIPT) >= 10


def test_markup_in_batch_dashboard(tmp_path: Path) -> None:
    """The same through a batch: the dashboard (rows, errors, failed criteria), the
    per-dossier reports and a rejected file whose name is markup."""
    rulesets = _hostile_rulesets(tmp_path / "content")
    inbox = tmp_path / "in"
    inbox.mkdir()
    write_hostile_dossier(inbox)
    (inbox / "second.json").write_text(
        json.dumps({**hostile_dossier(), "id": "second"}), encoding="utf-8"
    )
    (inbox / f"{IMG} broken.yaml").write_text(f"id: [{SCRIPT}\n", encoding="utf-8")
    run = qa(
        "batch",
        "in",
        "--out",
        "out",
        "--db",
        "store.sqlite",
        "--rulesets-dir",
        rulesets,
        "--ruleset",
        "hostile@1.0.0",
        "--as-of",
        AS_OF,
        "-j",
        "1",
        cwd=tmp_path,
    )
    assert_finished_in_time(run, 60)
    assert run.code == 1, run
    pages = sorted((tmp_path / "out").rglob("*.html"))
    assert (tmp_path / "out" / "index.html") in pages and len(pages) >= 3
    for page in pages:
        assert_markup_escaped(page.read_text(encoding="utf-8"), str(page))
    dashboard = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt; broken.yaml" in dashboard


def test_markup_in_diff_report(tmp_path: Path) -> None:
    """The diff report between two hostile ruleset versions, with a hostile corpus."""
    rulesets = _hostile_rulesets(tmp_path / "content")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_hostile_dossier(corpus)
    run = qa(
        "diff",
        "hostile@1.0.0",
        "hostile@2.0.0",
        "--corpus",
        corpus,
        "--rulesets-dir",
        rulesets,
        "--as-of",
        AS_OF,
        "--format",
        "html",
        "-o",
        "diff.html",
        cwd=tmp_path,
    )
    assert_finished_in_time(run)
    assert run.code == 0, run
    html = (tmp_path / "diff.html").read_text(encoding="utf-8")
    assert_markup_escaped(html, "diff report")
    assert ESCAPED_SCRIPT in html


# =========================================================================== 6. hostile rulesets


@dataclass(frozen=True)
class RulesetCase:
    """A criterion file ``criteria/EVIL-1.yaml`` (a condition, or raw file text) and
    what the one error line must contain besides the file."""

    id: str
    evil: Callable[[], dict[str, Any] | str]
    expect: tuple[str, ...]
    criterion: bool = True  # the line names criterion EVIL-1 (not for YAML-level errors)
    cli: bool = False  # also through ``qa-engine check`` (the others load in-process)


def when(expr: str | Callable[[], str], **kw: Any) -> Callable[[], dict[str, Any]]:
    return lambda: evil_criterion(expr() if callable(expr) else expr, **kw)


TEN_MB = 10 * MB
RULESET_CASES = [
    RulesetCase(
        "dunder-attribute", when('title.__class__ == "x"'), ("__class__", "underscore"), cli=True
    ),
    RulesetCase(
        "dunder-attribute-chain", when('credential.__class__.__mro__ == "x"'), ("__class__",)
    ),
    RulesetCase("dunder-name", when("__class__ == 1"), ("__class__",)),
    RulesetCase(
        "dunder-builtins", when('exists(title) and __builtins__.open("x")'), ("__builtins__",)
    ),
    RulesetCase("dunder-item-variable", when("all(__x in outcomes: true)"), ("__x",)),
    RulesetCase("call-open", when('open("x") == "x"'), ("unknown function 'open'",), cli=True),
    RulesetCase("call-dunder-import", when('__import__("os")'), ("__import__",), cli=True),
    RulesetCase("call-eval", when('exists(eval("1"))'), ("unknown function 'eval'",)),
    RulesetCase(
        "call-getattr", when('getattr(title, "upper") == 1'), ("unknown function 'getattr'",)
    ),
    RulesetCase("call-method", when('title.upper() == "X"'), ("cannot be called",)),
    RulesetCase(
        "import-statement", when("import os"), ("expected the end of the expression",), cli=True
    ),
    RulesetCase("statement-separator", when("true; import os"), ("';'",)),
    RulesetCase("lambda", when("lambda: 1"), ("expected the end of the expression",)),
    RulesetCase("walrus", when("(x := 1) == 1"), ("'='",)),
    RulesetCase("state-of-dunder", when('state("__class__") == "met"'), ("unknown criterion",)),
    RulesetCase(
        "huge-number-10mb",
        when(lambda: "count(outcomes) > " + "9" * TEN_MB),
        ("too long", "limit is 4000"),
        cli=True,
    ),
    RulesetCase(
        "huge-string-10mb", when(lambda: 'title == "' + "a" * TEN_MB + '"'), ("too long",), cli=True
    ),
    RulesetCase(
        "huge-float-literal", when(lambda: "count(outcomes) > " + "9" * 3900 + ".5"), ("too large",)
    ),
    RulesetCase("exponent-literal-1e999", when("count(outcomes) > 1e999"), ("exponent notation",)),
    RulesetCase(
        "depth-100k-parentheses",
        when(lambda: "(" * 100_000 + "true" + ")" * 100_000),
        ("too long",),
        cli=True,
    ),
    RulesetCase(
        "depth-1990-parentheses",
        when(lambda: "(" * 1990 + "true" + ")" * 1990),
        ("nested too deeply",),
    ),
    RulesetCase("depth-not-chain", when(lambda: "not " * 900 + "true"), ("nested too deeply",)),
    RulesetCase("depth-unary-minus", when(lambda: "-" * 3000 + "1 > 0"), ("nested too deeply",)),
    RulesetCase(
        "depth-nested-lists",
        when(lambda: "1 in " + "[" * 1900 + "]" * 1900),
        ("nested too deeply",),
    ),
    RulesetCase(
        "size-too-many-parts",
        when(lambda: "1 == 1 or " * 390 + "true"),
        ("too large", "500 parts"),
        cli=True,
    ),
    RulesetCase(
        "regex-nested-repeat", when('matches(title, "(a+)+$")'), ("very slow", "(a+)+"), cli=True
    ),
    RulesetCase(
        "regex-overlapping-alternatives", when('matches(title, "(a|a)*")'), ("very slow", "(a|a)*")
    ),
    RulesetCase(
        "regex-repeat-of-wildcard-group", when('matches(title, "(.*a){20}")'), ("very slow",)
    ),
    RulesetCase("regex-email-like", when('matches(title, "([a-z]+\\\\.)+com")'), ("very slow",)),
    RulesetCase(
        "regex-polynomial-stars", when('matches(title, "a*a*a*a*b")'), ("very slow", "a*a*")
    ),
    RulesetCase(
        "regex-polynomial-wildcards",
        when('matches(title, ".*.*.*=.*")'),
        ("very slow", ".*.*"),
        cli=True,
    ),
    RulesetCase(
        "regex-polynomial-in-lookahead", when('matches(title, "(?=\\\\w+\\\\w+$)")'), ("very slow",)
    ),
    RulesetCase("regex-invalid", when('matches(title, "[")'), ("invalid regular expression",)),
    RulesetCase(
        "regex-too-long", when(lambda: 'matches(title, "' + "a" * 300 + '")'), ("too long", "200")
    ),
    RulesetCase(
        "applies-when-dunder",
        when("exists(title)", applies_when="__import__('os')"),
        ("applies_when", "__import__"),
        cli=True,
    ),
    RulesetCase(
        "yaml-tag-in-criterion-file",
        lambda: "id: !!python/object/apply:os.system ['touch PWNED']\n",
        (":1:5", "tag"),
        criterion=False,
        cli=True,
    ),
    RulesetCase("yaml-alias-bomb-in-criterion-file", _billion_laughs, ("alias",), criterion=False),
    RulesetCase(
        "deep-yaml-in-criterion-file",
        lambda: "[" * D + "]" * D,
        ("nested too deeply",),
        criterion=False,
    ),
]


def _ruleset_case(case: RulesetCase, root: Path) -> Path:
    evil = case.evil()
    return write_ruleset_with(root, evil)


CLI_RULESET_CASES = [c for c in RULESET_CASES if c.cli]


VARIANT_RULESET_CASES = [c for c in RULESET_CASES if not c.cli]


@pytest.mark.parametrize("case", VARIANT_RULESET_CASES, ids=_case_ids(VARIANT_RULESET_CASES))
def test_hostile_ruleset_variant(
    case: RulesetCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The variants, in-process: loading the ruleset (what every command does first)
    fails with the one sentence the CLI prints, naming the criterion file, the
    criterion and the place, in well under a second. Through the CLI they all run in
    ``test_hostile_ruleset_variants_through_lint``."""
    crit_file = _ruleset_case(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    with pytest.raises(QAError) as info:
        Registry(ruleset_dirs=["rulesets"]).ruleset("t")
    assert time.monotonic() - started < 5
    message = str(info.value)
    assert "\n" not in message and "; " in message, message
    assert message.startswith(str(crit_file.relative_to(tmp_path))), message
    for fragment in case.expect:
        assert fragment in message, (fragment, message)
    if case.criterion:
        assert "criterion EVIL-1" in message
    assert not (tmp_path / "PWNED").exists()


def test_hostile_ruleset_variants_through_lint(tmp_path: Path) -> None:
    """Every variant as its own ruleset (v0, v1, ...) in one folder: ``rulesets lint``
    lists each as one line naming its criterion file, exits 2, and the bundled
    rulesets next to them still lint clean."""
    files = {}
    for n, case in enumerate(VARIANT_RULESET_CASES):
        crit_file = write_ruleset_with(tmp_path, case.evil(), rid=f"v{n}")
        files[str(crit_file.relative_to(tmp_path))] = case
    run = qa("rulesets", "lint", "--rulesets-dir", "rulesets", cwd=tmp_path)
    assert_finished_in_time(run)
    assert run.code == 2 and run.stderr == "", run
    lines = run.stdout.splitlines()
    assert len(lines) == len(files), run
    for name, case in files.items():
        (line,) = [x for x in lines if x.startswith(name)]
        for fragment in case.expect:
            assert fragment in line, (case.id, fragment, line)
        if case.criterion:
            assert "criterion EVIL-1" in line, (case.id, line)


@pytest.mark.parametrize("case", CLI_RULESET_CASES, ids=_case_ids(CLI_RULESET_CASES))
def test_hostile_ruleset_check(case: RulesetCase, tmp_path: Path) -> None:
    """``check --rulesets-dir DIR --ruleset t``: one line naming the criterion file,
    the criterion and the place; nothing of the condition ever runs."""
    crit_file = _ruleset_case(case, tmp_path)
    dossier = tmp_path / "d.yaml"
    dossier.write_bytes(BASE_EXAMPLE.read_bytes())
    run = qa(
        "check",
        dossier.name,
        "--rulesets-dir",
        "rulesets",
        "--ruleset",
        "t",
        "--as-of",
        AS_OF,
        cwd=tmp_path,
    )
    rel = str(crit_file.relative_to(tmp_path))
    line = assert_one_line_error(run, rel, *case.expect)
    if case.criterion:
        assert "criterion EVIL-1" in line
    assert not (tmp_path / "PWNED").exists()


LINT_CASES = [
    c
    for c in RULESET_CASES
    if c.id
    in {
        "dunder-attribute",
        "call-dunder-import",
        "depth-100k-parentheses",
        "regex-nested-repeat",
        "yaml-tag-in-criterion-file",
    }
]


@pytest.mark.parametrize("case", LINT_CASES, ids=_case_ids(LINT_CASES))
def test_hostile_ruleset_lint(case: RulesetCase, tmp_path: Path) -> None:
    """``rulesets lint t --rulesets-dir DIR`` lists the problem as one line (lint's
    report goes to stdout) and exits 2; stderr stays empty."""
    crit_file = _ruleset_case(case, tmp_path)
    run = qa("rulesets", "lint", "t", "--rulesets-dir", "rulesets", cwd=tmp_path)
    assert_finished_in_time(run)
    assert run.code == 2, run
    assert run.stderr == "", run
    lines = run.stdout.splitlines()
    assert len(lines) == 1, run
    assert str(crit_file.relative_to(tmp_path)) in lines[0]
    for fragment in case.expect:
        assert fragment in lines[0]
    if case.criterion:
        assert "criterion EVIL-1" in lines[0]


def test_clean_ruleset_of_the_catalogue_lints_clean(tmp_path: Path) -> None:
    """The ruleset the cases above start from is itself clean (so each case has
    exactly one problem)."""
    write_ruleset_with(tmp_path, evil_criterion("exists(title)"))
    run = qa("rulesets", "lint", "t", "--rulesets-dir", "rulesets", cwd=tmp_path)
    assert run.code == 0 and "1 ruleset version(s) clean." in run.stdout, run


# =========================================================================== 7. unknown versions


def _extends(root: Path) -> list[str]:
    write_ruleset(
        root,
        criteria=[criterion("OK-1", "exists(title)", examples=example_pair())],
        extra={"extends": "eu-microcredential@9.9.9"},
    )
    return ["check", "d.yaml", "--rulesets-dir", "rulesets", "--ruleset", "t"]


def _rubric_ref(root: Path) -> list[str]:
    write_ruleset(
        root,
        criteria=[criterion("OK-1", "exists(title)", examples=example_pair())],
        extra={"rubric": "qa-starter@9.9.9"},
    )
    return ["check", "d.yaml", "--rulesets-dir", "rulesets", "--ruleset", "t"]


def _lint_rubric_ref(root: Path) -> list[str]:
    _rubric_ref(root)
    return ["rulesets", "lint", "t", "--rulesets-dir", "rulesets"]


VERSION_CASES: list[tuple[str, Callable[[Path], list[str]], tuple[str, ...]]] = [
    (
        "extends-unknown-version",
        _extends,
        ("rulesets/t/1.0.0/ruleset.yaml", "at extends", "eu-microcredential@9.9.9"),
    ),
    (
        "rubric-unknown-version",
        _rubric_ref,
        ("rulesets/t/1.0.0/ruleset.yaml", "at rubric", "qa-starter@9.9.9"),
    ),
    (
        "option-ruleset-unknown-version",
        lambda r: ["check", "d.yaml", "--ruleset", "qa-starter@9.9.9"],
        ("ruleset qa-starter has no version 9.9.9", "available: 1.0.0"),
    ),
    (
        "option-rubric-unknown-version",
        lambda r: ["check", "d.yaml", "--rubric", "qa-starter@9.9.9"],
        ("rubric qa-starter has no version 9.9.9",),
    ),
    (
        "option-ruleset-path-traversal",
        lambda r: ["check", "d.yaml", "--ruleset", "qa-starter@../../etc"],
        ("not a valid ruleset reference",),
    ),
    (
        "diff-unknown-version",
        lambda r: ["diff", "qa-starter@9.9.9", "qa-starter@1.0.0"],
        ("no version 9.9.9",),
    ),
    (
        "batch-unknown-version",
        lambda r: [
            "batch",
            "d.yaml",
            "--out",
            "out",
            "--db",
            "s.sqlite",
            "--ruleset",
            "qa-starter@9.9.9",
        ],
        ("no version 9.9.9",),
    ),
]


@pytest.mark.parametrize("case", VERSION_CASES, ids=[c[0] for c in VERSION_CASES])
def test_unknown_version(
    case: tuple[str, Callable[[Path], list[str]], tuple[str, ...]], tmp_path: Path
) -> None:
    """A ruleset, rubric or option naming a version that does not exist: one line that
    names the file (or the option's reference) and the versions there are. A batch
    stops before it writes anything."""
    _id, make, expect = case
    (tmp_path / "d.yaml").write_bytes(BASE_EXAMPLE.read_bytes())
    args = make(tmp_path)
    run = (
        qa(*args, "--as-of", AS_OF, cwd=tmp_path)
        if args[0] != "rulesets"
        else qa(*args, cwd=tmp_path)
    )
    if args[0] == "rulesets":  # lint reports on stdout
        assert_finished_in_time(run)
        assert run.code == 2 and run.stderr == "", run
        lines = run.stdout.splitlines()
        assert len(lines) == 1 and all(f in lines[0] for f in expect), run
        return
    assert_one_line_error(run, *expect)
    assert not (tmp_path / "out").exists() and not (tmp_path / "s.sqlite").exists()


# =========================================================================== 8. broken stores


_CORRUPTED: list[bytes] = []


def _corrupted(path: Path, tmp: Path) -> None:
    """A real qa-engine store (made by a batch) with everything after its first page
    overwritten; made once, copied for each test."""
    if not _CORRUPTED:
        seed = tmp / "seed"
        seed.mkdir()
        (seed / "d.yaml").write_bytes(BASE_EXAMPLE.read_bytes())
        run = qa(
            "batch",
            "d.yaml",
            "--out",
            "out",
            "--db",
            "seed.sqlite",
            "--as-of",
            AS_OF,
            "-j",
            "1",
            cwd=seed,
        )
        assert run.code == 0, run
        data = bytearray((seed / "seed.sqlite").read_bytes())
        assert len(data) > 8192
        data[4096:] = b"\xde\xad\xbe\xef" * ((len(data) - 4096) // 4)
        _CORRUPTED.append(bytes(data))
    path.write_bytes(_CORRUPTED[0])


def _foreign(path: Path, tmp: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    con.execute("INSERT INTO notes (text) VALUES ('not yours')")
    con.commit()
    con.close()


STORE_CASES: dict[str, Callable[[Path, Path], object]] = {
    "corrupted-sqlite": _corrupted,
    "foreign-sqlite": _foreign,
    "zero-bytes": lambda p, t: p.write_bytes(b""),
    "text-file": lambda p, t: p.write_text("hello\n" * 100, encoding="utf-8"),
}


@pytest.mark.parametrize("command", ["batch", "history"])
@pytest.mark.parametrize("kind", sorted(STORE_CASES))
def test_broken_store_is_refused_untouched(kind: str, command: str, tmp_path: Path) -> None:
    """``--db`` naming something that is not a qa-engine store: one line naming it,
    exit 2, and the file keeps every byte (no schema created, no -wal/-shm left)."""
    db = tmp_path / "store.sqlite"
    STORE_CASES[kind](db, tmp_path)
    before = db.read_bytes()
    siblings = {p.name for p in tmp_path.iterdir()}
    (tmp_path / "d.yaml").write_bytes(BASE_EXAMPLE.read_bytes())
    if command == "batch":
        run = qa(
            "batch",
            "d.yaml",
            "--out",
            "out",
            "--db",
            db.name,
            "--as-of",
            AS_OF,
            "-j",
            "1",
            cwd=tmp_path,
        )
    else:
        run = qa("history", "bootcamp-web-dev", "--db", db.name, cwd=tmp_path)
    assert_one_line_error(run, str(db), "--db")
    assert db.read_bytes() == before
    leftovers = {p.name for p in tmp_path.iterdir()} - siblings - {"d.yaml", "out"}
    assert not leftovers, leftovers


@pytest.mark.parametrize("pattern", ["a*b", r"\s+$", ".*x"])
def test_regex_with_linear_time_on_a_long_text(pattern: str, tmp_path: Path) -> None:
    """A pattern that passes the shape checks but is quadratic under backtracking
    (``a*b`` against 200,000 ``a``: minutes in Python's ``re``) runs in linear time:
    ``matches()`` executes on RE2. The verdict is an ordinary one, not an error."""
    write_ruleset_with(tmp_path, evil_criterion(f"matches(title, {json.dumps(pattern)})"))
    data = base_data()
    data["title"] = ("a" if pattern != r"\s+$" else " ") * 200_000 + "!"
    (tmp_path / "d.json").write_text(json.dumps(jsonable(data)), encoding="utf-8")
    run = qa(
        "check", "d.json", "--rulesets-dir", "rulesets", "--ruleset", "t", "--as-of", AS_OF,
        "--format", "json", cwd=tmp_path,
    )
    assert run.code in (0, 1), run
    assert_finished_in_time(run, 20)
    crit = {c["id"]: c for c in json.loads(run.stdout)["criteria"]}["EVIL-1"]
    assert crit["state"] in ("met", "not_met") and crit["error"] is None, crit
