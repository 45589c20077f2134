"""Reports and dossiers for store tests (built once per process), and the worker
functions the multiprocessing tests run in child processes (spawn)."""

from __future__ import annotations

import datetime as _dt
import os
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"
AS_OF = _dt.date(2026, 1, 1)


@lru_cache(maxsize=1)
def setup() -> Any:
    from qa_engine.services.check import resolve

    return resolve(ruleset="qa-starter", as_of=AS_OF, engine="python")


@cache
def example(name: str, variant: int = 0) -> tuple[Any, str]:
    """(report, dossier JSON) of an example dossier; ``variant`` > 0 renames it (new content)."""
    from qa_engine.formats.loader import load_dossier
    from qa_engine.services.check import check_dossier

    path = EXAMPLES / f"{name}.yaml"
    d = load_dossier(path)
    if variant:
        d = d.model_copy(update={"id": f"{d.id}-v{variant}"})
    report = check_dossier(setup(), d, file=str(path))
    return report, d.model_dump_json(exclude_none=True)


def variants(n: int) -> list[tuple[str, str]]:
    """``n`` distinct (report JSON, dossier JSON) pairs."""
    names = ["mooc-intro-ai", "bootcamp-web-dev", "uni-data-analytics"]
    out = []
    for i in range(n):
        r, dj = example(names[i % 3], 1 + i // 3)
        out.append((r.model_dump_json(), dj))
    return out


def stored(url: str, *names: str) -> tuple[Any, list[int]]:
    """Open the store at ``url`` and record the named examples; (store, evaluation ids)."""
    from qa_engine.store import open_store

    store = open_store(url)
    s = setup()
    store.ensure_content(s.ruleset, s.rubric)
    ids = []
    for name in names or ("mooc-intro-ai",):
        r, dj = example(name)
        ids.append(store.record_evaluation(r, dj)[0])
    return store, ids


# --------------------------------------------------------------------------- child processes


def record_worker(url: str, items: list[tuple[str, str]], rejections: list[str], barrier: Any, out: Any) -> None:
    """Open the store (racing schema creation), store content, evaluations and rejections."""
    from qa_engine.formats.report import Report
    from qa_engine.store import open_store

    s = setup()
    barrier.wait(60)
    store = open_store(url)
    store.ensure_content(s.ruleset, s.rubric)
    results: list[tuple[str, int, bool]] = []
    for rj, dj in items:
        r = Report.model_validate_json(rj)
        eid, created = store.record_evaluation(r, dj, batch_id=f"pid-{os.getpid()}")
        results.append((r.dossier.sha256, eid, created))
    for sha in rejections:
        rid, created = store.record_rejection(f"bad-{sha[:6]}.yaml", sha, "cannot be parsed")
        results.append((sha, rid, created))
    store.close()
    out.put(results)


def crash_worker(url: str) -> None:
    """Record one evaluation (committed), then die mid-way through a second write."""
    from sqlalchemy import select

    from qa_engine.store import codec
    from qa_engine.store.models import SUBMISSION

    store, _ids = stored(url, "mooc-intro-ai")
    r, dj = example("bootcamp-web-dev")

    def half_written(conn: Any) -> None:
        conn.execute(SUBMISSION.insert().values(
            dossier_id="half", dossier_sha256="f" * 64, dossier_json=codec.pack_document("{}"), source_file=None,
            created_at=_dt.datetime.now(_dt.UTC),
        ))
        conn.execute(select(SUBMISSION.c.id)).all()
        os._exit(3)  # no rollback, no close: like a kill -9

    store._db.write(half_written)
