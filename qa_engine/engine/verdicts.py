"""Turning condition values into one verdict state per criterion.

Both engines feed the same function, so they can only differ in the condition values
they compute, which is what the differential test compares.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: applies_when was not given (the criterion always applies)
ALWAYS = "always"


@dataclass(frozen=True)
class Verdict:
    criterion: str
    state: str
    error: str | None = None
    #: why the state is not what the conditions alone gave (see :func:`settle_unresolved`)
    note: str | None = None


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


#: States a related-but-not-equal source value cannot support: the element may be there
#: or not, the document does not say which (``partially_met`` stands, ``error`` and
#: ``not_applicable`` too).
_UNSETTLED = frozenset({"exemplary", "met", "not_met"})


def _touches(path: str, key: str) -> bool:
    """``path`` is ``key``, lies under it, or contains it (``a.b`` / ``a.b.c`` / ``a``)."""
    if path == key:
        return True
    return path.startswith((key + ".", key + "[")) or key.startswith((path + ".", path + "["))


def unresolved_reason(evidence: Sequence[str], unresolved: Mapping[str, str]) -> str | None:
    """The import note that leaves a criterion reading ``evidence`` undecided, or None."""
    for key, why in unresolved.items():
        if any(_touches(p.replace("[]", ""), key) for p in evidence):
            return f"{key}: {why}"
    return None


def settle_unresolved(
    verdicts: dict[str, Verdict], evidence: Mapping[str, Sequence[str]], unresolved: Mapping[str, str]
) -> dict[str, Verdict]:
    """Criteria whose evidence an importer marked as only *related* become ``unknown``.

    An importer records in ``source.unresolved`` the dossier paths for which the source
    carried something related to the element but not the element itself (a validity
    start instead of an issue date, an organisation only by reference). The document
    then does not say whether the element is there, so met, exemplary and not met all
    claim more than it shows.
    """
    if not unresolved:
        return verdicts
    out = dict(verdicts)
    for cid, v in verdicts.items():
        if v.state not in _UNSETTLED:
            continue
        why = unresolved_reason(evidence.get(cid, ()), unresolved)
        if why is not None:
            out[cid] = Verdict(cid, "unknown", v.error, note=why)
    return out
