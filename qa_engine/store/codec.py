"""How the store keeps a report: zstd, with the evaluated ruleset and rubric as dictionary.

A quality-review report is ~135 KB of JSON, most of it text that is also in the
ruleset (criterion titles, descriptions, guidance, references). Compressed against a
*raw-content dictionary* made of the canonical content of the very ruleset and rubric
versions it was evaluated under — which the store holds anyway, immutable and hashed —
it takes ~9 KB, against ~22 KB compressed alone. Nothing is recomputed on reading:
the blob decompresses to the report's exact bytes (what the batch wrote to its file).
A dossier's JSON (``submission.dossier_json``) is kept as plain zstd
(:func:`pack_document`: ~1.4 KB for a 5 KB dossier).

Stored form (frozen; a new form gets a new first byte, and old ones stay readable)::

    b"\\x01" + sha256 of the ruleset version (32 bytes) + sha256 of the rubric
    version (32 bytes) + zstd frame (content size in its header), dictionary =
        json(ruleset content) + b"\\n" + json(rubric content)

where ``json`` is ``json.dumps(value, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` of the *parsed* stored content (so the dictionary depends on
the content, not on how its text was spelled). The blob names its dictionary by
content hash, so it decodes on its own (an edited version id elsewhere in the row
does not change what the report says). The audit trail hashes the decoded report
(:func:`qa_engine.store.trail.json_document_sha256`), never these bytes.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import zstandard
from sqlalchemy import Connection, select

from qa_engine.hashing import sha256_of
from qa_engine.store.errors import StoreError
from qa_engine.store.models import RUBRIC_VERSION, RULESET_VERSION

#: First byte of a report stored as zstd against its ruleset + rubric.
ZSTD_RULESET_DICT = 1
#: zstd level: 9 gives ~8.3 KB per quality-review report in ~1.4 ms in the worker (6: 9.3 KB in
#: 0.8 ms; 12: 7.4 KB in 6.6 ms); decoding takes ~0.1 ms. Stored blobs name no level.
LEVEL = 9
#: Decoders kept per process (one per ruleset + rubric pair in use).
CACHE = 16
#: A report larger than this when decompressed is refused (a hostile or broken blob).
MAX_REPORT_BYTES = 256 * 1024 * 1024


class CodecError(StoreError):
    """A stored report that does not decode (edited, truncated or of an unknown form)."""


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def dictionary(ruleset_content: Mapping[str, Any], rubric_content: Mapping[str, Any]) -> bytes:
    """The dictionary of form 1 from the parsed content of a ruleset and a rubric version."""
    return _canonical(ruleset_content) + b"\n" + _canonical(rubric_content)


HEADER = 1 + 32 + 32


def _header(ruleset_sha256: str, rubric_sha256: str) -> bytes:
    try:
        return bytes([ZSTD_RULESET_DICT]) + bytes.fromhex(ruleset_sha256) + bytes.fromhex(rubric_sha256)
    except ValueError:
        raise CodecError("a ruleset or rubric version without a sha256") from None


def names(blob: bytes | memoryview) -> tuple[str, str]:
    """The (ruleset, rubric) version hashes a stored report was compressed against."""
    data = bytes(blob[:HEADER])
    if len(data) < HEADER or data[0] != ZSTD_RULESET_DICT:
        raise CodecError(f"a stored report of unknown form {data[:1]!r}")
    return data[1:33].hex(), data[33:65].hex()


class ReportCodec:
    """Encodes and decodes reports for one ruleset + rubric pair (thread-safe)."""

    def __init__(self, dict_bytes: bytes, ruleset_sha256: str, rubric_sha256: str, *, level: int = LEVEL) -> None:
        self._header = _header(ruleset_sha256, rubric_sha256)
        self._dict = zstandard.ZstdCompressionDict(dict_bytes, dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        self._dict.precompute_compress(level=level)
        self._level = level
        self._local = threading.local()

    def _compressor(self) -> zstandard.ZstdCompressor:
        c = getattr(self._local, "c", None)
        if c is None:
            c = self._local.c = zstandard.ZstdCompressor(level=self._level, dict_data=self._dict)
        return c

    def _decompressor(self) -> zstandard.ZstdDecompressor:
        d = getattr(self._local, "d", None)
        if d is None:
            d = self._local.d = zstandard.ZstdDecompressor(dict_data=self._dict)
        return d

    def encode(self, text: str) -> bytes:
        """The stored form of a report's JSON text."""
        return self._header + self._compressor().compress(text.encode("utf-8"))

    def decode(self, blob: bytes | memoryview) -> str:
        """The report's JSON text, byte for byte as it was encoded."""
        data = bytes(blob)
        if data[:HEADER] != self._header:
            raise CodecError("a stored report compressed against other ruleset and rubric versions")
        frame = data[HEADER:]
        try:
            size = zstandard.frame_content_size(frame)
            if size < 0 or size > MAX_REPORT_BYTES:
                raise CodecError("a stored report without a plausible size")
            return self._decompressor().decompress(frame, max_output_size=size).decode("utf-8")
        except (zstandard.ZstdError, UnicodeDecodeError) as exc:
            raise CodecError(f"a stored report does not decode ({exc})") from None


#: First byte of a document (a dossier's JSON) stored as zstd on its own.
ZSTD_PLAIN = 0
#: zstd level of documents: a 5 KB dossier takes ~1.4 KB in ~0.02 ms.
DOCUMENT_LEVEL = 3
_DOCS = threading.local()


def pack_document(text: str) -> bytes:
    """The stored form of a JSON document that has no dictionary (a dossier):
    ``b"\\x00"`` + a zstd frame (content size in its header)."""
    z = getattr(_DOCS, "c", None)
    if z is None:
        z = _DOCS.c = zstandard.ZstdCompressor(level=DOCUMENT_LEVEL)
    return bytes([ZSTD_PLAIN]) + z.compress(text.encode("utf-8"))


def unpack_document(blob: bytes | memoryview) -> str:
    """The text of a document stored by :func:`pack_document`, byte for byte."""
    data = bytes(blob)
    if not data or data[0] != ZSTD_PLAIN:
        raise CodecError(f"a stored document of unknown form {data[:1]!r}")
    d = getattr(_DOCS, "d", None)
    if d is None:
        d = _DOCS.d = zstandard.ZstdDecompressor()
    try:
        size = zstandard.frame_content_size(data[1:])
        if size < 0 or size > MAX_REPORT_BYTES:
            raise CodecError("a stored document without a plausible size")
        return d.decompress(data[1:], max_output_size=size).decode("utf-8")
    except (zstandard.ZstdError, UnicodeDecodeError) as exc:
        raise CodecError(f"a stored document does not decode ({exc})") from None


_LOCK = threading.Lock()
_CODECS: OrderedDict[tuple[str, str], ReportCodec] = OrderedDict()


def cached(ruleset_sha256: str, rubric_sha256: str) -> ReportCodec | None:
    """The codec of this ruleset + rubric pair, if this process has built it."""
    with _LOCK:
        codec = _CODECS.get((ruleset_sha256, rubric_sha256))
        if codec is not None:
            _CODECS.move_to_end((ruleset_sha256, rubric_sha256))
        return codec


def codec_for(
    ruleset_sha256: str, rubric_sha256: str,
    ruleset_content: Mapping[str, Any], rubric_content: Mapping[str, Any],
) -> ReportCodec:
    """The codec of a ruleset + rubric pair (built once per process; the caller vouches
    that the contents are those the hashes name)."""
    codec = cached(ruleset_sha256, rubric_sha256)
    if codec is None:
        codec = ReportCodec(dictionary(ruleset_content, rubric_content), ruleset_sha256, rubric_sha256)
        with _LOCK:
            _CODECS[(ruleset_sha256, rubric_sha256)] = codec
            while len(_CODECS) > CACHE:
                _CODECS.popitem(last=False)
    return codec


def stored_content(conn: Connection, table: Any, sha256: str, kind: str) -> Any:
    text = conn.execute(select(table.c.content).where(table.c.sha256 == sha256)).scalar()
    if text is None:
        raise CodecError(f"the {kind} version {sha256[:12]} of a stored report is not in the store")
    data = json.loads(text)
    if sha256_of(data) != sha256:
        raise CodecError(f"the stored {kind} version {sha256[:12]} does not match its sha256 (edited?)")
    return data


def stored_report_text(conn: Connection, blob: bytes | memoryview) -> str:
    """The report JSON text of an evaluation's stored ``report_json``; the ruleset and
    rubric versions it names are read (and checked against their hashes) once per
    process."""
    rs_sha, rb_sha = names(blob)
    codec = cached(rs_sha, rb_sha) or codec_for(
        rs_sha, rb_sha,
        stored_content(conn, RULESET_VERSION, rs_sha, "ruleset"),
        stored_content(conn, RUBRIC_VERSION, rb_sha, "rubric"),
    )
    return codec.decode(blob)


__all__ = [
    "DOCUMENT_LEVEL", "LEVEL", "ZSTD_PLAIN", "ZSTD_RULESET_DICT", "CodecError", "ReportCodec", "cached",
    "codec_for", "dictionary", "names", "pack_document", "stored_content", "stored_report_text",
    "unpack_document",
]
