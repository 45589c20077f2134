"""Loading a rubric's review policy (``rubrics/<id>/<version>.policy.yaml``).

A policy is read like a rubric: every problem is one :class:`RulesetError` naming the
file, the line and the field; its content hash (sha256 of its canonical JSON) is
recorded with each panel and decision that follows it, so that a later edit of the
file cannot silently change the rules a past decision was made under.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa_engine.errors import ResolutionError, RulesetError
from qa_engine.formats.loader import load_document
from qa_engine.formats.policy import ReviewPolicy
from qa_engine.hashing import sha256_of
from qa_engine.rules.registry import POLICY_SUFFIXES, LoadedRubric, LoadedRuleset, _locate, _model


@dataclass(frozen=True)
class LoadedPolicy:
    spec: ReviewPolicy
    source: str
    sha256: str

    @property
    def ref(self) -> str:
        return f"{self.spec.rubric}@{self.spec.version}"


def policy_path(rubric: LoadedRubric) -> Path:
    """Where the policy of ``rubric`` lies: beside its file, ``<version>.policy.yaml``."""
    src = Path(rubric.source)
    for suffix in POLICY_SUFFIXES:
        candidate = src.with_name(f"{rubric.spec.version}{suffix}")
        if candidate.is_file():
            return candidate
    return src.with_name(f"{rubric.spec.version}{POLICY_SUFFIXES[0]}")


def load_policy_file(path: str | Path, rubric: LoadedRubric | None = None) -> LoadedPolicy:
    """Load and check one policy file (against ``rubric`` when given: ids and bands)."""
    file = str(path)
    data, linemap = load_document(path)
    spec: ReviewPolicy = _model(ReviewPolicy, data, file, linemap)
    if rubric is not None:
        if (spec.rubric, spec.version) != (rubric.spec.id, rubric.spec.version):
            raise RulesetError(
                f"the policy names rubric {spec.rubric}@{spec.version} but lies beside "
                f"{rubric.spec.id}@{rubric.spec.version}",
                file=file,
                line=_locate(linemap, ("rubric",))[0],
                path="rubric",
                hint="make rubric and version match the rubric file it lies beside",
            )
        bands = [b.id for b in rubric.spec.bands]
        for band in spec.outcomes:
            if band not in bands:
                raise RulesetError(
                    f"outcomes names band '{band}', which the rubric does not have (bands: {', '.join(bands)})",
                    file=file,
                    line=_locate(linemap, ("outcomes", band))[0],
                    path=f"outcomes.{band}",
                    hint="map the rubric's band ids",
                )
        for band in bands:
            if spec.outcome_of_band(band) is None:
                raise RulesetError(
                    f"band '{band}' of the rubric maps to no decision outcome",
                    file=file,
                    line=_locate(linemap, ("outcomes",))[0],
                    path="outcomes",
                    hint=f"add '{band}: accredited | accredited_with_conditions | not_accredited' under outcomes",
                )
    return LoadedPolicy(spec=spec, source=file, sha256=sha256_of(spec.model_dump(mode="json")))


def policy_for(rubric: LoadedRubric, ruleset: LoadedRuleset | None = None) -> LoadedPolicy:
    """The review policy of ``rubric``; with ``ruleset``, its per-criterion rules must
    name criteria of that ruleset."""
    path = policy_path(rubric)
    if not path.is_file():
        raise ResolutionError(
            f"rubric {rubric.spec.id}@{rubric.spec.version} has no review policy ({path.name} beside {rubric.source})",
            hint="write one (see docs/review-policy.md) before forming panels for it",
        )
    policy = load_policy_file(path, rubric)
    if ruleset is not None:
        known = set(ruleset.by_id)
        for cid in policy.spec.consensus.criteria:
            if cid not in known:
                raise RulesetError(
                    f"consensus rule for criterion {cid}, which ruleset {ruleset.ref} does not have",
                    file=policy.source,
                    path=f"consensus.criteria.{cid}",
                    hint="use criterion ids of the ruleset the rubric scores",
                )
    return policy


__all__ = ["LoadedPolicy", "load_policy_file", "policy_for", "policy_path"]
