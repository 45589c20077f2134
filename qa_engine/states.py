"""The verdict states every criterion ends in (DESIGN.md, "Engine")."""

from __future__ import annotations

from typing import Literal

State = Literal[
    "exemplary",
    "met",
    "partially_met",
    "not_met",
    "not_applicable",
    "unknown",
    "error",
    "waived",
    "overridden",
]

#: States a level condition can produce, best first.
LEVEL_STATES: tuple[str, ...] = ("exemplary", "met", "partially_met")
#: States the engine itself produces.
ENGINE_STATES: tuple[str, ...] = (
    "exemplary",
    "met",
    "partially_met",
    "not_met",
    "not_applicable",
    "unknown",
    "error",
)
#: States only a reviewer's action produces.
REVIEW_STATES: tuple[str, ...] = ("waived", "overridden")
ALL_STATES: tuple[str, ...] = ENGINE_STATES + REVIEW_STATES

#: States that count as "the criterion is satisfied" for essential gates and `met()`.
PASSING_STATES: frozenset[str] = frozenset({"exemplary", "met", "waived"})
