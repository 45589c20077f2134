"""Importers: real credential formats -> dossiers, with provenance and "not mapped" notes.

``import_document(path_or_data, fmt="auto")`` reads one JSON / JSON-LD document and
returns an :class:`ImportResult` with one dossier per credential it holds (a CLR 2.0
holds several). Formats:

========  ====================================================================
``ob3``   Open Badges 3.0: OpenBadgeCredential, AchievementCredential, Achievement
``clr``   CLR 2.0: ClrCredential (one dossier per achievement credential in it)
``elm``   ELM v3 JSON-LD: EuropeanDigitalCredential, plain or sealed ``{payload, signatures}``
``ctdl``  CTDL JSON-LD: ceterms credential classes, LearningProgram, Course; plain or ``@graph``
``auto``  tell the format from ``type`` / ``@type`` and ``@context``
========  ====================================================================

Every dossier carries ``source.format``, ``source.file``, ``source.provenance``
(dossier path -> JSON path in the source) and ``source.notes`` (everything not mapped,
and expiry). Values the source does not carry stay empty. A document of the wrong or an
unsupported type raises :class:`~qa_engine.errors.InputError` saying what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from qa_engine.errors import InputError
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import load_document
from qa_engine.importers._common import check_depth, types_of

__all__ = ["FORMATS", "ImportResult", "describe_format", "detect_format", "import_document"]

#: Format names accepted by ``import_document`` and the CLI.
FORMATS = ("ob3", "clr", "elm", "ctdl", "auto")

_NAMES = {
    "ob3": "an Open Badges 3.0 credential (ob3)",
    "clr": "a CLR 2.0 credential (clr)",
    "elm": "a European Digital Credential, ELM v3 (elm)",
    "ctdl": "a CTDL resource (ctdl)",
}
_EXPECTED = (
    "expected an Open Badges 3.0 credential or achievement, a CLR 2.0 credential, a European "
    "Digital Credential (ELM v3 JSON-LD) or a CTDL credential, learning programme or course"
)
_OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "Achievement"})


@dataclass
class ImportResult:
    """The dossiers read from one document, and notes about the document as a whole."""

    dossiers: list[Dossier]
    format: str
    file: str
    notes: list[str] = field(default_factory=list)


def _contexts(doc: dict[str, Any]) -> list[str]:
    out: list[str] = []
    raw = doc.get("@context")
    for item in raw if isinstance(raw, list) else [raw]:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            out += [v for v in item.values() if isinstance(v, str)]
    return out


def detect_format(doc: Any) -> str | None:
    """``ob3``, ``clr``, ``elm`` or ``ctdl`` for a parsed document, or None."""
    if not isinstance(doc, dict):
        return None
    if "payload" in doc and ("signatures" in doc or "signature" in doc):
        return "elm"
    kinds = set(types_of(doc))
    contexts = " ".join(_contexts(doc))
    if "ClrCredential" in kinds:
        return "clr"
    if kinds & _OB_TYPES:
        return "ob3"
    if "EuropeanDigitalCredential" in kinds:
        return "elm"
    if any(k.startswith("ceterms:") for k in kinds) or "@graph" in doc:
        return "ctdl"
    if any(isinstance(k, str) and k.startswith("ceterms:") for k in doc):
        return "ctdl"
    if "credreg.net" in contexts:
        return "ctdl"
    if "purl.imsglobal.org/spec/clr" in contexts:
        return "clr"
    if "purl.imsglobal.org/spec/ob" in contexts:
        return "ob3"
    if "data.europa.eu/snb" in contexts:
        return "elm"
    return None


def describe_format(doc: Any, current: str) -> str | None:
    """A reader's name of the format a document looks like, when not ``current`` (for hints)."""
    found = detect_format(doc)
    return _NAMES.get(found) if found and found != current else None


def _looks_like_xml(path: str | Path) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    head = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<")


def _read(path: str | Path) -> tuple[Any, str]:
    name = "<stdin>" if str(path) == "-" else str(path)
    if str(path) != "-" and _looks_like_xml(path):
        raise InputError(
            "is an XML document; qa-engine imports JSON and JSON-LD credentials only",
            file=name,
            hint="export the credential as JSON-LD (for ELM: the EDC JSON-LD form) and import that",
        )
    data, _lines = load_document(path)
    return data, name


def import_document(
    path_or_data: str | Path | dict[str, Any],
    fmt: str = "auto",
    *,
    as_of: date | None = None,
    file: str | None = None,
) -> ImportResult:
    """Import one document (a path, ``"-"`` for stdin, or parsed JSON data).

    ``as_of`` is the date an expiry is judged against (default: today); ``file`` names
    the source in ``source.file`` and in messages (default: the path).
    """
    if fmt not in FORMATS:
        raise InputError(
            f"unknown import format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}"
        )
    if isinstance(path_or_data, (str, Path)):
        doc, name = _read(path_or_data)
        name = file or name
    else:
        doc, name = path_or_data, file or "<data>"
        check_depth(doc, name)
    day = as_of or date.today()
    if not isinstance(doc, dict):
        raise InputError(f"the document is a {type(doc).__name__}, not one JSON object; {_EXPECTED}", file=name)

    if "@context" in doc and set(doc) <= {"@context", "@version"}:
        raise InputError(f"is a JSON-LD context document, not a credential; {_EXPECTED}", file=name)

    from qa_engine.importers import clr, ctdl, elm, ob3

    root = "$"
    if fmt in ("auto", "elm"):
        doc, root = elm.unwrap_envelope(doc, name)
    found = detect_format(doc) if fmt == "auto" else fmt
    if found is None:
        kinds = doc.get("type", doc.get("@type"))
        shown = f"its type is {kinds!r}" if kinds is not None else "it has no type or @type"
        raise InputError(
            f"cannot tell which credential format it is ({shown}); {_EXPECTED}",
            file=name,
            hint="name the format: qa-engine import ob3|clr|elm|ctdl FILE",
        )
    importer = {"ob3": ob3.import_ob3, "clr": clr.import_clr, "elm": elm.import_elm, "ctdl": ctdl.import_ctdl}[found]
    dossiers = importer(doc, file=name, as_of=day, root=root)
    source_format = dossiers[0].source.format if dossiers and dossiers[0].source else found
    notes: list[str] = []
    if len(dossiers) > 1:
        notes.append(f"{len(dossiers)} dossiers: " + ", ".join(d.id for d in dossiers))
    return ImportResult(dossiers=dossiers, format=source_format or found, file=name, notes=notes)


def output_name(dossier: Dossier) -> str:
    """The file name a dossier is written to in an output folder."""
    return re.sub(r"[^a-z0-9._-]", "-", dossier.id) + ".yaml"
