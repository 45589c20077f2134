"""Hypothesis strategies for valid dossiers (referentially consistent, weights <= 1)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

SUPERVISION = ["unsupervised_no_id", "supervised_no_id", "supervised_with_id"]


def opt(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), s)


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2026, 12, 31))
fractions = st.sampled_from([0, 0.05, 0.1, 0.25, 0.3, 0.5, 0.6, 0.75, 0.8, 0.9, 1.0])


@st.composite
def dossiers(draw: st.DrawFn) -> dict[str, Any]:
    n_out = draw(st.integers(0, 6))
    n_as = draw(st.integers(0, 5))
    out_ids = [f"LO{i}" for i in range(n_out)]
    as_ids = [f"A{i}" for i in range(n_as)]
    # weights: a partition of at most 1
    weights: list[float | None] = []
    remaining = 1.0
    for _ in as_ids:
        w = draw(opt(st.sampled_from([0.1, 0.2, 0.25, 0.3, 0.5, 1.0])))
        if w is not None and w > remaining + 1e-9:
            w = None
        if w is not None:
            remaining -= w
        weights.append(w)
    outcomes = [
        _drop_none(
            {
                "id": oid,
                "statement": draw(st.sampled_from(["Analyse data", "Understand AI", "Build an app", "<b>x</b>"])),
                "bloom_level": draw(opt(st.integers(1, 6))),
                "esco_skill": draw(opt(st.just("http://data.europa.eu/esco/skill/x"))),
                "assessed_by": draw(st.lists(st.sampled_from(as_ids), unique=True, max_size=2)) if as_ids else [],
            }
        )
        for oid in out_ids
    ]
    assessments = [
        _drop_none(
            {
                "id": aid,
                "type": draw(opt(st.sampled_from(["exam", "quiz", "project"]))),
                "weight": weights[i],
                "outcomes": draw(st.lists(st.sampled_from(out_ids), unique=True, max_size=3)) if out_ids else [],
                "pass_mark": draw(opt(fractions)),
                "rubric_published": draw(opt(st.booleans())),
                "supervision": draw(opt(st.sampled_from(SUPERVISION))),
                "identity_verified": draw(opt(st.booleans())),
            }
        )
        for i, aid in enumerate(as_ids)
    ]
    modules = [
        _drop_none(
            {
                "id": f"M{i}",
                "hours": draw(opt(st.sampled_from([0, 10, 40.5, 120]))),
                "outcomes": draw(st.lists(st.sampled_from(out_ids), unique=True, max_size=3)) if out_ids else [],
                "activities": draw(
                    st.lists(
                        st.fixed_dictionaries({}, optional={"type": st.sampled_from(["lecture", "lab"]), "interactive": st.booleans()}),
                        max_size=2,
                    )
                ),
            }
        )
        for i in range(draw(st.integers(0, 3)))
    ]
    cohorts = []
    for i in range(draw(st.integers(0, 3))):
        enrolled = draw(opt(st.integers(0, 500)))
        completed = None if enrolled is None else draw(opt(st.integers(0, enrolled)))
        passed = None if completed is None else draw(opt(st.integers(0, completed)))
        cohorts.append(
            _drop_none(
                {
                    "id": f"C{i}", "enrolled": enrolled, "completed": completed, "passed": passed,
                    "satisfaction": draw(opt(fractions)), "survey_response_rate": draw(opt(fractions)),
                    "start": draw(opt(dates)),
                }
            )
        )
    credential = draw(
        opt(
            st.fixed_dictionaries(
                {},
                optional={
                    "title": st.sampled_from(["", "Data Analytics", "AI & <script>"]),
                    "awarding_bodies": st.lists(st.fixed_dictionaries({"name": st.just("Uni")}), max_size=2),
                    "issuer_countries": st.lists(st.sampled_from(["NL", "DE"]), max_size=2),
                    "issue_date_shown": st.booleans(),
                    "workload": st.fixed_dictionaries({}, optional={"ects": st.sampled_from([0, 1, 2.5, 5, 6]), "hours": st.sampled_from([0, 25, 60, 125, 140, 150, 360])}),
                    "level": st.fixed_dictionaries({}, optional={"eqf": st.integers(1, 8), "qf_ehea_cycle": st.sampled_from(["short", "first"])}),
                    "participation": st.fixed_dictionaries({}, optional={"mode": st.sampled_from(["online", "blended", "on_site"])}),
                    "supervision": st.sampled_from(SUPERVISION),
                },
            )
        )
    )
    qa = draw(
        opt(
            st.fixed_dictionaries(
                {},
                optional={
                    "internal_review_cycle_months": st.integers(1, 48),
                    "last_internal_review": dates,
                    "external_body": st.just("NVAO"),
                    "external_last_review": dates,
                    "feedback_changes": st.lists(st.fixed_dictionaries({"feedback": st.just("f"), "change": st.just("c")}), max_size=3),
                },
            )
        )
    )
    staff = draw(
        st.lists(
            st.fixed_dictionaries({}, optional={"role": st.just("tutor"), "online_teaching_training": st.booleans(), "qualification_eqf": st.integers(5, 8)}),
            max_size=3,
        )
    )
    support = draw(
        opt(
            st.fixed_dictionaries(
                {},
                optional={
                    "services": st.lists(st.sampled_from(["forum", "tutor", "helpdesk"]), unique=True, max_size=3),
                    "response_time_hours": st.sampled_from([1, 24, 48, 96]),
                    "accessibility": st.fixed_dictionaries({}, optional={"wcag_level": st.sampled_from(["A", "AA", "AAA"])}),
                },
            )
        )
    )
    doc: dict[str, Any] = {"schema_version": "1.0", "id": "gen", "outcomes": outcomes, "assessments": assessments,
                           "modules": modules, "cohorts": cohorts, "staff": staff}
    doc.update(_drop_none({"credential": credential, "quality_assurance": qa, "support": support,
                           "title": draw(opt(st.just("T"))), "submitted": draw(opt(dates))}))
    return doc
