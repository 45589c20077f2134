"""The crosswalk file format: a versioned mapping between criteria of different rulesets.

``crosswalks/<id>/<version>.yaml`` names the ruleset versions it maps (``id@version``)
and lists pairs of criteria with the kind of correspondence, read from ``source`` to
``target`` as in SKOS mapping relations:

* ``equal`` — both check the same requirement;
* ``narrower`` — ``source`` checks a part of what ``target`` checks;
* ``broader`` — ``source`` checks more than ``target`` (``target`` is a part of it);
* ``related`` — they overlap, neither contains the other.

A side is written ``<ruleset-id>:<criterion-id>``; the version is the one the crosswalk
names for that ruleset, so a mapping never silently follows a criterion into a version
nobody reviewed.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qa_engine.formats.ruleset import ID_RE, REF_RE, RULESET_ID_RE, SEMVER_RE, Reference

Kind = Literal["equal", "narrower", "broader", "related"]
KINDS: tuple[str, ...] = ("equal", "narrower", "broader", "related")
#: how a kind reads from the other side
INVERSE: dict[str, str] = {"equal": "equal", "narrower": "broader", "broader": "narrower", "related": "related"}

_SIDE = re.compile(r"^([a-z][a-z0-9-]{0,63}):([A-Za-z][A-Za-z0-9_.-]{0,63})$")


def split_side(side: str) -> tuple[str, str]:
    """``"eu-microcredential:EU-06"`` -> ``("eu-microcredential", "EU-06")``."""
    m = _SIDE.match(side)
    if not m:
        raise ValueError(side)
    return m.group(1), m.group(2)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CrosswalkMapping(_Strict):
    """One correspondence between two criteria of different rulesets."""

    source: str = Field(description="<ruleset-id>:<criterion-id>")
    target: str = Field(description="<ruleset-id>:<criterion-id>")
    kind: Kind = Field(description="equal, narrower, broader or related (source relative to target).")
    note: str = Field("", description="Why the two correspond, and where they differ.")

    @field_validator("source", "target")
    @classmethod
    def _side(cls, v: str) -> str:
        if not _SIDE.match(v) or not ID_RE.match(v.split(":", 1)[1]):
            raise ValueError("write a side as <ruleset-id>:<criterion-id>, e.g. eu-microcredential:EU-06")
        return v


class CrosswalkFile(_Strict):
    id: str
    version: str
    title: str
    description: str = ""
    rulesets: list[str] = Field(min_length=2, description="The ruleset versions mapped, <id>@<version>.")
    references: list[Reference] = Field(default_factory=list)
    mappings: list[CrosswalkMapping] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not RULESET_ID_RE.match(v):
            raise ValueError("crosswalk ids are lower-case letters, digits and '-'")
        return v

    @field_validator("version")
    @classmethod
    def _ver(cls, v: str) -> str:
        if not SEMVER_RE.match(v):
            raise ValueError("versions are semantic versions like 1.0.0")
        return v

    @field_validator("rulesets")
    @classmethod
    def _refs(cls, v: list[str]) -> list[str]:
        for ref in v:
            m = REF_RE.match(ref)
            if not m or m.group(2) is None:
                raise ValueError(f"{ref!r}: name each ruleset with its version, <id>@<version>")
        ids = [r.split("@", 1)[0] for r in v]
        if len(set(ids)) != len(ids):
            raise ValueError("a crosswalk maps one version of each ruleset")
        return v
