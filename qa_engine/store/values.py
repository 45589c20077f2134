"""Small value helpers every store module shares (one definition, not one per module):
the store's clock, datetimes read back as UTC, and the id of an inserted row."""

from __future__ import annotations

import datetime as _dt
from typing import Any, overload


def now() -> _dt.datetime:
    """The store's clock: an aware UTC datetime."""
    return _dt.datetime.now(_dt.UTC)


@overload
def as_utc(value: _dt.datetime) -> _dt.datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: _dt.datetime | None) -> _dt.datetime | None: ...
def as_utc(value: _dt.datetime | None) -> _dt.datetime | None:
    """A datetime read back from the store as aware UTC (SQLite returns them naive)."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=_dt.UTC)


def inserted_id(result: Any) -> int:
    """The primary key of the row an INSERT wrote."""
    return int(result.inserted_primary_key[0])
