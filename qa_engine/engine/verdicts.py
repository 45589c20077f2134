"""Turning condition values into one verdict state per criterion.

Both engines feed the same function, so they can only differ in the condition values
they compute, which is what the differential test compares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: applies_when was not given (the criterion always applies)
ALWAYS = "always"


@dataclass(frozen=True)
class Verdict:
    criterion: str
    state: str
    error: str | None = None


def decide(applies: bool | None | str, levels: Sequence[tuple[str, bool | None]]) -> str:
    """First level that holds wins; none holds -> not_met, unless some level was unknown.

    ``applies`` is True/False/None (unknown) or :data:`ALWAYS`.
    """
    if applies is False:
        return "not_applicable"
    if applies is None:
        return "unknown"
    unknown = False
    for name, value in levels:
        if value is True:
            return name
        if value is None:
            unknown = True
    return "unknown" if unknown else "not_met"
