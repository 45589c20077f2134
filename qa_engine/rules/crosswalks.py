"""Loading and checking crosswalks (``crosswalks/<id>/<version>.yaml``).

A crosswalk is loaded against the registry: every ruleset version it names must
resolve, and every criterion a mapping names must exist in that version. Every problem
is one :class:`RulesetError` naming the file, the line and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from qa_engine.errors import QAError, ResolutionError, RulesetError
from qa_engine.formats.crosswalk import INVERSE, CrosswalkFile, CrosswalkMapping, split_side
from qa_engine.formats.loader import load_document
from qa_engine.formats.ruleset import parse_ref, version_key
from qa_engine.hashing import sha256_of
from qa_engine.rules.registry import Registry, _content_root, _locate, _model


def bundled_crosswalks_dir() -> Path:
    return _content_root("crosswalks")


@dataclass(frozen=True)
class Link:
    """One mapping seen from one side: ``criterion`` of ``ruleset`` is ``kind`` to ``other``."""

    ruleset: str
    criterion: str
    kind: str
    other_ruleset: str
    other: str
    note: str


@dataclass(frozen=True)
class LoadedCrosswalk:
    spec: CrosswalkFile
    source: str
    sha256: str
    #: ruleset id -> the version the crosswalk names
    versions: dict[str, str]

    @property
    def ref(self) -> str:
        return f"{self.spec.id}@{self.spec.version}"

    def covers(self, refs: Iterable[str]) -> list[str]:
        """The given ``id@version`` refs this crosswalk maps (exact versions only)."""
        return [r for r in refs if self.versions.get(r.split("@", 1)[0]) == r.split("@", 1)[1]]

    def links(self) -> Iterator[Link]:
        """Every mapping from both sides (``narrower`` one way is ``broader`` the other)."""
        for m in self.spec.mappings:
            (sr, sc), (tr, tc) = split_side(m.source), split_side(m.target)
            yield Link(sr, sc, m.kind, tr, tc, m.note)
            yield Link(tr, tc, INVERSE[m.kind], sr, sc, m.note)


def crosswalk_files(dirs: Iterable[Path]) -> dict[str, dict[str, Path]]:
    """id -> version -> file, over ``dirs`` (earlier folders win)."""
    out: dict[str, dict[str, Path]] = {}
    for root in dirs:
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            for f in sorted(folder.glob("*.y*ml")):
                out.setdefault(folder.name, {}).setdefault(f.stem, f)
    return out


def load_crosswalk_file(path: str | Path, registry: Registry) -> LoadedCrosswalk:
    """Load one crosswalk and check it against the rulesets it names."""
    file = str(path)
    data, linemap = load_document(path)
    spec: CrosswalkFile = _model(CrosswalkFile, data, file, linemap)
    p = Path(path)
    if p.stem != spec.version or p.parent.name != spec.id:
        raise RulesetError(
            f"the file says {spec.id}@{spec.version} but lies at {p.parent.name}/{p.name}",
            file=file, line=_locate(linemap, ("id",))[0], path="id",
            hint=f"keep it at crosswalks/{spec.id}/{spec.version}.yaml",
        )
    versions: dict[str, str] = {}
    criteria: dict[str, set[str]] = {}
    for i, ref in enumerate(spec.rulesets):
        rid, ver = parse_ref(ref)
        try:
            rs = registry.ruleset(ref)
        except QAError as exc:
            raise RulesetError(
                f"rulesets[{i}] {ref} does not resolve: {exc.message}",
                file=file, line=_locate(linemap, ("rulesets", i))[0], path=f"rulesets[{i}]",
                hint="name a ruleset version that exists (qa-engine rulesets list)",
            ) from None
        versions[rid] = ver or rs.version
        criteria[rid] = {c.id for c in rs.criteria}
    seen: set[tuple[str, str]] = set()
    for i, m in enumerate(spec.mappings):
        _check_mapping(m, i, versions, criteria, file, linemap)
        key = tuple(sorted((m.source, m.target)))
        if key in seen:
            raise RulesetError(
                f"mappings[{i}] maps {m.source} and {m.target} a second time",
                file=file, line=_locate(linemap, ("mappings", i))[0], path=f"mappings[{i}]",
                hint="keep one mapping per pair of criteria",
            )
        seen.add((key[0], key[1]))
    return LoadedCrosswalk(spec, file, sha256_of(spec.model_dump(mode="json")), versions)


def _check_mapping(
    m: CrosswalkMapping, i: int, versions: dict[str, str], criteria: dict[str, set[str]], file: str, linemap: object
) -> None:
    for side in ("source", "target"):
        rid, cid = split_side(getattr(m, side))
        where = f"mappings[{i}].{side}"
        line = _locate(linemap, ("mappings", i, side))[0]
        if rid not in versions:
            raise RulesetError(
                f"{where} names ruleset {rid}, which the crosswalk does not list",
                file=file, line=line, path=where, hint="add it with its version to `rulesets`",
            )
        if cid not in criteria[rid]:
            raise RulesetError(
                f"{where} names {cid}, which {rid}@{versions[rid]} does not have",
                file=file, line=line, path=where,
                hint=f"use a criterion id of {rid}@{versions[rid]} (qa-engine rulesets show {rid}@{versions[rid]})",
            )
    if split_side(m.source)[0] == split_side(m.target)[0]:
        raise RulesetError(
            f"mappings[{i}] maps two criteria of the same ruleset",
            file=file, line=_locate(linemap, ("mappings", i))[0], path=f"mappings[{i}]",
            hint="a crosswalk maps criteria between different rulesets",
        )


class Crosswalks:
    """The crosswalks of the bundled folder and any extra folders, loaded on demand."""

    def __init__(self, registry: Registry, dirs: Iterable[str | Path] = (), *, include_bundled: bool = True) -> None:
        self.registry = registry
        roots = [Path(d) for d in dirs] + ([bundled_crosswalks_dir()] if include_bundled else [])
        self.index = crosswalk_files(roots)

    def refs(self) -> list[str]:
        return [f"{cid}@{v}" for cid in sorted(self.index) for v in sorted(self.index[cid], key=version_key)]

    def get(self, ref: str) -> LoadedCrosswalk:
        cid, _, ver = ref.partition("@")
        versions = self.index.get(cid)
        if not versions:
            raise ResolutionError(
                f"no crosswalk '{cid}'",
                hint="list them with `qa-engine crosswalk show`" + (f"; known: {', '.join(sorted(self.index))}" if self.index else ""),
            )
        if ver and ver not in versions:
            raise ResolutionError(f"crosswalk {cid} has no version {ver}", hint=f"versions: {', '.join(sorted(versions, key=version_key))}")
        ver = ver or max(versions, key=version_key)
        return load_crosswalk_file(versions[ver], self.registry)

    def all(self) -> list[LoadedCrosswalk]:
        return [self.get(r) for r in self.refs()]

    def covering(self, refs: list[str]) -> list[LoadedCrosswalk]:
        """Every crosswalk that maps at least two of the ruleset versions ``refs``."""
        return [cw for cw in self.all() if len(cw.covers(refs)) >= 2]
