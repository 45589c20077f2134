"""Canonical JSON and content hashes.

A ruleset, rubric, criterion or dossier is hashed over a canonical form (sorted keys,
no whitespace, decimals written exactly) so that the same content always gives the same
sha256, whatever the YAML formatting or key order was.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def canonical_json(value: Any) -> str:
    return json.dumps(
        _plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
