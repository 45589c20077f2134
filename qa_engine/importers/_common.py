"""Shared machinery of the importers: JSON-LD values, provenance and "not mapped" notes.

A :class:`Mapper` walks one source document. Every value an importer reads goes
through it, so that it can record

* the provenance of each dossier field (``dossier path -> source JSON path``), and
* which parts of the source were consumed, so that everything else can be listed in
  the dossier's ``source.notes`` as ``not mapped: $.path = value (why)``.

Values the source does not carry are never filled in: the dossier field stays empty
and the checks report the element as missing or unknown.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError

from qa_engine.errors import DossierError, InputError
from qa_engine.formats.dossier import SCHEMA_VERSION, WINDOWS_RESERVED_NAMES, Dossier
from qa_engine.formats.loader import MAX_DEPTH, nested_deeper_than
from qa_engine.importers._tables import COUNTRY_ALPHA2, COUNTRY_ALPHA3, LANGUAGE3

SrcPath = tuple[str | int, ...]

#: Keys that identify or type a node; never listed as "not mapped" on their own.
STRUCTURAL_KEYS = frozenset({"@context", "type", "@type", "id", "@id"})

_DOT_KEY = re.compile(r"^[A-Za-z_@][A-Za-z0-9_:@-]*$")
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_DURATION = re.compile(
    r"^P(?!$)(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<M>\d+(?:[.,]\d+)?)M)?(?:(?P<W>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<D>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+(?:[.,]\d+)?)H)?(?:(?P<m>\d+(?:[.,]\d+)?)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$"
)
_SLUG_BAD = re.compile(r"[^a-z0-9._-]+")
_ESCO = re.compile(r"^https?://data\.europa\.eu/esco/", re.IGNORECASE)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


# --------------------------------------------------------------------------- paths


def fmt_path(path: Iterable[str | int], root: str = "$") -> str:
    """``("credentialSubject", "achievement", "alignment", 0)`` -> ``$.credentialSubject.achievement.alignment[0]``."""
    out = root
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _DOT_KEY.match(part):
            out += f".{part}"
        else:
            out += "['" + part.replace("\\", "\\\\").replace("'", "\\'") + "']"
    return out


def get_at(doc: Any, path: SrcPath) -> Any:
    node = doc
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
        elif not isinstance(node, dict):
            return None
        node = node[part] if isinstance(part, int) else node.get(part)
    return node


def too_deep(file: str) -> InputError:
    """The loader's error for a document nested deeper than :data:`MAX_DEPTH`."""
    return InputError("is nested too deeply", file=file, hint=f"keep nesting below {MAX_DEPTH} levels")


def check_depth(doc: Any, file: str) -> None:
    """Hold data that did not come through the loader (parsed data given to the API,
    JSON embedded in a string) to the loader's nesting limit: the importers walk
    documents recursively."""
    if nested_deeper_than(doc, MAX_DEPTH):
        raise too_deep(file)


# --------------------------------------------------------------------------- JSON-LD values


def as_list(value: Any) -> list[Any]:
    """A JSON-LD value as a list: ``None`` -> ``[]``, a single value -> ``[value]``."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict) and "@list" in value and isinstance(value["@list"], list):
        return value["@list"]
    return [value]


def items(doc: Any, path: SrcPath) -> Iterator[tuple[Any, SrcPath]]:
    """The entries of a single-or-list value at ``path``, each with its own source path."""
    value = get_at(doc, path)
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield item, path + (index,)
    elif isinstance(value, dict) and isinstance(value.get("@list"), list):
        for index, item in enumerate(value["@list"]):
            yield item, path + ("@list", index)
    elif value is not None:
        yield value, path


def types_of(node: Any) -> list[str]:
    """The ``type``/``@type`` of a node as a list of strings."""
    if not isinstance(node, dict):
        return []
    raw = node.get("type", node.get("@type"))
    return [t for t in as_list(raw) if isinstance(t, str)]


def _lang_rank(tag: str, prefer: tuple[str, ...]) -> int:
    low = tag.lower()
    for rank, want in enumerate(prefer):
        if low == want or low.startswith(want + "-"):
            return rank
    return len(prefer)


def texts(value: Any, prefer: tuple[str, ...] = ("en",)) -> list[str]:
    """Every text in a JSON-LD value, preferred language first.

    Accepts a plain string, ``{"@value": ...}``, a language map ``{"en": "..."}`` or
    ``{"en": ["..."]}``, and lists of any of these.
    """
    out: list[str] = []
    if value is None:
        return out
    if isinstance(value, str):
        if value.strip():
            out.append(value.strip())
        return out
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        out.append(f"{value:g}")
        return out
    if isinstance(value, list):
        for item in value:
            out.extend(texts(item, prefer))
        return out
    if isinstance(value, dict):
        if "@value" in value:
            return texts(value["@value"], prefer)
        if "@list" in value:
            return texts(value["@list"], prefer)
        keys = [k for k in value if isinstance(k, str) and not k.startswith("@")]
        node_like = "type" in value or (isinstance(value.get("id"), str) and ":" in value["id"])
        if keys and not node_like and all(_looks_like_language(k) for k in keys):
            for key in sorted(keys, key=lambda k: (_lang_rank(k, prefer), keys.index(k))):
                out.extend(texts(value[key], prefer))
    return out


def _looks_like_language(key: str) -> bool:
    return bool(re.match(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", key))


def text(value: Any, prefer: tuple[str, ...] = ("en",)) -> str | None:
    """The text of a JSON-LD value in the preferred language (the first one found)."""
    found = texts(value, prefer)
    return found[0] if found else None


def concept_label(node: Any) -> str | None:
    """The label of a SKOS concept, CTDL alignment object or similar node."""
    if isinstance(node, str):
        return node.strip() or None
    if not isinstance(node, dict):
        return None
    for key in (
        "prefLabel",
        "skos:prefLabel",
        "ceterms:targetNodeName",
        "targetName",
        "name",
        "ceterms:name",
        "title",
        "label",
        "notation",
    ):
        label = text(node.get(key))
        if label:
            return label
    return None


def node_id(node: Any) -> str | None:
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        for key in ("id", "@id", "ceterms:targetNode"):
            value = node.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def as_date(value: Any) -> date | None:
    """The date part of an ISO 8601 date or date-time string."""
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def as_number(value: Any) -> float | None:
    """A JSON number, or a string holding one (``"2"``, ``"2.5"``, ``"2,5"``)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def duration_hours(value: Any, *, days: bool) -> tuple[float | None, str | None]:
    """Hours in an ISO 8601 duration, or ``(None, why not)``.

    Hours, minutes and seconds convert exactly. With ``days=True`` a day counts 24 hours
    and a week 7 days (the ISO nominal values, which the EDC tools use to write a volume
    of learning such as ``P2DT12H`` for 60 hours). Months and years have no fixed length
    and are never converted.
    """
    if not isinstance(value, str):
        return None, "not an ISO 8601 duration"
    match = _DURATION.match(value.strip())
    if not match:
        return None, "not an ISO 8601 duration"
    parts = {k: float(v.replace(",", ".")) for k, v in match.groupdict().items() if v is not None}
    if parts.get("Y") or parts.get("M"):
        return None, "a duration in months or years has no fixed number of hours"
    if not days and (parts.get("W") or parts.get("D")):
        return None, "a duration in days or weeks is elapsed time, not a number of learning hours"
    hours = (
        parts.get("W", 0) * 168
        + parts.get("D", 0) * 24
        + parts.get("h", 0)
        + parts.get("m", 0) / 60
        + parts.get("s", 0) / 3600
    )
    return round(hours, 4), None


def country_code(value: Any) -> str | None:
    """ISO 3166-1 alpha-2 from an alpha-2 or alpha-3 code or an EU authority URI."""
    raw = node_id(value) if isinstance(value, dict) else value
    if not isinstance(raw, str):
        return None
    code = raw.rstrip("/").rsplit("/", 1)[-1].strip().upper()
    if len(code) == 2 and code in COUNTRY_ALPHA2:
        return code
    if len(code) == 3:
        return COUNTRY_ALPHA3.get(code)
    return None


def language_code(value: Any) -> str | None:
    """ISO 639-1 from a BCP 47 tag (``en-US``), a 639-2 code or an EU authority URI."""
    raw = node_id(value) if isinstance(value, dict) else value
    if not isinstance(raw, str):
        return None
    tail = raw.rstrip("/").rsplit("/", 1)[-1].strip()
    primary = tail.split("-", 1)[0].split("_", 1)[0]
    if re.fullmatch(r"[A-Za-z]{2}", primary):
        return primary.lower()
    if re.fullmatch(r"[A-Za-z]{3}", primary):
        return LANGUAGE3.get(primary.upper())
    return None


def is_esco(uri: Any) -> bool:
    return isinstance(uri, str) and bool(_ESCO.match(uri))


def is_uri(value: Any) -> bool:
    return isinstance(value, str) and bool(_URI.match(value))


def slug(*candidates: Any, fallback: str = "imported-credential") -> str:
    """A dossier id (``^[a-z0-9][a-z0-9._-]{0,127}$``, no ``..``) from the first usable candidate."""
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.strip():
            continue
        raw = candidate.strip()
        text_ = re.sub(r"^[a-z][a-z0-9+.-]*://", "", raw.lower())
        text_ = re.sub(r"^(www\.)", "", text_)
        text_ = _SLUG_BAD.sub("-", text_)
        text_ = re.sub(r"\.{2,}", ".", text_)
        text_ = re.sub(r"-{2,}", "-", text_)
        text_ = text_.strip("-._")
        if not text_:
            continue
        if len(text_) > 128:
            digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:10]
            text_ = text_[:117].rstrip("-._") + "-" + digest
        head, dot, rest = text_.partition(".")
        if head in WINDOWS_RESERVED_NAMES:  # "con", "nul.x": no file may have that name
            text_ = f"{head}-credential{dot}{rest}"[:128]
        return text_
    return fallback


def unique(value: str, taken: set[str], limit: int = 128) -> str:
    """``value`` or ``value-2``, ``value-3``... so that it is not in ``taken`` (which is updated)."""
    candidate = value[:limit]
    n = 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = value[: limit - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def short(value: Any, limit: int = 60) -> str:
    """A value quoted for a one-line note."""
    if isinstance(value, str):
        one = " ".join(value.split())
        if len(one) > limit:
            one = one[: limit - 3] + "..."
        return "'" + one.replace("'", "’") + "'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, list):
        if len(value) == 1:
            return short(value[0], limit)
        return f"{len(value)} entries"
    if isinstance(value, dict):
        label = (
            text(value)
            or concept_label(value)
            or text(value.get("noteLiteral"))
            or text(value.get("description"))
            or node_id(value)
        )
        if label:
            return short(label, limit)
        kinds = types_of(value)
        if kinds:
            kind = kinds[-1]
            return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"
        return "an object"
    return "null"


def put(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``data["a"]["b"]["c"] = value`` for ``"a.b.c"``, creating the mappings."""
    parts = dotted.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


# --------------------------------------------------------------------------- the mapper


class Mapper:
    """Reads one source document (or a part of it) into dossier data, keeping provenance.

    ``root`` is how the document's top is written in provenance (``$``, or ``$.payload``
    for a credential read out of a sealed envelope). Paths given to the methods are
    absolute within ``doc``.
    """

    def __init__(self, doc: Any, *, root: str = "$", as_of: date) -> None:
        self.doc = doc
        self.root = root
        self.as_of = as_of
        self.data: dict[str, Any] = {}
        self.prov: dict[str, str] = {}
        self.info: list[str] = []
        self.unmapped: list[str] = []
        self.unresolved: dict[str, str] = {}
        self._used: set[SrcPath] = set()
        self._partial: set[SrcPath] = set()

    # reading -------------------------------------------------------------

    def get(self, path: SrcPath) -> Any:
        return get_at(self.doc, path)

    def items(self, path: SrcPath) -> Iterator[tuple[Any, SrcPath]]:
        return items(self.doc, path)

    def src(self, path: SrcPath) -> str:
        return fmt_path(path, self.root)

    def use(self, *paths: SrcPath) -> None:
        """Mark source paths as consumed (so they are not listed as not mapped)."""
        for path in paths:
            self._used.add(path)
            for cut in range(len(path)):
                self._partial.add(path[:cut])

    def used(self, path: SrcPath) -> bool:
        return path in self._used

    # writing -------------------------------------------------------------

    def record(self, dossier_path: str, *sources: SrcPath, consume: bool = True) -> None:
        """Record where a dossier value came from (several sources are joined).

        ``consume=False`` records a container (a list or a list item) without marking
        its whole subtree as mapped, so that its unmapped parts are still listed.
        """
        if consume:
            self.use(*sources)
        shown: list[str] = []
        for source in sources:
            text_ = self.src(source)
            if text_ not in shown:
                shown.append(text_)
        if shown:
            self.prov[dossier_path] = ", ".join(shown)

    def set(self, dossier_path: str, value: Any, *sources: SrcPath, consume: bool = True) -> None:
        """Set a dotted dossier field (no list indices) and record its provenance."""
        put(self.data, dossier_path, value)
        self.record(dossier_path, *sources, consume=consume)

    def related(self, dossier_path: str, source: SrcPath | None, why: str) -> None:
        """Record that the source carries only something *related* to a dossier element.

        The field stays as it is (usually empty); ``source.unresolved`` names it with
        ``why``, so that a criterion reading it is unknown rather than met or not met,
        and the note and provenance say what was seen and where.
        """
        if source is not None:
            self.use(source)
            seen = f"{self.src(source)} = {short(self.get(source))}: "
            self.prov.setdefault(dossier_path, self.src(source))
        else:
            seen = ""
        self.unresolved[dossier_path] = seen + why
        self.note(f"related, not the element: {dossier_path} <- {seen}{why}; criteria reading it are unknown")

    def note(self, text_: str) -> None:
        if text_ not in self.info:
            self.info.append(text_)

    def not_mapped(self, path: SrcPath, why: str, value: Any = None) -> None:
        """List a source value as not mapped (and mark it consumed)."""
        self.use(path)
        shown = self.get(path) if value is None else value
        entry = f"not mapped: {self.src(path)} = {short(shown)} ({why})"
        if entry not in self.unmapped:
            self.unmapped.append(entry)

    def sweep(self, base: SrcPath, reasons: Mapping[str, str], default: str) -> None:
        """List everything under ``base`` that no mapping consumed."""
        self._sweep(self.get(base), base, reasons, default)

    def _sweep(self, node: Any, path: SrcPath, reasons: Mapping[str, str], default: str) -> None:
        entries: Iterable[tuple[str | int, Any]]
        if isinstance(node, dict):
            entries = node.items()
        elif isinstance(node, list):
            entries = enumerate(node)
        else:
            return
        for key, value in entries:
            here = path + (key,)
            if here in self._used or (isinstance(key, str) and key in STRUCTURAL_KEYS):
                continue
            if value is None or value == [] or value == {} or value == "":
                continue
            if here in self._partial:
                self._sweep(value, here, reasons, default)
                continue
            self.not_mapped(here, _reason(here, reasons, default), value)

    # finishing -----------------------------------------------------------

    def expiry(self, base: SrcPath, keys: tuple[str, ...], what: str = "the credential itself") -> None:
        """Note when the document's own validity end lies before the as-of date."""
        present = [base + (key,) for key in keys if self.get(base + (key,)) is not None]
        self.use(*present)
        for path in present:
            key = str(path[-1])
            raw = self.get(path)
            end = as_date(raw)
            if end is None:
                self.note(f"{self.src(path)} = {short(raw)} is not a date; validity not checked")
            elif end < self.as_of:
                self.note(
                    f"{what} has expired: {key} {end.isoformat()} at {self.src(path)} is before "
                    f"{self.as_of.isoformat()}; its content was imported all the same"
                )
            return

    def dossier(self, *, fmt: str, file: str, extra_notes: Iterable[str] = ()) -> Dossier:
        """Validate the collected data as a Dossier with its ``source`` block."""
        notes = list(self.info) + [n for n in extra_notes if n not in self.info] + self.unmapped
        data = {"schema_version": SCHEMA_VERSION, **self.data}
        data["source"] = {
            "format": fmt,
            "file": file,
            "notes": notes,
            "provenance": dict(sorted(self.prov.items())),
            "unresolved": dict(sorted(self.unresolved.items())) or None,
        }
        try:
            return Dossier.model_validate(data)
        except ValidationError as exc:  # a mapping bug, not the user's input
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            raise DossierError(
                f"the dossier imported from it does not validate: {where}: {first['msg']}",
                file=file,
                hint="report this as an importer bug, with the file",
            ) from None


def _reason(path: SrcPath, reasons: Mapping[str, str], default: str) -> str:
    """Why a value is not mapped: by ``parent.key``, then by key, then by its ancestors."""
    keys = [p for p in path if isinstance(p, str)]
    if not keys:
        return default
    if len(keys) > 1 and f"{keys[-2]}.{keys[-1]}" in reasons:
        return reasons[f"{keys[-2]}.{keys[-1]}"]
    for key in reversed(keys):
        if key in reasons:
            return reasons[key]
    return default


def wrong_document(doc: Any, fmt: str, *, file: str, root: str, expected: str, otherwise: str) -> InputError:
    """The error for a document that is not of format ``fmt``: names what was expected
    and, when another importer recognises it, which format to use instead."""
    from qa_engine.importers import describe_format  # the package imports this module

    other = describe_format(doc, fmt) if isinstance(doc, dict) else None
    return type_error(
        file,
        f"{root}.type",
        expected,
        doc.get("type", doc.get("@type")) if isinstance(doc, dict) else doc,
        f"it looks like {other}; import it with that format" if other else otherwise,
    )


def type_error(file: str, where: str, expected: str, got: Any, hint: str) -> InputError:
    """``$.type must include X, got Y`` as one located sentence."""
    shown = got if isinstance(got, str) else (list(got) if isinstance(got, list) else got)
    return InputError(f"`{where}` must include {expected}, got {shown!r}", file=file, hint=hint)
