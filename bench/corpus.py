"""Deterministic benchmark corpus: N dossiers of realistic size and variety, and
synthetic rulesets of R criteria.

Dossiers have 3-15 outcomes, 1-10 modules, 1-8 assessments and 0-4 cohorts; the
same seed always gives the same bytes, so figures from different runs compare.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

VERBS = ["analyse", "build", "design", "evaluate", "explain", "apply", "create", "compare", "understand"]
MODES = ["online", "blended", "on_site"]
SUPERVISION = ["unsupervised_no_id", "supervised_no_id", "supervised_with_id"]
TYPES = ["exam", "quiz", "project", "portfolio", "presentation", "practical", "essay"]


def dossier(i: int, rnd: random.Random) -> dict[str, Any]:
    n_out = rnd.randint(3, 15)
    n_mod = rnd.randint(1, 10)
    n_as = rnd.randint(1, 8)
    outs = [f"LO{k}" for k in range(n_out)]
    ass = [f"A{k}" for k in range(n_as)]
    weights = [rnd.randint(1, 10) for _ in ass]
    total = sum(weights)
    full = rnd.random() < 0.7
    ects = rnd.choice([1, 2, 3, 4, 5, 6, 10])
    d: dict[str, Any] = {
        "schema_version": "1.0",
        "id": f"bench-{i:07d}",
        "title": f"Programme {i}",
        "description": "A short online programme generated for benchmarking. " * rnd.randint(1, 4),
        "languages": ["en"],
        "submitted": f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
        "provider": {"name": f"Provider {i % 500}", "country": rnd.choice(["NL", "DE", "FR", "ES", "IT"])},
        "credential": {
            "title": f"Micro-credential {i}",
            "awarding_bodies": [{"name": f"Provider {i % 500}", "country": "NL"}],
            "issuer_countries": ["NL"],
            "learner_identification": "Full name and date of birth",
            "issue_date_shown": True,
            "outcomes_shown": full,
            "workload": {"ects": ects, "hours": ects * rnd.choice([20, 25, 28, 30, 35])} if full else {"hours": 100},
            "level": {"eqf": rnd.randint(4, 7)},
            "assessment_type": "Mixed assessment",
            "participation": {"mode": rnd.choice(MODES), "synchronicity": "mixed"},
            "quality_assurance_type": "Internal QA" if full else None,
            "supervision": rnd.choice(SUPERVISION),
        },
        "outcomes": [
            {
                "id": o,
                "statement": f"{rnd.choice(VERBS).capitalize()} topic {k} of the programme",
                "bloom_level": rnd.randint(1, 6),
                "esco_skill": "http://data.europa.eu/esco/skill/x" if rnd.random() < 0.5 else None,
                "assessed_by": rnd.sample(ass, k=rnd.randint(0, min(2, n_as))),
            }
            for k, o in enumerate(outs)
        ],
        "modules": [
            {
                "id": f"M{k}",
                "title": f"Module {k}",
                "hours": rnd.randint(5, 40),
                "outcomes": rnd.sample(outs, k=rnd.randint(1, min(4, n_out))),
                "activities": [{"type": "lecture", "interactive": rnd.random() < 0.6, "hours": 4}],
                "materials": [{"title": f"Reader {k}", "type": "text", "accessibility": {"alt_text": True}}],
            }
            for k in range(n_mod)
        ],
        "assessments": [
            {
                "id": a,
                "type": rnd.choice(TYPES),
                "weight": round(w / total, 4) if k < n_as - 1 else None,
                "outcomes": rnd.sample(outs, k=rnd.randint(1, min(5, n_out))),
                "pass_mark": 0.55,
                "rubric_published": rnd.random() < 0.8,
                "supervision": rnd.choice(SUPERVISION),
                "identity_verified": rnd.random() < 0.5,
            }
            for k, (a, w) in enumerate(zip(ass, weights, strict=True))
        ],
        "staff": [
            {"role": "tutor", "qualification_eqf": rnd.randint(5, 8), "years_experience": rnd.randint(0, 20),
             "online_teaching_training": rnd.random() < 0.7}
            for _ in range(rnd.randint(1, 4))
        ],
        "support": {"services": ["forum", "tutor"], "response_time_hours": rnd.choice([4, 24, 48, 72]),
                    "accessibility": {"wcag_level": rnd.choice(["A", "AA", "AAA"]), "wcag_version": "2.1"}},
        "quality_assurance": {
            "internal_review_cycle_months": rnd.choice([6, 12, 24, 36]),
            "last_internal_review": f"{rnd.randint(2021, 2025)}-06-01",
            "external_body": "NVAO" if rnd.random() < 0.6 else None,
            "external_last_review": f"{rnd.randint(2016, 2025)}-03-01",
            "feedback_changes": [{"feedback": "More examples", "change": "Added worked examples"}] * rnd.randint(0, 3),
        },
        "cohorts": [],
        "relevance": {"employer_involvement": rnd.random() < 0.5, "employer_partners": ["Acme"] if rnd.random() < 0.5 else []},
        "transparency": {"public_url": "https://example.org/p", "published_items": ["fees", "outcomes", "workload"]},
    }
    # last assessment takes the remaining weight (often adds up, sometimes not)
    used = sum(a["weight"] for a in d["assessments"] if a["weight"] is not None)
    if rnd.random() < 0.8:
        d["assessments"][-1]["weight"] = round(max(0.0, 1 - used), 4)
    for k in range(rnd.randint(0, 4)):
        enrolled = rnd.randint(10, 400)
        completed = rnd.randint(0, enrolled)
        d["cohorts"].append({
            "id": f"C{k}", "start": f"{2021 + k}-09-01", "enrolled": enrolled, "completed": completed,
            "passed": rnd.randint(0, completed), "satisfaction": round(rnd.uniform(0.5, 1), 2),
            "survey_response_rate": round(rnd.uniform(0.05, 0.9), 2),
        })
    return _drop_none(d)


def _drop_none(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _drop_none(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_drop_none(x) for x in v]
    return v


def dossiers(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    return [dossier(i, rnd) for i in range(n)]


def write_corpus(folder: Path, n: int, seed: int = 7) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    rnd = random.Random(seed)
    for i in range(n):
        p = folder / f"bench-{i:07d}.json"
        p.write_text(json.dumps(dossier(i, rnd)))
        paths.append(p)
    return paths


# Criterion templates over the dossier schema: (condition, levels) pairs, cycled to R criteria.
TEMPLATES = [
    "count(outcomes) >= {k}",
    "all(o in outcomes: o.bloom_level >= {b})",
    "share(o in outcomes: not empty(o.assessed_by) or any(a in assessments: o.id in a.outcomes)) >= 0.{s}",
    "sum(a in assessments: a.weight) >= 0.99 and sum(a in assessments: a.weight) <= 1.01",
    "credential.workload.hours >= 25 * credential.workload.ects and credential.workload.hours <= 30 * credential.workload.ects",
    "min(c in cohorts: c.completed / c.enrolled) >= 0.{s}",
    "credential.level.eqf >= {e} and max(o in outcomes: o.bloom_level) >= {b}",
    'credential.participation.mode in ["online", "blended"] and all(s in staff: s.online_teaching_training == true)',
    "days_since(quality_assurance.last_internal_review) <= {d}",
    'exists(quality_assurance.external_body) and years_since(quality_assurance.external_last_review) <= {y}',
    'support.accessibility.wcag_level in ["AA", "AAA"] and support.response_time_hours <= {h}',
    "all(m in modules: any(x in m.activities: x.interactive == true))",
    'count(a in assessments: a.supervision == "supervised_with_id" and a.identity_verified == true) >= 1',
    "not empty(quality_assurance.feedback_changes) and count(quality_assurance.feedback_changes) >= {f}",
    "min(c in cohorts: c.satisfaction) >= 0.{s} and min(c in cohorts: c.survey_response_rate) >= 0.3",
    "relevance.employer_involvement == true or not empty(relevance.employer_partners)",
    'all(a in assessments: a.rubric_published == true) and "fees" in transparency.published_items',
    "sum(m in modules: m.hours) >= credential.workload.hours * 0.{s}",
    'none(o in outcomes: startswith(lower(o.statement), "understand"))',
    "count(s in staff: s.qualification_eqf >= credential.level.eqf) >= 1",
]


def write_ruleset(root: Path, r: int, rid: str = "bench") -> str:
    """Write ``rulesets/<rid>/1.0.0`` with ``r`` criteria and its rubric; return ``rid@1.0.0``."""
    rs_dir = root / "rulesets" / rid / "1.0.0"
    rs_dir.mkdir(parents=True, exist_ok=True)
    areas = ["curriculum", "assessment", "outcomes", "quality", "support"]
    criteria = []
    for k in range(r):
        t = TEMPLATES[k % len(TEMPLATES)]
        v = k // len(TEMPLATES)
        fmt = {"k": 3 + v, "b": 1 + v % 4, "s": 5 + v % 4, "e": 4 + v % 3, "d": 365 + 100 * v,
               "y": 3 + v, "h": 24 + 12 * v, "f": 1 + v % 2}
        met = t.format(**fmt)
        levels = [{"level": "met", "when": met}]
        if k % 3 == 0:
            levels.insert(0, {"level": "exemplary", "when": f"({met}) and count(outcomes) >= 8"})
        if k % 4 == 1:
            levels.append({"level": "partially_met", "when": "count(outcomes) >= 3"})
        c: dict[str, Any] = {
            "id": f"B-{k:03d}", "title": f"Benchmark criterion {k}", "area": areas[k % len(areas)],
            "weight": 1 + k % 3, "essential": k % 7 == 0, "levels": levels,
            "rationale": "Benchmark.", "remediation": "Benchmark.",
        }
        if k % 5 == 2:
            c["applies_when"] = "exists(credential.level.eqf)"
        criteria.append(c)
    doc = {
        "id": rid, "version": "1.0.0", "title": f"Benchmark ruleset ({r} criteria)",
        "effective_from": "2020-01-01", "rubric": f"{rid}@1.0.0",
        "standards": [{"id": a, "title": a.title()} for a in areas], "criteria": criteria,
    }
    (rs_dir / "ruleset.yaml").write_text(json.dumps(doc, indent=1))
    rb_dir = root / "rubrics" / rid
    rb_dir.mkdir(parents=True, exist_ok=True)
    (rb_dir / "1.0.0.yaml").write_text(json.dumps({
        "id": rid, "version": "1.0.0", "title": "Benchmark rubric",
        "bands": [
            {"id": "accredited", "label": "Accredited", "min_score": 85, "max_essential_failures": 0, "passes": True},
            {"id": "conditions", "label": "With conditions", "min_score": 60, "max_essential_failures": 2, "passes": True},
            {"id": "not_accredited", "label": "Not accredited", "min_score": 0, "passes": False},
        ],
    }, indent=1))
    return f"{rid}@1.0.0"
