"""Two processes writing one store at once (SQLite and PostgreSQL): no duplicates,
no corruption, an intact audit chain."""

from __future__ import annotations

import multiprocessing
import queue

from store_helpers import record_worker, setup, variants

from qa_engine.hashing import sha256_of
from qa_engine.store import open_store


def test_two_processes_record_same_and_different_evaluations(store_url: str) -> None:
    items = variants(12)
    rejections = [sha256_of(f"bad input {i}") for i in range(4)]
    # A gets 0..8, B gets 4..12 in reverse: 4..8 are recorded by both, at about the same time
    parts = [
        (items[:9], rejections[:3]),
        (list(reversed(items[4:])), list(reversed(rejections[1:]))),
    ]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(parts))
    out = ctx.Queue()
    procs = [ctx.Process(target=record_worker, args=(store_url, it, rj, barrier, out)) for it, rj in parts]
    for p in procs:
        p.start()
    results = []
    try:
        for _ in procs:
            results.append(out.get(timeout=240))
    except queue.Empty:
        raise AssertionError("a writer process did not finish") from None
    finally:
        for p in procs:
            p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]

    by_key: dict[str, set[int]] = {}
    created: dict[str, int] = {}
    for res in results:
        for key, rid, was_created in res:
            by_key.setdefault(key, set()).add(rid)
            created[key] = created.get(key, 0) + int(was_created)
    assert all(len(ids) == 1 for ids in by_key.values()), "one id per evaluation/rejection"
    assert len(by_key) == 12 + 4 and set(created.values()) == {1}, "each created exactly once"

    n_crit = len(setup().ruleset.criteria)
    with open_store(store_url) as store:
        c = store.counts()
        assert (c["evaluations"], c["submissions"], c["findings"], c["rejections"]) == (12, 12, 12 * n_crit, 4)
        assert (c["ruleset_versions"], c["rubric_versions"]) == (1, 1)
        res = store.verify_audit()
        assert res.ok, res.first_broken
        assert res.entries == c["audit_entries"] == 1 + 2 + 12 + 4
