"""Read YAML or JSON files into plain data and models, with located errors.

* ``load_document`` reads one YAML or JSON document safely (UTF-8 only, a size limit,
  no object-constructing YAML tags, no aliases, one document per file) and returns
  plain Python data together with a :class:`LineMap` from field paths to positions.
* ``load_dossier`` validates that data as a :class:`~qa_engine.formats.dossier.Dossier` and
  turns a pydantic ``ValidationError`` into one :class:`~qa_engine.errors.DossierError`
  naming the file, line, column and field path of the first problem in the file.
* ``dump_dossier_yaml`` writes a dossier back as readable YAML (round trip safe).
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import io
import json
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.representer import SafeRepresenter
from ruamel.yaml.resolver import implicit_resolvers as _IMPLICIT_RESOLVERS
from ruamel.yaml.tag import Tag as _Tag

from qa_engine.errors import DossierError, InputError
from qa_engine.formats.dossier import PATTERN_HELP, Dossier

try:  # libyaml, the C parser, where PyYAML was built with it (the fast path below)
    from yaml import _yaml as _libyaml
    from yaml import events as _events
except ImportError:  # pragma: no cover - PyYAML without libyaml: the pure path only
    _libyaml = None

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_DEPTH",
    "LineMap",
    "Problem",
    "dossier_problems",
    "dump_dossier_yaml",
    "format_loc",
    "load_document",
    "load_dossier",
]

DEFAULT_MAX_BYTES = 20_000_000
#: Deepest nesting of mappings/lists accepted in a document.
MAX_DEPTH = 64

Loc = tuple[str | int, ...]
Position = tuple[int, int]

_BOM = b"\xef\xbb\xbf"
_YAML_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _YAML_CORE + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
_SCHEMA_HINT = "remove it or check its spelling against `qa-engine schema dossier`"


# --------------------------------------------------------------------------- paths


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def format_loc(loc: tuple[Any, ...] | list[Any]) -> str:
    """``("assessments", 2, "weight")`` -> ``"assessments[2].weight"``.

    Keys that are not plain names are quoted: ``source.provenance["a b"]``.
    """
    out = ""
    for part in loc:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(str(part), ensure_ascii=False)}]"
    return out


class LineMap(Mapping[Loc, Position]):
    """Field path -> ``(line, column)``, both 1-based.

    For a mapping entry the position is that of its key (where a reader looks for a
    field); :meth:`value_position` gives the start of the value instead. The empty
    path ``()`` is the document root. A JSON map is computed lazily on first use.
    """

    def __init__(
        self,
        keys: dict[Loc, Position] | None = None,
        values: dict[Loc, Position] | None = None,
        *,
        compute: Callable[[], tuple[dict[Loc, Position], dict[Loc, Position]]] | None = None,
    ) -> None:
        self._keys = keys if keys is not None else {}
        self._values = values if values is not None else {}
        self._compute = compute

    def _ready(self) -> None:
        if self._compute is not None:
            compute, self._compute = self._compute, None
            try:
                self._keys, self._values = compute()
            except Exception:  # noqa: BLE001 - a missing position is never fatal
                self._keys, self._values = {}, {}

    def __getitem__(self, loc: Loc) -> Position:
        self._ready()
        loc = tuple(loc)
        if loc in self._keys:
            return self._keys[loc]
        return self._values[loc]

    def __iter__(self) -> Iterator[Loc]:
        self._ready()
        return iter(self._values)

    def __len__(self) -> int:
        self._ready()
        return len(self._values)

    def __contains__(self, loc: object) -> bool:
        self._ready()
        return isinstance(loc, tuple) and loc in self._values

    def value_position(self, loc: Loc) -> Position | None:
        """Where the value at ``loc`` starts, or None."""
        self._ready()
        return self._values.get(tuple(loc))

    def nearest(self, loc: Loc, *, value: bool = False) -> tuple[Loc, Position] | None:
        """The position of ``loc`` or of its nearest existing parent path.

        With ``value=True`` the exact path gives the position of its value (a wrong
        value), parents always give their key (the field that holds the problem).
        """
        self._ready()
        loc = tuple(loc)
        if value and loc in self._values:
            return loc, self._values[loc]
        for n in range(len(loc), -1, -1):
            head = loc[:n]
            if head in self._keys:
                return head, self._keys[head]
            if head in self._values:
                return head, self._values[head]
        return None


# --------------------------------------------------------------------------- reading


def _display_name(path: str | Path | None) -> str:
    if path is None:
        return "<text>"
    if str(path) == "-":
        return "<stdin>"
    return str(path)


def _position_of_offset(text: str, offset: int) -> Position:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def _read_bytes(path: str | Path, name: str, max_bytes: int) -> bytes:
    try:
        if str(path) == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError("file not found", file=name, hint="check the path") from None
    except IsADirectoryError:
        raise InputError(
            "is a directory, not a file", file=name, hint="give the path of one YAML or JSON file"
        ) from None
    except PermissionError:
        raise InputError(
            "permission denied", file=name, hint="make the file readable for this user"
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot be read ({exc.strerror or exc})", file=name, hint="check the file"
        ) from None
    if len(data) > max_bytes:
        raise InputError(
            f"is larger than the limit of {max_bytes:,} bytes",
            file=name,
            hint="split it or raise the size limit",
        )
    return data


def _wide_encoding(data: bytes) -> str | None:
    """``"UTF-16"``/``"UTF-32"`` when ``data`` looks like one (with or without a byte
    order mark), else None. Text in those encodings has NUL bytes in fixed columns."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = data[:64]
    if len(head) >= 8 and len(head) % 4 == 0:
        words = [head[i : i + 4] for i in range(0, len(head), 4)]
        if all(w[1:] == b"\0\0\0" and w[0] for w in words) or all(
            w[:3] == b"\0\0\0" and w[3] for w in words
        ):
            return "UTF-32"
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if (not even.strip(b"\0") and odd.strip(b"\0")) or (
            not odd.strip(b"\0") and even.strip(b"\0")
        ):
            return "UTF-16"
    return None


def _decode(data: bytes, name: str) -> str:
    wide = _wide_encoding(data)
    if wide is not None:
        raise InputError(
            f"is encoded as {wide}, not UTF-8", file=name, hint="save the file as UTF-8"
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            file=name,
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from None


def _is_json(path: str | Path | None, text: str) -> bool:
    suffix = Path(str(path)).suffix.lower() if path not in (None, "-") else ""
    if suffix == ".json":
        return True
    if suffix in (".yaml", ".yml"):
        return False
    return text.lstrip()[:1] in ("{", "[")


def load_document(
    path: str | Path | None = None,
    *,
    text: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[Any, LineMap]:
    """Read one YAML or JSON document as plain data plus a :class:`LineMap`.

    ``path`` names the file (``"-"`` is stdin); with ``text`` the content is taken
    from it and ``path`` only names it in messages and picks the format by extension.
    JSON is chosen by a ``.json`` extension, YAML by ``.yaml``/``.yml``, otherwise by
    content starting with ``{`` or ``[``. Mapping keys are always strings. YAML dates
    become ``datetime.date`` (timestamps ``datetime.datetime``). Raises
    :class:`InputError` for every problem.
    """
    name = _display_name(path)
    if text is None:
        if path is None:
            raise InputError("no file or text to read", hint="give a file path or '-' for stdin")
        content = _decode(_read_bytes(path, name, max_bytes), name)
    else:
        if len(text) > max_bytes or len(text.encode("utf-8", "surrogatepass")) > max_bytes:
            raise InputError(
                f"is larger than the limit of {max_bytes:,} bytes",
                file=name,
                hint="split it or raise the size limit",
            )
        content = text[1:] if text.startswith("\ufeff") else text
    if not content.strip():
        raise InputError("is empty", file=name, hint="write a YAML or JSON document into it")
    if _is_json(path, content):
        data, linemap = _load_json(content, name)
    else:
        fast = _load_yaml_fast(content)
        if fast is not None:  # libyaml's texts are strict UTF-8: no surrogate to combine
            return fast
        data, linemap = _load_yaml(content, name)
    return _without_surrogates(data, linemap, name), linemap


_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_characters(text: str) -> str | None:
    """``text`` with its UTF-16 surrogate pairs (``"\\ud83d\\ude00"`` escapes) combined
    into characters, or None when a lone surrogate remains (it is no character at all
    and cannot be written as UTF-8: reports, the store and JSON output would fail)."""
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        return None


def _without_surrogates(data: Any, linemap: LineMap, name: str) -> Any:
    """``data`` with every surrogate pair in its texts (keys too) combined; a lone
    surrogate is an :class:`InputError` located at its field."""

    def fixed(text: str, loc: Loc, *, key: bool = False) -> str:
        if not _SURROGATE.search(text):
            return text
        whole = _whole_characters(text)
        if whole is not None:
            return whole
        lone = _SURROGATE.search(text)
        assert lone is not None
        located = linemap.nearest(loc, value=not key)
        line, column = located[1] if located is not None else (None, None)
        where = loc[:-1] if key else loc  # the key itself cannot be shown
        raise InputError(
            f"contains the escape \\u{ord(lone.group()):04x}{' in a key' if key else ''}, "
            "half of a UTF-16 surrogate pair and no character",
            file=name,
            line=line,
            column=column,
            path=format_loc(where) or None,
            hint="write the character itself, or both halves of the pair (e.g. \\ud83d\\ude00)",
        )

    root: list[Any] = [data]
    stack: list[tuple[Any, Any, Loc]] = [(root, 0, ())]
    while stack:
        container, slot, loc = stack.pop()
        value = container[slot]
        if isinstance(value, str):
            container[slot] = fixed(value, loc)
        elif isinstance(value, list):
            stack.extend((value, i, (*loc, i)) for i in range(len(value)))
        elif isinstance(value, dict):
            if any(_SURROGATE.search(k) for k in value):
                value = {fixed(k, (*loc, k), key=True): v for k, v in value.items()}
                container[slot] = value
            stack.extend((value, k, (*loc, k)) for k in value)
    return root[0]


# --------------------------------------------------------------------------- JSON


class _JsonDuplicateKey(Exception):
    pass


class _JsonConstant(Exception):
    pass


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonDuplicateKey(key)
        out[key] = value
    return out


#: A run of digits longer than ``int()`` converts (``sys.get_int_max_str_digits()``).
_MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
_LONG_NUMBER = re.compile(rf"[0-9]{{{_MAX_DIGITS + 1},}}")
_LONG_JSON_NUMBER = re.compile(rf"[:\[,]\s*-?([0-9]{{{_MAX_DIGITS + 1},}})")


def _json_constant(token: str) -> Any:
    raise _JsonConstant(token)


def _load_json(content: str, name: str) -> tuple[Any, LineMap]:
    try:
        data = json.loads(content, object_pairs_hook=_json_pairs, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg}",
            file=name,
            line=exc.lineno,
            column=exc.colno,
            hint="fix the JSON syntax",
        ) from None
    except _JsonDuplicateKey as exc:
        scan = _JsonScanner.partial(content)
        line, column = scan.duplicate or (None, None)
        raise InputError(
            f"duplicate key {json.dumps(exc.args[0], ensure_ascii=False)} in one object",
            file=name,
            line=line,
            column=column,
            hint="keep only one of them",
        ) from None
    except _JsonConstant as exc:
        scan = _JsonScanner.partial(content)
        line, column = scan.constant or (None, None)
        raise InputError(
            f"{exc.args[0]} is not a valid JSON number",
            file=name,
            line=line,
            column=column,
            hint="write a finite number or null",
        ) from None
    except RecursionError:
        raise InputError(
            "is nested too deeply", file=name, hint=f"keep nesting below {MAX_DEPTH} levels"
        ) from None
    except ValueError:  # an integer with more digits than Python converts (4300)
        match = _LONG_JSON_NUMBER.search(content)
        line, column = _position_of_offset(content, match.start(1)) if match else (None, None)
        digits = len(match.group(1)) if match else None
        raise InputError(
            f"has a number with too many digits{f' ({digits:,})' if digits else ''}",
            file=name,
            line=line,
            column=column,
            hint="write an ordinary number",
        ) from None
    if nested_deeper_than(data, MAX_DEPTH):
        raise InputError(
            "is nested too deeply", file=name, hint=f"keep nesting below {MAX_DEPTH} levels"
        )

    def compute() -> tuple[dict[Loc, Position], dict[Loc, Position]]:
        scan = _JsonScanner(content)
        scan.run()
        return scan.keys, scan.values

    return data, LineMap(compute=compute)


def nested_deeper_than(data: Any, limit: int) -> bool:
    """Whether ``data`` (plain lists and dicts) nests more than ``limit`` levels; walks
    level by level (no recursion) and stops as soon as the limit is passed."""
    depth, level = 0, [data]
    while level:
        depth += 1
        if depth > limit:
            return True
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(item.values())
            elif isinstance(item, list):
                nxt.extend(item)
        level = nxt
    return False


class _JsonScanner:
    """Positions of every value and key of a valid JSON text (iterative, no recursion)."""

    _WS = re.compile(r"[ \t\n\r]*")
    _STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
    _ATOM = re.compile(r"[^\s,\]\}:]+")

    def __init__(self, text: str) -> None:
        self.text = text
        self.keys: dict[Loc, Position] = {}
        self.values: dict[Loc, Position] = {}
        self.duplicate: Position | None = None
        self.constant: Position | None = None
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    @classmethod
    def partial(cls, text: str) -> _JsonScanner:
        """A scanner run over ``text`` as far as it is valid JSON. ``json.loads`` stops at
        the first duplicate key or NaN, so the text after it may still be broken: what
        was recorded before the break (the duplicate, the constant) is kept."""
        scan = cls(text)
        with contextlib.suppress(ValueError):
            scan.run()
        return scan

    def _pos(self, offset: int) -> Position:
        line = bisect.bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def _ws(self, i: int) -> int:
        match = self._WS.match(self.text, i)
        return match.end() if match else i

    def run(self) -> None:
        text, size = self.text, len(self.text)
        # a frame is [kind, path of the container, item index, keys seen]
        stack: list[list[Any]] = []
        i = self._ws(0)
        path: Loc = ()
        while i < size:
            # a value starts at i
            self.values.setdefault(path, self._pos(i))
            ch = text[i]
            if ch in "{[":
                closing = "}" if ch == "{" else "]"
                i = self._ws(i + 1)
                if text.startswith(closing, i):
                    i += 1
                elif ch == "{":
                    frame: list[Any] = ["obj", path, 0, set()]
                    stack.append(frame)
                    i, path = self._key(i, frame)
                    continue
                else:
                    stack.append(["arr", path, 0, None])
                    path = (*path, 0)
                    continue
            elif ch == '"':
                match = self._STRING.match(text, i)
                i = match.end() if match else size
            else:
                match = self._ATOM.match(text, i)
                end = match.end() if match else i + 1
                if self.constant is None and text[i:end] in ("NaN", "Infinity", "-Infinity"):
                    self.constant = self._pos(i)
                i = end
            # after a value: commas and closing brackets
            while True:
                i = self._ws(i)
                if not stack or i >= size:
                    return
                top = stack[-1]
                if text[i] == ",":
                    i = self._ws(i + 1)
                    if top[0] == "obj":
                        i, path = self._key(i, top)
                    else:
                        top[2] += 1
                        path = (*top[1], top[2])
                    break
                if text[i] in "}]":
                    stack.pop()
                    i += 1
                    continue
                return  # not valid JSON; json.loads reports it

    def _key(self, i: int, frame: list[Any]) -> tuple[int, Loc]:
        match = self._STRING.match(self.text, i)
        if match is None:
            raise ValueError("not valid JSON")
        key = json.loads(match.group())
        position = self._pos(i)
        if key in frame[3] and self.duplicate is None:
            self.duplicate = position
        frame[3].add(key)
        key_path = (*frame[1], key)
        self.keys.setdefault(key_path, position)
        i = self._ws(match.end())
        if not self.text.startswith(":", i):
            raise ValueError("not valid JSON")
        return self._ws(i + 1), key_path


# --------------------------------------------------------------------------- YAML


class _AliasFound(Exception):
    def __init__(self, anchor: str, mark: Any) -> None:
        super().__init__(anchor)
        self.anchor = anchor
        self.mark = mark


class _NoAliasComposer(Composer):
    """A composer that refuses aliases (no alias bombs, no shared nodes)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            event = self.parser.peek_event()
            raise _AliasFound(event.anchor, event.start_mark)
        return super().compose_node(parent, index)


def _yaml_error(
    message: str, name: str, mark: Any, hint: str = "fix the YAML syntax"
) -> InputError:
    line = getattr(mark, "line", None)
    column = getattr(mark, "column", None)
    return InputError(
        " ".join(message.split()),
        file=name,
        line=line + 1 if line is not None else None,
        column=column + 1 if column is not None else None,
        hint=hint,
    )


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML_CORE) :] if tag.startswith(_YAML_CORE) else tag


def _load_yaml(content: str, name: str) -> tuple[Any, LineMap]:
    yaml = YAML(typ="safe", pure=True)
    yaml.Composer = _NoAliasComposer
    yaml.max_depth = MAX_DEPTH
    try:
        nodes = yaml.compose_all(content)
        root = next(nodes, None)
        if root is not None:
            second = next(nodes, None)
            if second is not None:
                raise _yaml_error(
                    "contains more than one YAML document",
                    name,
                    second.start_mark,
                    hint="keep one document per file and remove the '---' separator",
                )
    except _AliasFound as exc:
        raise _yaml_error(
            f"uses the YAML alias '*{exc.anchor}', and aliases are not supported",
            name,
            exc.mark,
            hint="write the value out in full instead of referring to an anchor",
        ) from None
    except MarkedYAMLError as exc:
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        mark = exc.problem_mark or exc.context_mark
        if "maximum depth" in problem:
            raise _yaml_error(
                "is nested too deeply", name, mark, hint=f"keep nesting below {MAX_DEPTH} levels"
            ) from None
        raise _yaml_error(f"invalid YAML: {problem}", name, mark) from None
    except ReaderError as exc:
        line, column = _position_of_offset(content, exc.position)
        char = exc.character
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        raise InputError(
            f"contains a character that YAML does not allow ({shown})",
            file=name,
            line=line,
            column=column,
            hint="remove the control character",
        ) from None
    except RecursionError:
        raise InputError(
            "is nested too deeply", file=name, hint=f"keep nesting below {MAX_DEPTH} levels"
        ) from None
    except YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=name, hint="fix the YAML syntax") from None
    if root is None or (
        isinstance(root, ScalarNode) and root.tag == _YAML_CORE + "null" and root.value in ("", "~")
    ):
        raise InputError("is empty", file=name, hint="write a YAML or JSON document into it")
    builder = _YamlBuilder(yaml, name)
    data = builder.build(root)
    return data, LineMap(builder.keys, builder.values)


# ---- the fast path: libyaml's parser (C) where PyYAML has it
#
# libyaml parses and gives events with line/column marks; the walk below builds the same
# data and line map as the pure-Python path, with ruamel's YAML 1.2 resolver table and
# scalar constructors, so both paths read every text alike. It vouches only for plain
# documents: at anything else (a syntax error, an alias, an anchor, a tag, a directive,
# a duplicate key, deep nesting, a value that does not convert, a character the two
# readers may treat differently) it gives up and the pure-Python path reads the text
# again, so every error message and its location is that path's, unchanged.

#: Characters that make the fast path give up: those ruamel's reader refuses (its
#: message and position are kept), tabs (ruamel's scanner, YAML 1.2, allows them in
#: places where libyaml does not, and the other way round), line breaks outside ASCII
#: (NEL, LS, PS, which the two readers may count differently), the byte order mark,
#: and surrogates.
_FAST_UNSAFE = re.compile(
    "[^\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD"
    "\U00010000-\U0010FFFF]"
)
#: Constructs libyaml reads where ruamel refuses them (found by the differential test,
#: tests/test_loader_fast.py): a block scalar header with a comment and no space (``|#``).
_FAST_FRAGILE = re.compile(r"[|>][-+0-9]{0,2}#")
#: Deeper than this, the pure path decides (it counts depth its own way).
_FAST_DEPTH = MAX_DEPTH - 2
_STR = _YAML_CORE + "str"


def _plain_resolvers() -> dict[str, list[tuple[str, Any]]]:
    """ruamel's implicit resolvers of YAML 1.2 by first character (its own table)."""
    table: dict[str, list[tuple[str, Any]]] = {}
    for versions, tag, regexp, first in _IMPLICIT_RESOLVERS:
        if (1, 2) in versions:
            for ch in first:
                table.setdefault(ch, []).append((tag, regexp))
    return table


_RESOLVERS = _plain_resolvers()


class _GiveUp(Exception):
    """The fast path does not vouch for this text: the pure-Python path reads it."""


def _fast_available() -> bool:
    return _libyaml is not None


def _load_yaml_fast(content: str) -> tuple[Any, LineMap] | None:
    """``(data, line map)`` read with libyaml, or None where the pure path must decide."""
    if _libyaml is None or _FAST_UNSAFE.search(content) or _FAST_FRAGILE.search(content):
        return None
    try:
        return _FastYaml(content).run()
    except Exception:  # noqa: BLE001 - any doubt: the pure path reads it and reports
        return None


class _FastYaml:
    def __init__(self, content: str) -> None:
        self.parser = _libyaml.CParser(content)
        self.keys: dict[Loc, Position] = {}
        self.values: dict[Loc, Position] = {}
        self._constructor: Any = None
        self.depth = 0

    def _convert(self, tag: str, value: str) -> Any:
        """A plain scalar of a non-text tag, converted as the pure path does."""
        if self._constructor is None:
            self._constructor = YAML(typ="safe", pure=True).constructor
        builder = _YamlBuilder.__new__(_YamlBuilder)
        builder.constructor, builder.name = self._constructor, "<fast>"
        node = ScalarNode(_Tag(suffix=tag), value, None, None)
        return builder._scalar(node)

    def _scalar(self, event: Any) -> tuple[Any, str]:
        """(value, tag) of a scalar event; refuses tags and anchors."""
        if event.anchor is not None or event.tag is not None:
            raise _GiveUp
        value = event.value
        if not event.implicit[0]:  # quoted or block text
            if event.style in ("|", ">") and (value.startswith("\n") or self.depth == 0):
                # leading blank lines and top-level block texts: the readers differ
                # at their edges (indentation found, comment lines)
                raise _GiveUp
            return value, _STR
        if not value:  # an empty value: the two readers place it differently
            raise _GiveUp
        for tag, regexp in _RESOLVERS.get(value[:1], ()):
            if regexp.match(value):
                if tag not in _ALLOWED_TAGS:
                    raise _GiveUp
                return self._convert(tag, value), tag
        return value, _STR

    def run(self) -> tuple[Any, LineMap]:
        get = self.parser.get_event
        keys, values = self.keys, self.values
        ev = get()
        if type(ev) is not _events.StreamStartEvent:
            raise _GiveUp
        ev = get()
        if type(ev) is not _events.DocumentStartEvent or ev.version or ev.tags:
            raise _GiveUp
        scalar_ev, map_start, seq_start = (
            _events.ScalarEvent, _events.MappingStartEvent, _events.SequenceStartEvent
        )
        map_end, seq_end = _events.MappingEndEvent, _events.SequenceEndEvent
        # a frame: [container, its path, key awaiting its value (mappings) or None]
        stack: list[list[Any]] = []
        root: list[Any] = []
        while True:
            ev = get()
            kind = type(ev)
            mark = ev.start_mark
            pos = (mark.line + 1, mark.column + 1)
            self.depth = len(stack)
            if kind is map_end or kind is seq_end:
                stack.pop()
                if not stack:
                    break
                continue
            if stack:
                top = stack[-1]
                container = top[0]
                if type(container) is dict and top[2] is None:  # a key
                    if kind is not scalar_ev:
                        raise _GiveUp
                    value, tag = self._scalar(ev)
                    key = value if tag == _STR else str(ev.value)
                    if key in container:
                        raise _GiveUp
                    top[2] = key
                    keys[(*top[1], key)] = pos
                    continue
            if kind is scalar_ev:
                item: Any = self._scalar(ev)[0]
            elif kind is map_start or kind is seq_start:
                if ev.anchor is not None or ev.tag is not None or len(stack) >= _FAST_DEPTH:
                    raise _GiveUp
                item = {} if kind is map_start else []
            else:  # an alias, or an event out of place
                raise _GiveUp
            if stack:
                if type(container) is dict:
                    loc = (*top[1], top[2])
                    container[top[2]] = item
                    top[2] = None
                else:
                    loc = (*top[1], len(container))
                    container.append(item)
                values.setdefault(loc, pos)
            else:
                loc = ()
                values[loc] = pos
                root.append(item)
            if kind is not scalar_ev:
                stack.append([item, loc, None])
            elif not stack:
                break
        if not root or type(get()) is not _events.DocumentEndEvent:
            raise _GiveUp
        if type(get()) is not _events.StreamEndEvent:  # a second document
            raise _GiveUp
        data = root[0]
        if data is None:  # an empty document: the pure path says so
            raise _GiveUp
        return data, LineMap(keys, values)


class _YamlBuilder:
    """Turns a composed node tree into plain Python data, recording positions."""

    def __init__(self, yaml: YAML, name: str) -> None:
        self.constructor = yaml.constructor
        self.name = name
        self.keys: dict[Loc, Position] = {}
        self.values: dict[Loc, Position] = {}

    @staticmethod
    def _pos(node: Node) -> Position:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _check_tag(self, node: Node) -> None:
        tag = str(node.tag)
        if tag not in _ALLOWED_TAGS:
            if tag == _YAML_CORE + "merge":
                raise _yaml_error(
                    "uses a YAML merge key (<<), which is not supported",
                    self.name,
                    node.start_mark,
                    hint="write the fields out in full",
                )
            raise _yaml_error(
                f"uses the YAML tag '{_short_tag(tag)}', which is not allowed",
                self.name,
                node.start_mark,
                hint="remove the tag; only plain values, lists and mappings are accepted",
            )

    def _scalar(self, node: ScalarNode) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (YAMLError, ValueError, OverflowError) as exc:
            if str(node.tag) == _YAML_CORE + "timestamp" and node.style is None:
                return str(node.value)  # e.g. 2024-02-30: the schema reports "expected a date"
            if str(node.tag) == _YAML_CORE + "int" and _LONG_NUMBER.search(str(node.value)):
                raise _yaml_error(
                    f"has a number with too many digits ({len(str(node.value)):,})",
                    self.name,
                    node.start_mark,
                    hint="write an ordinary number",
                ) from None
            raise _yaml_error(
                f"has a value that cannot be read ({exc})".replace("\n", " "),
                self.name,
                node.start_mark,
                hint="fix the value",
            ) from None
        if isinstance(value, str):
            return str(value)
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, datetime):
            return datetime.fromisoformat(value.isoformat())
        if isinstance(value, date):
            return date(value.year, value.month, value.day)
        raise _yaml_error(
            f"has a value of unsupported type {type(value).__name__}",
            self.name,
            node.start_mark,
            hint="use plain text, numbers, booleans or dates",
        )

    def build(self, root: Node) -> Any:
        # iterative walk (depth is bounded by the composer's max_depth anyway)
        self.values[()] = self._pos(root)
        result: list[Any] = [None]
        work: list[tuple[Node, Loc, Any, Any]] = [(root, (), result, 0)]
        while work:
            node, loc, container, slot = work.pop()
            self._check_tag(node)
            self.values.setdefault(loc, self._pos(node))
            if isinstance(node, ScalarNode):
                container[slot] = self._scalar(node)
            elif isinstance(node, SequenceNode):
                items: list[Any] = [None] * len(node.value)
                container[slot] = items
                for index in range(len(node.value) - 1, -1, -1):
                    work.append((node.value[index], (*loc, index), items, index))
            elif isinstance(node, MappingNode):
                mapping: dict[str, Any] = {}
                container[slot] = mapping
                pending: list[tuple[Node, Loc, Any, Any]] = []
                for key_node, value_node in node.value:
                    key = self._key(key_node)
                    if key in mapping:
                        raise _yaml_error(
                            f"has the key {_q(key)} twice in one mapping",
                            self.name,
                            key_node.start_mark,
                            hint="keep only one of them",
                        )
                    mapping[key] = None
                    self.keys[(*loc, key)] = self._pos(key_node)
                    pending.append((value_node, (*loc, key), mapping, key))
                work.extend(reversed(pending))
            else:  # pragma: no cover - the composer makes only these three
                raise _yaml_error("has an unsupported node", self.name, node.start_mark)
        return result[0]

    def _key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise _yaml_error(
                "uses a list or mapping as a mapping key",
                self.name,
                node.start_mark,
                hint="use plain text keys",
            )
        self._check_tag(node)
        value = self._scalar(node)
        if isinstance(value, str):
            return value
        # non-text keys (numbers, booleans, dates) keep their source text, as in JSON
        return str(node.value)


# --------------------------------------------------------------------------- dossier errors


@dataclass(frozen=True)
class Problem:
    """One readable validation problem of a dossier."""

    loc: Loc
    path: str
    message: str
    hint: str | None
    line: int | None
    column: int | None


def _q(text: str) -> str:
    """Quote a user-supplied text for a one-line message."""
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'" if text.isprintable() and "'" not in text else repr(text)


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return _q(value)
    return f"a {type(value).__name__}"


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/list/dict annotations."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return [annotation]


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The dossier model class found at ``loc`` (for spelling suggestions)."""
    current: Any = Dossier
    for part in loc:
        if isinstance(part, int):
            if typing.get_origin(current) is list:
                current = typing.get_args(current)[0]
                continue
            return None
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            if field is None:
                return None
            candidates = [c for c in _unwrap(field.annotation) if c is not type(None)]
            if len(candidates) != 1:
                return None
            current = candidates[0]
            continue
        return None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


_FRACTION_HINT = (
    "write rates, weights and shares as fractions between 0 and 1, such as 0.75 for 75%"
)


def _describe(error: Mapping[str, Any]) -> tuple[Loc, str, str | None, bool]:
    """(loc, message, hint, value_error?) for one pydantic error."""
    kind = error["type"]
    loc: Loc = tuple(part for part in error["loc"] if part != "[key]")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    got = _show(value)
    field = loc[-1] if loc else None

    if kind == "extra_forbidden":
        hint = _SCHEMA_HINT
        model = _model_at(loc[:-1])
        if model is not None and isinstance(field, str):
            close = difflib.get_close_matches(field, list(model.model_fields), n=1, cutoff=0.6)
            if close:
                hint = f"perhaps you meant '{close[0]}'; otherwise {_SCHEMA_HINT}"
        return loc, f"unknown field {_q(str(field))}", hint, False
    if kind == "missing":
        return loc, f"required field '{field}' is missing", "add it", False
    if kind == "dossier_consistency":
        return (
            loc + tuple(ctx.get("path", ())),
            str(ctx.get("message", error["msg"])),
            ctx.get("hint"),
            False,
        )
    if kind == "reserved_name":
        return loc, str(ctx.get("message", error["msg"])), ctx.get("hint"), True
    if kind in ("float_type", "float_parsing"):
        return loc, f"expected a number, got {got}", "write a plain number without quotes", True
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return (
            loc,
            f"expected a whole number, got {got}",
            "write a whole number without quotes",
            True,
        )
    if kind in ("string_type", "string_unicode"):
        return loc, f"expected text, got {got}", "put the value in quotes", True
    if kind in ("bool_type", "bool_parsing"):
        return loc, f"expected true or false, got {got}", "write true or false without quotes", True
    if kind.startswith("date") or kind.startswith("datetime"):
        return loc, f"expected a date, got {got}", "write a real date as YYYY-MM-DD", True
    if kind == "finite_number":
        return loc, f"must be a finite number, got {got}", "write an ordinary number", True
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound_key = {"greater_than_equal": "ge", "greater_than": "gt"}.get(kind) or (
            "le" if kind == "less_than_equal" else "lt"
        )
        bound = ctx.get(bound_key)
        shown_bound = f"{bound:g}" if isinstance(bound, float) else str(bound)
        words = {
            "ge": "at least",
            "gt": "more than",
            "le": "at most",
            "lt": "less than",
        }[bound_key]
        hint = "correct the value"
        if bound_key == "le" and bound == 1:
            hint = _FRACTION_HINT
        elif bound_key == "ge" and bound == 0:
            hint = "a count, duration or rate cannot be negative"
        return loc, f"must be {words} {shown_bound}, got {got}", hint, True
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        hint = "use one of the listed values"
        if field == "schema_version":
            hint = 'write it as the quoted string "1.0"'
        return loc, f"must be one of {expected}, got {got}", hint, True
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        wording = PATTERN_HELP.get(pattern, f"must match the pattern {pattern}")
        return loc, f"{wording}, got {got}", "correct the value", True
    if kind == "string_too_short":
        return loc, "must not be empty", "write a value or remove the field", True
    if kind == "string_too_long":
        return loc, f"must be at most {ctx.get('max_length')} characters", "shorten it", True
    if kind in ("list_type", "tuple_type", "set_type"):
        return loc, f"expected a list, got {got}", "write it as a list of items", True
    if kind in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
        where = "at the top level" if not loc else ""
        message = f"expected a mapping of fields {where}".rstrip() + f", got {got}"
        return loc, message, "write it as 'field: value' lines", True
    msg = str(error.get("msg", "is invalid"))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    return loc, f"{msg[:1].lower()}{msg[1:]}", "correct the value", True


def dossier_problems(exc: ValidationError, linemap: LineMap | None = None) -> list[Problem]:
    """Every problem of a dossier ``ValidationError``, readable, in file order."""
    linemap = linemap if linemap is not None else LineMap()
    found: list[Problem] = []
    for error in exc.errors(include_url=False):
        entries: list[tuple[Loc, str, str | None, bool]]
        if error["type"] == "dossier_consistency" and (error.get("ctx") or {}).get("problems"):
            base = tuple(error["loc"])
            entries = [
                (base + tuple(p["path"]), p.get("detail") or p["message"], p.get("hint"), False)
                for p in error["ctx"]["problems"]
            ]
        else:
            entries = [_describe(error)]
        for loc, message, hint, is_value in entries:
            line = column = None
            located = linemap.nearest(loc, value=is_value)
            if located is not None:
                line, column = located[1]
            found.append(Problem(loc, format_loc(loc), message, hint, line, column))
    order = {id(p): n for n, p in enumerate(found)}
    found.sort(
        key=lambda p: (p.line is None, p.line or 0, p.column or 0, order[id(p)]),
    )
    return found


def load_dossier(
    path: str | Path | None = None, *, text: str | None = None, today: date | None = None
) -> Dossier:
    """Load and validate a dossier from a YAML or JSON file (or ``text``).

    Raises :class:`InputError` when the file cannot be read or parsed and
    :class:`DossierError` (for the first problem in file order, with ``.problems``
    listing all of them) when it does not match the dossier schema. A date of a past
    event (submission, last reviews, feedback changes) after ``today`` (default: the
    calendar date now) is such a problem.
    """
    data, linemap = load_document(path, text=text)
    try:
        return Dossier.model_validate(data, context={"today": today or date.today()})
    except ValidationError as exc:
        problems = dossier_problems(exc, linemap)
        first = problems[0]
        hint = first.hint
        if len(problems) > 1:
            more = f"(and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
            hint = f"{hint} {more}" if hint else more
        error = DossierError(
            first.message,
            file=_display_name(path),
            line=first.line,
            column=first.column,
            path=first.path or None,
            hint=hint,
        )
        error.problems = problems  # type: ignore[attr-defined]
        raise error from None


# --------------------------------------------------------------------------- dumping


class _FlowList(list[Any]):
    """A short list of short text items, written inline: ``[LO1, LO2]``."""


def _represent_flow_list(representer: Any, data: _FlowList) -> Any:
    return representer.represent_sequence(_YAML_CORE + "seq", data, flow_style=True)


def _inline_short_lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _inline_short_lists(item) for key, item in value.items()}
    if isinstance(value, list):
        if (
            value
            and all(isinstance(item, str) and _PLAIN_KEY.match(item) for item in value)
            and sum(len(item) + 2 for item in value) <= 60
        ):
            return _FlowList(value)
        return [_inline_short_lists(item) for item in value]
    return value


# Line breaks that ruamel's emitter folds wrongly outside double quotes (NEL, LS, PS, CR).
_DOUBLE_QUOTE = re.compile("[\x85\u2028\u2029\r]")


def _represent_str(representer: Any, data: str) -> Any:
    style = '"' if _DOUBLE_QUOTE.search(data) else None
    return representer.represent_scalar(_YAML_CORE + "str", data, style=style)


class _DossierRepresenter(SafeRepresenter):
    """Safe representer for dossiers (registering on it leaves ruamel's own alone)."""


_DossierRepresenter.add_representer(_FlowList, _represent_flow_list)
_DossierRepresenter.add_representer(str, _represent_str)


def dump_dossier_yaml(dossier: Dossier) -> str:
    """The dossier as readable YAML: fields in schema order, empty/None fields left out.

    ``load_dossier(text=dump_dossier_yaml(d)) == d`` holds for every valid dossier.
    """
    data = dossier.model_dump(mode="python", exclude_none=True, exclude_defaults=True)
    data = {"schema_version": dossier.schema_version, "id": dossier.id, **data}
    yaml = YAML(typ="safe", pure=True)
    yaml.Representer = _DossierRepresenter
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]  # keep field order
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 1_000_000  # no folding: a fold can change the white space read back
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(_inline_short_lists(data), stream)
    return stream.getvalue()
