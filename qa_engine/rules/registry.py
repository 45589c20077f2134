"""Finding, loading, validating and resolving rulesets and rubrics.

Rulesets live under ``<root>/<id>/<version>/ruleset.yaml`` (plus ``criteria/*.yaml``)
or ``<root>/<id>/<version>.yaml``; rubrics under ``<root>/<id>/<version>.yaml``.
The roots are the bundled content plus any folder a user adds (``--rulesets-dir`` or
``QA_ENGINE_RULESETS``). Every problem is reported as a :class:`RulesetError` naming the
file, the criterion and the place, before anything is evaluated.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import difflib
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from qa_engine.errors import ConditionError, QAError, ResolutionError, RulesetError
from qa_engine.formats.dossier import Dossier
from qa_engine.formats.loader import format_loc, load_document
from qa_engine.formats.rubric import Rubric
from qa_engine.formats.ruleset import Criterion, RulesetFile, Standard, parse_ref, version_key
from qa_engine.hashing import sha256_of
from qa_engine.lang.ast import Expr
from qa_engine.lang.checker import TypeEnv, check_condition
from qa_engine.lang.parser import parse
from qa_engine.lang.printer import to_source
from qa_engine.states import LEVEL_STATES

PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: File name endings of review policies beside their rubric (``<version>.policy.yaml``).
POLICY_SUFFIXES = (".policy.yaml", ".policy.yml")


def _content_root(name: str) -> Path:
    """The bundled content folder: the checkout's top level, or the installed copy."""
    checkout = PACKAGE_DIR.parent / name
    if checkout.is_dir():
        return checkout
    return PACKAGE_DIR / "_content" / name


def bundled_rulesets_dir() -> Path:
    return _content_root("rulesets")


def bundled_rubrics_dir() -> Path:
    return _content_root("rubrics")


def bundled_reports_dir() -> Path:
    return _content_root("reports")


_TYPE_ENV: TypeEnv | None = None


def dossier_type_env() -> TypeEnv:
    global _TYPE_ENV
    if _TYPE_ENV is None:
        _TYPE_ENV = TypeEnv.from_model(Dossier)
    return _TYPE_ENV


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class CompiledLevel:
    level: str
    text: str
    expr: Expr


@dataclass(frozen=True)
class CompiledCriterion:
    """A criterion with its conditions parsed and checked."""

    spec: Criterion
    file: str
    applies: Expr | None
    levels: tuple[CompiledLevel, ...]
    paths: tuple[str, ...]
    refs: frozenset[str]
    sha256: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def area(self) -> str:
        return self.spec.area

    @property
    def weight(self) -> Fraction:
        return Fraction(str(self.spec.weight))

    @property
    def essential(self) -> bool:
        return self.spec.essential


@dataclass(frozen=True)
class LoadedRuleset:
    id: str
    version: str
    title: str
    description: str
    effective_from: _dt.date
    effective_until: _dt.date | None
    rubric_ref: str
    extends: str | None
    source: str
    standards: tuple[Standard, ...]
    criteria: tuple[CompiledCriterion, ...]
    references: tuple[Any, ...]
    sha256: str
    #: criteria grouped so that every criterion comes after those whose verdicts it reads
    strata: tuple[tuple[CompiledCriterion, ...], ...] = field(repr=False)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @cached_property
    def by_id(self) -> dict[str, CompiledCriterion]:
        return {c.id: c for c in self.criteria}

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Earlier ids (``replaces``) to current ids."""
        return {old: c.id for c in self.criteria for old in c.spec.replaces}

    def area_title(self, area: str) -> str:
        for s in self.standards:
            if s.id == area:
                return s.title
        return area


@dataclass(frozen=True)
class LoadedRubric:
    spec: Rubric
    source: str
    sha256: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def version(self) -> str:
        return self.spec.version

    @property
    def ref(self) -> str:
        return f"{self.spec.id}@{self.spec.version}"


# --------------------------------------------------------------------------- helpers


def _locate(linemap: Any, loc: Sequence[Any]) -> tuple[int | None, int | None]:
    """Line/column of the nearest located ancestor of ``loc``."""
    if not linemap:
        return None, None
    loc = tuple(loc)
    while True:
        pos = linemap.get(loc) if hasattr(linemap, "get") else None
        if pos:
            return pos[0], pos[1]
        if not loc:
            return None, None
        loc = loc[:-1]


def _validation_error(
    exc: ValidationError, file: str, linemap: Any, prefix: tuple[Any, ...] = ()
) -> RulesetError:
    errs = exc.errors()
    first = errs[0]
    loc = prefix + tuple(first.get("loc", ()))
    line, col = _locate(linemap, loc)
    if first.get("type") == "extra_forbidden":
        msg = f"unknown field '{loc[-1]}'"
        hint = "remove it or check its spelling against `qa-engine schema ruleset`"
    elif first.get("type") == "missing":
        msg = f"required field '{loc[-1]}' is missing"
        hint = "add it"
    else:
        msg = first.get("msg", "invalid value").removeprefix("Value error, ")
        hint = "correct the value"
    if len(errs) > 1:
        msg += f" (and {len(errs) - 1} more problems)"
    return RulesetError(
        msg, file=file, line=line, column=col, path=format_loc(loc) or None, hint=hint
    )


def _model(
    cls: type[BaseModel], data: Any, file: str, linemap: Any, prefix: tuple[Any, ...] = ()
) -> Any:
    if not isinstance(data, dict):
        line, col = _locate(linemap, prefix)
        raise RulesetError(
            f"expected a mapping of fields, got {type(data).__name__}",
            file=file,
            line=line,
            column=col,
            path=format_loc(prefix) or None,
            hint="see `qa-engine schema ruleset` for the format",
        )
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, file, linemap, prefix) from None


def _check_expr(
    text: str,
    *,
    file: str,
    crit: str,
    where: str,
    linemap: Any,
    loc: tuple[Any, ...],
    criteria_ids: Iterable[str],
) -> tuple[Expr, Any]:
    try:
        expr = parse(text)
        result = check_condition(expr, dossier_type_env(), criteria=set(criteria_ids))
    except ConditionError as exc:
        line, _ = _locate(linemap, loc)
        detail = exc.message
        if exc.line is not None:
            detail += f" (line {exc.line}, column {exc.column} of the condition)"
        raise RulesetError(
            f"criterion {crit}, {where}: {detail}",
            file=file,
            line=line,
            path=format_loc(loc),
            hint=exc.hint or "fix the condition (see docs/condition-language.md)",
        ) from None
    return expr, result


def _criterion_hash(spec: Criterion, applies: Expr | None, levels: Sequence[CompiledLevel]) -> str:
    """Hash of what decides the verdict: conditions (normalised), levels, weight, gate, area."""
    return sha256_of(
        {
            "id": spec.id,
            "area": spec.area,
            "weight": str(Fraction(str(spec.weight))),
            "essential": spec.essential,
            "applies_when": to_source(applies) if applies is not None else None,
            "levels": [[lv.level, to_source(lv.expr)] for lv in levels],
        }
    )


# --------------------------------------------------------------------------- registry


@dataclass
class _Entry:
    id: str
    version: str
    path: Path  # ruleset.yaml or <version>.yaml
    folder: Path | None  # version folder (with criteria/) or None


class Registry:
    """Resolves ``id``, ``id@version`` and ``--as-of`` to loaded, validated content."""

    def __init__(
        self,
        ruleset_dirs: Sequence[str | Path] | None = None,
        rubric_dirs: Sequence[str | Path] | None = None,
        *,
        include_bundled: bool = True,
    ) -> None:
        env_rs = [p for p in os.environ.get("QA_ENGINE_RULESETS", "").split(os.pathsep) if p]
        env_rb = [p for p in os.environ.get("QA_ENGINE_RUBRICS", "").split(os.pathsep) if p]
        rs_dirs = [Path(p) for p in (ruleset_dirs or [])] + [Path(p) for p in env_rs]
        rb_dirs = [Path(p) for p in (rubric_dirs or [])] + [Path(p) for p in env_rb]
        if include_bundled:
            rs_dirs.append(bundled_rulesets_dir())
            rb_dirs.append(bundled_rubrics_dir())
        # a user's ruleset folder may hold rubrics too (rubrics/ beside rulesets/)
        for d in list(rs_dirs):
            sib = d.parent / "rubrics"
            if sib.is_dir() and sib not in rb_dirs:
                rb_dirs.append(sib)
        for d in rs_dirs + rb_dirs:
            if not d.is_dir() and d not in (bundled_rulesets_dir(), bundled_rubrics_dir()):
                raise ResolutionError(
                    f"folder {d} does not exist", hint="pass an existing rulesets/rubrics folder"
                )
        self.ruleset_dirs = rs_dirs
        self.rubric_dirs = rb_dirs
        self._rs_cache: dict[tuple[str, str], LoadedRuleset] = {}
        self._rb_cache: dict[tuple[str, str], LoadedRubric] = {}
        self._rs_index: dict[str, dict[str, _Entry]] | None = None
        self._rb_index: dict[str, dict[str, _Entry]] | None = None

    # ---- discovery
    def _index(self, dirs: Sequence[Path], kind: str) -> dict[str, dict[str, _Entry]]:
        index: dict[str, dict[str, _Entry]] = {}
        for root in dirs:
            if not root.is_dir():
                continue
            for id_dir in sorted(p for p in root.iterdir() if p.is_dir()):
                for item in sorted(id_dir.iterdir()):
                    if kind == "ruleset" and item.is_dir() and (item / "ruleset.yaml").is_file():
                        entry = _Entry(id_dir.name, item.name, item / "ruleset.yaml", item)
                    elif item.name.endswith(POLICY_SUFFIXES):
                        continue  # a rubric's review policy (rules.policies), not a version
                    elif item.is_file() and item.suffix in (".yaml", ".yml"):
                        entry = _Entry(id_dir.name, item.stem, item, None)
                    else:
                        continue
                    # earlier roots win (a user's folder shadows the bundled one)
                    index.setdefault(entry.id, {}).setdefault(entry.version, entry)
        return index

    @property
    def ruleset_index(self) -> dict[str, dict[str, _Entry]]:
        if self._rs_index is None:
            self._rs_index = self._index(self.ruleset_dirs, "ruleset")
        return self._rs_index

    @property
    def rubric_index(self) -> dict[str, dict[str, _Entry]]:
        if self._rb_index is None:
            self._rb_index = self._index(self.rubric_dirs, "rubric")
        return self._rb_index

    def ruleset_ids(self) -> list[str]:
        return sorted(self.ruleset_index)

    def ruleset_versions(self, rid: str) -> list[str]:
        return sorted(self.ruleset_index.get(rid, {}), key=_safe_version_key)

    # ---- resolution
    def _pick(
        self, kind: str, ref: str, index: dict[str, dict[str, _Entry]], as_of: _dt.date | None
    ) -> _Entry:
        try:
            rid, version = parse_ref(ref)
        except ValueError:
            raise ResolutionError(
                f"'{ref}' is not a valid {kind} reference",
                hint="write <id> or <id>@<version>, e.g. eu-microcredential@1.0.0",
            ) from None
        versions = index.get(rid)
        if not versions:
            known = ", ".join(sorted(index)) or "none"
            close = difflib.get_close_matches(rid, list(index), n=1)
            hint = f"did you mean {close[0]}?" if close else f"known {kind}s: {known}"
            raise ResolutionError(f"unknown {kind} '{rid}'", hint=hint)
        if version is not None:
            if version not in versions:
                raise ResolutionError(
                    f"{kind} {rid} has no version {version}",
                    hint="available: " + ", ".join(sorted(versions, key=_safe_version_key)),
                )
            return versions[version]
        ordered = sorted(versions, key=_safe_version_key, reverse=True)
        if as_of is None or kind == "rubric":
            return versions[ordered[0]]
        for v in ordered:
            rs = self._load_ruleset_entry(versions[v], set())
            if rs.effective_from <= as_of and (
                rs.effective_until is None or as_of < rs.effective_until
            ):
                return versions[v]
        raise ResolutionError(
            f"no version of ruleset {rid} is in effect on {as_of.isoformat()}",
            hint="pick a version with @<version> or another --as-of date",
        )

    def ruleset(self, ref: str, *, as_of: _dt.date | None = None) -> LoadedRuleset:
        entry = self._pick("ruleset", ref, self.ruleset_index, as_of)
        return self._load_ruleset_entry(entry, set())

    def rubric(self, ref: str) -> LoadedRubric:
        entry = self._pick("rubric", ref, self.rubric_index, None)
        key = (entry.id, entry.version)
        if key not in self._rb_cache:
            self._rb_cache[key] = load_rubric_file(entry.path, expect=(entry.id, entry.version))
        return self._rb_cache[key]

    def rubric_for(self, ruleset: LoadedRuleset, ref: str | None = None) -> LoadedRubric:
        if ref:
            rubric = self.rubric(ref)
        else:
            try:
                rubric = self.rubric(ruleset.rubric_ref)
            except ResolutionError as exc:  # the ruleset file names it: say which file
                raise RulesetError(
                    f"names the rubric {ruleset.rubric_ref}, which cannot be found ({exc.message})",
                    file=ruleset.source,
                    path="rubric",
                    hint=f"name an existing <id>@<version>; {exc.hint}" if exc.hint else None,
                ) from None
        check_rubric_fits(rubric, ruleset)
        return rubric

    def all_rulesets(self, errors: list[QAError] | None = None) -> list[LoadedRuleset]:
        """Every ruleset version; with ``errors``, broken ones are collected there and skipped."""
        out = []
        for rid in self.ruleset_ids():
            for v in self.ruleset_versions(rid):
                try:
                    out.append(self.ruleset(f"{rid}@{v}"))
                except QAError as exc:
                    if errors is None:
                        raise
                    errors.append(exc)
        return out

    # ---- loading
    def _load_ruleset_entry(self, entry: _Entry, seen: set[str]) -> LoadedRuleset:
        key = (entry.id, entry.version)
        if key in self._rs_cache:
            return self._rs_cache[key]
        ref = f"{entry.id}@{entry.version}"
        if ref in seen:
            raise RulesetError(
                f"ruleset {ref} extends itself through {' -> '.join(sorted(seen))}",
                file=str(entry.path),
                hint="remove the cycle in `extends`",
            )
        raw, criteria_files = _read_ruleset_files(entry)
        spec: RulesetFile = raw[0]
        file = str(entry.path)
        if (spec.id, spec.version) != (entry.id, entry.version):
            raise RulesetError(
                f"the file declares {spec.id}@{spec.version} but lies in the folder for {ref}",
                file=file,
                hint="make the id and version match the folder names",
            )
        base: LoadedRuleset | None = None
        if spec.extends:
            try:
                base_entry = self._pick("ruleset", spec.extends, self.ruleset_index, None)
            except ResolutionError as exc:
                raise RulesetError(
                    f"extends {spec.extends}, which cannot be found ({exc.message})",
                    file=file,
                    path="extends",
                    hint="name an existing <id>@<version>",
                ) from None
            base = self._load_ruleset_entry(base_entry, seen | {ref})
        loaded = _build_ruleset(spec, raw[1], criteria_files, base, file)
        self._rs_cache[key] = loaded
        return loaded


def _safe_version_key(v: str) -> tuple[int, int, int]:
    try:
        return version_key(v)
    except ValueError:
        return (-1, -1, -1)


def _read_ruleset_files(
    entry: _Entry,
) -> tuple[tuple[RulesetFile, Any], list[tuple[Criterion, str, Any, tuple[Any, ...]]]]:
    file = str(entry.path)
    data, linemap = load_document(entry.path)
    spec = _model(RulesetFile, data, file, linemap)
    crits: list[tuple[Criterion, str, Any, tuple[Any, ...]]] = [
        (c, file, linemap, ("criteria", i)) for i, c in enumerate(spec.criteria)
    ]
    if entry.folder is not None and (entry.folder / "criteria").is_dir():
        for cfile in sorted((entry.folder / "criteria").glob("*.y*ml")):
            cdata, clm = load_document(cfile)
            crits.append((_model(Criterion, cdata, str(cfile), clm), str(cfile), clm, ()))
    return (spec, linemap), crits


def _build_ruleset(
    spec: RulesetFile,
    linemap: Any,
    own: list[tuple[Criterion, str, Any, tuple[Any, ...]]],
    base: LoadedRuleset | None,
    file: str,
) -> LoadedRuleset:
    # 1. inherited criteria, tailored
    inherited: list[tuple[Criterion, str, Any, tuple[Any, ...]]] = []
    standards: dict[str, Standard] = {}
    if base is not None:
        for s in base.standards:
            standards[s.id] = s
        base_ids = {bc.id for bc in base.criteria}
        t = spec.tailoring
        for kind, ids in (
            ("drop", t.drop),
            ("reweight", list(t.reweight)),
            ("essential", list(t.essential)),
            ("relevel", list(t.relevel)),
            ("applies", list(t.applies)),
            ("examples", list(t.examples)),
            ("texts", list(t.texts)),
        ):
            for cid in ids:
                if cid not in base_ids:
                    raise RulesetError(
                        f"tailoring.{kind} names criterion {cid}, which {base.ref} does not have",
                        file=file,
                        line=_locate(linemap, ("tailoring", kind))[0],
                        path=f"tailoring.{kind}",
                        hint="use an id of the base ruleset",
                    )
        for bc in base.criteria:
            if bc.id in t.drop:
                continue
            upd: dict[str, Any] = {}
            if bc.id in t.reweight:
                upd["weight"] = t.reweight[bc.id]
            if bc.id in t.essential:
                upd["essential"] = t.essential[bc.id]
            if bc.id in t.relevel:
                upd["levels"] = t.relevel[bc.id]
            if bc.id in t.applies:
                upd["applies_when"] = t.applies[bc.id]
            if bc.id in t.examples:
                upd["examples"] = t.examples[bc.id]
            if bc.id in t.texts:
                upd.update(t.texts[bc.id].model_dump(exclude_none=True))
            spec_c = bc.spec.model_copy(update=upd) if upd else bc.spec
            # a tailored criterion is reported at the file that tailored it
            inherited.append((spec_c, file if upd else bc.file, None, ()))
    elif spec.tailoring != type(spec.tailoring)():
        raise RulesetError(
            "tailoring is given but the ruleset extends nothing",
            file=file,
            path="tailoring",
            hint="add `extends: <id>@<version>` or remove tailoring",
        )
    for s in spec.standards:
        standards[s.id] = s

    # 2. duplicate ids (including earlier ids named in `replaces`)
    all_crits = inherited + own
    seen: dict[str, str] = {}
    for c, cfile, lm, loc in all_crits:
        for name in [c.id, *c.replaces]:
            if name in seen:
                raise RulesetError(
                    f"criterion id {name} is used twice (also in {seen[name]})",
                    file=cfile,
                    line=_locate(lm, (*loc, "id"))[0],
                    path=f"criterion {c.id}",
                    hint="criterion ids are never reused; pick a new id"
                    + (" or change the inherited one through `tailoring`" if base else ""),
                )
            seen[name] = cfile
    ids = [c.id for c, *_ in all_crits]

    # 3. each criterion: texts, area, levels, conditions
    compiled: list[CompiledCriterion] = []
    for c, cfile, lm, loc in all_crits:

        def err(
            msg: str,
            sub: tuple[Any, ...],
            hint: str,
            c: Criterion = c,
            cfile: str = cfile,
            lm: Any = lm,
            loc: tuple[Any, ...] = loc,
        ) -> RulesetError:
            return RulesetError(
                f"criterion {c.id}: {msg}",
                file=cfile,
                line=_locate(lm, (*loc, *sub))[0],
                path=format_loc((*loc, *sub)) or None,
                hint=hint,
            )

        if c.area not in standards:
            raise err(
                f"area '{c.area}' is not one of the ruleset's standards ({', '.join(standards) or 'none'})",
                ("area",),
                "add the standard or correct the area",
            )
        for text_field in ("title", "rationale", "remediation"):
            if not getattr(c, text_field).strip():
                raise err(
                    f"{text_field} is empty",
                    (text_field,),
                    f"write the {text_field}: reviewers and providers rely on it",
                )
        order = [lv.level for lv in c.levels]
        if len(set(order)) != len(order) or order != sorted(order, key=LEVEL_STATES.index):
            raise err(
                f"levels must be distinct and ordered best first ({', '.join(LEVEL_STATES)}), got {', '.join(order)}",
                ("levels",),
                "reorder the levels",
            )
        paths: set[str] = set()
        refs: set[str] = set()
        applies: Expr | None = None
        if c.applies_when is not None:
            applies, res = _check_expr(
                c.applies_when,
                file=cfile,
                crit=c.id,
                where="applies_when",
                linemap=lm,
                loc=(*loc, "applies_when"),
                criteria_ids=ids,
            )
            paths |= set(res.paths)
            refs |= set(res.criteria_refs)
        levels: list[CompiledLevel] = []
        for i, lv in enumerate(c.levels):
            expr, res = _check_expr(
                lv.when,
                file=cfile,
                crit=c.id,
                where=f"level {lv.level}",
                linemap=lm,
                loc=(*loc, "levels", i, "when"),
                criteria_ids=ids,
            )
            paths |= set(res.paths)
            refs |= set(res.criteria_refs)
            levels.append(CompiledLevel(lv.level, lv.when, expr))
        if c.id in refs:
            raise err(
                "its condition refers to its own verdict", ("levels",), "remove the self-reference"
            )
        for p in c.evidence:
            try:
                _check_expr(
                    f"exists({p})",
                    file=cfile,
                    crit=c.id,
                    where=f"evidence path {p}",
                    linemap=lm,
                    loc=(*loc, "evidence"),
                    criteria_ids=ids,
                )
            except RulesetError:
                raise err(
                    f"evidence path '{p}' is not a dossier path",
                    ("evidence",),
                    "use a path from `qa-engine schema dossier`",
                ) from None
        compiled.append(
            CompiledCriterion(
                spec=c,
                file=cfile,
                applies=applies,
                levels=tuple(levels),
                paths=tuple(sorted(paths)),
                refs=frozenset(refs),
                sha256=_criterion_hash(c, applies, levels),
            )
        )
    if not compiled:
        raise RulesetError(
            "the ruleset has no criteria", file=file, hint="add criteria or extend a ruleset"
        )

    strata = _stratify(compiled, file)
    canonical = {
        "id": spec.id,
        "version": spec.version,
        "title": spec.title,
        "description": spec.description,
        "effective_from": spec.effective_from,
        "effective_until": spec.effective_until,
        "extends": spec.extends,
        "rubric": spec.rubric,
        "references": [r.model_dump(mode="json") for r in spec.references],
        "standards": [s.model_dump(mode="json") for s in standards.values()],
        "criteria": [{**c.spec.model_dump(mode="json"), "sha256": c.sha256} for c in compiled],
    }
    return LoadedRuleset(
        id=spec.id,
        version=spec.version,
        title=spec.title,
        description=spec.description,
        effective_from=spec.effective_from,
        effective_until=spec.effective_until,
        rubric_ref=spec.rubric,
        extends=spec.extends,
        source=file,
        standards=tuple(standards.values()),
        criteria=tuple(compiled),
        references=tuple(spec.references),
        sha256=sha256_of(canonical),
        strata=strata,
    )


def _stratify(
    criteria: list[CompiledCriterion], file: str
) -> tuple[tuple[CompiledCriterion, ...], ...]:
    """Group criteria so each reads only verdicts of earlier groups; reject cycles."""
    by_id = {c.id: c for c in criteria}
    level: dict[str, int] = {}
    visiting: list[str] = []

    def depth(cid: str) -> int:
        if cid in level:
            return level[cid]
        if cid in visiting:
            cycle = visiting[visiting.index(cid) :] + [cid]
            raise RulesetError(
                f"criteria refer to each other's verdicts in a cycle: {' -> '.join(cycle)}",
                file=by_id[cid].file,
                path=f"criterion {cid}",
                hint="break the cycle",
            )
        visiting.append(cid)
        d = 0
        for r in sorted(by_id[cid].refs):
            d = max(d, depth(r) + 1)
        visiting.pop()
        level[cid] = d
        return d

    for c in criteria:
        depth(c.id)
    n = max(level.values()) + 1
    return tuple(tuple(c for c in criteria if level[c.id] == k) for k in range(n))


# --------------------------------------------------------------------------- rubrics


def load_rubric_file(path: str | Path, *, expect: tuple[str, str] | None = None) -> LoadedRubric:
    file = str(path)
    data, linemap = load_document(path)
    spec: Rubric = _model(Rubric, data, file, linemap)
    if expect and (spec.id, spec.version) != expect:
        raise RulesetError(
            f"the file declares rubric {spec.id}@{spec.version} but lies at the place of {expect[0]}@{expect[1]}",
            file=file,
            hint="make id and version match the folder and file name",
        )
    validate_bands(spec, file, linemap)
    credits: dict[str, float] = dict(spec.credits)
    order = ["exemplary", "met", "partially_met", "not_met"]
    for a, b in zip(order, order[1:], strict=False):
        if credits[a] < credits[b]:
            raise RulesetError(
                f"credit for {a} ({credits[a]}) is below the credit for {b} ({credits[b]})",
                file=file,
                line=_locate(linemap, ("credits",))[0],
                path="credits",
                hint="better levels must earn at least as much credit",
            )
    return LoadedRubric(spec=spec, source=file, sha256=sha256_of(spec.model_dump(mode="json")))


def validate_bands(spec: Rubric, file: str, linemap: Any = None) -> None:
    """Reject duplicate, unreachable and incomplete decision bands."""
    seen: set[str] = set()
    for i, band in enumerate(spec.bands):
        line = _locate(linemap, ("bands", i))[0]
        if band.id in seen:
            raise RulesetError(
                f"band id {band.id} is used twice",
                file=file,
                line=line,
                path=f"bands[{i}]",
                hint="give each band its own id",
            )
        seen.add(band.id)
        for j, prev in enumerate(spec.bands[:i]):
            prev_ess = prev.max_essential_failures
            this_ess = band.max_essential_failures
            looser = prev_ess is None or (this_ess is not None and prev_ess >= this_ess)
            if prev.min_score <= band.min_score and looser:
                raise RulesetError(
                    f"band {band.id} can never be reached: every result it accepts is already taken by band {prev.id} (bands[{j}])",
                    file=file,
                    line=line,
                    path=f"bands[{i}]",
                    hint="order bands from strictest to loosest",
                )
    last = spec.bands[-1]
    if last.min_score > 0 or last.max_essential_failures is not None:
        raise RulesetError(
            f"the last band {last.id} must accept every result (min_score 0, no essential limit), otherwise some results get no decision",
            file=file,
            line=_locate(linemap, ("bands", len(spec.bands) - 1))[0],
            path=f"bands[{len(spec.bands) - 1}]",
            hint="add a catch-all band such as not_accredited",
        )


def check_rubric_fits(rubric: LoadedRubric, ruleset: LoadedRuleset) -> None:
    areas = {s.id for s in ruleset.standards}
    for a in rubric.spec.area_weights:
        if a not in areas:
            raise RulesetError(
                f"rubric {rubric.ref} weighs area '{a}', which ruleset {ruleset.ref} does not have",
                file=rubric.source,
                path=f"area_weights.{a}",
                hint=f"use one of: {', '.join(sorted(areas))}",
            )


def load_ruleset_path(path: str | Path) -> LoadedRuleset:
    """Load one ruleset version from a folder or file outside the registry (authoring)."""
    p = Path(path)
    if p.is_dir():
        folder = p
        ry = p / "ruleset.yaml"
        if not ry.is_file():
            raise RulesetError(
                "the folder has no ruleset.yaml",
                file=str(p),
                hint="point at a ruleset version folder",
            )
        entry = _Entry("", "", ry, folder)
    else:
        entry = _Entry("", "", p, None)
    raw, crits = _read_ruleset_files(entry)
    spec = raw[0]
    base = None
    if spec.extends:
        reg = Registry(ruleset_dirs=[p.parent.parent] if p.is_dir() else [p.parent.parent])
        base = reg.ruleset(spec.extends)
    return _build_ruleset(spec, raw[1], crits, base, str(entry.path))


__all__ = [
    "CompiledCriterion",
    "CompiledLevel",
    "LoadedRubric",
    "LoadedRuleset",
    "Registry",
    "bundled_reports_dir",
    "bundled_rubrics_dir",
    "bundled_rulesets_dir",
    "check_rubric_fits",
    "dossier_type_env",
    "load_rubric_file",
    "load_ruleset_path",
    "validate_bands",
]


# --------------------------------------------------------------------------- one registry a process

_SHARED: tuple[tuple[Any, ...], Registry] | None = None
_SHARED_LOCK = threading.Lock()


def _fingerprint(reg: Registry) -> tuple[Any, ...]:
    """What the registry's content depends on: the environment's folders and every
    file under them (path, size, modification time); well under a millisecond."""
    files: list[tuple[str, int, int]] = []
    for d in (*reg.ruleset_dirs, *reg.rubric_dirs):
        for root, _dirs, names in os.walk(d):
            for name in names:
                p = os.path.join(root, name)
                with contextlib.suppress(OSError):
                    st = os.stat(p)
                    files.append((p, st.st_size, st.st_mtime_ns))
    return (os.environ.get("QA_ENGINE_RULESETS", ""), os.environ.get("QA_ENGINE_RUBRICS", ""),
            tuple(sorted(files)))


def shared_registry() -> Registry:
    """The default :class:`Registry`, kept for the process so that a long-running server
    loads and compiles each ruleset once (not on every upload), and made anew when a
    ruleset or rubric file is added, changed or removed."""
    global _SHARED
    fresh = Registry()
    key = _fingerprint(fresh)
    with _SHARED_LOCK:
        if _SHARED is None or _SHARED[0] != key:
            _SHARED = (key, fresh)
        return _SHARED[1]
