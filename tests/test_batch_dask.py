"""The Dask executor on a real distributed.LocalCluster (two worker processes, no mocks):
the same decisions and scores as the local process pool, and the same report files."""

from __future__ import annotations

import csv
import datetime as _dt
import shutil
from pathlib import Path

import pytest
from batch_helpers import AS_OF, EXAMPLES, db_rows, generate, write_broken

from qa_engine.services.batch import run_batch

distributed = pytest.importorskip("distributed")

DAY = _dt.date.fromisoformat(AS_OF)


def _rows(out: Path) -> dict[str, tuple[str, ...]]:
    with open(out / "summary.csv", newline="", encoding="utf-8") as fh:
        return {
            r["file"]: (r["status"], r["dossier_id"], r["decision"], r["passed"], r["score"],
                        r["essential_failures"], r["report"], r["error"])
            for r in csv.DictReader(fh)
        }


@pytest.mark.slow
def test_dask_gives_the_same_results_as_local(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    shutil.copytree(EXAMPLES, inp / "examples")
    generate(inp / "gen", 24)
    write_broken(inp / "broken")
    paths = [inp]
    good = 24 + len(list((inp / "examples").glob("*.yaml")))
    local = run_batch(paths, out=tmp_path / "local", db=str(tmp_path / "local.sqlite"), as_of=DAY, workers=2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
        host="127.0.0.1",
    ) as cluster:
        remote = run_batch(
            paths, out=tmp_path / "dask", db=str(tmp_path / "dask.sqlite"), as_of=DAY,
            executor="dask", scheduler=cluster.scheduler_address,
        )
        # the work really ran on the cluster's worker processes
        with distributed.Client(cluster.scheduler_address) as client:
            ran = client.run(lambda: len(__import__("qa_engine.services.batch.worker", fromlist=["_SETUPS"])._SETUPS))
            assert list(ran.values()) == [1, 1]  # each worker process set up once
    assert (remote.evaluated, remote.rejected, remote.total) == (local.evaluated, local.rejected, local.total)
    assert (local.evaluated, local.rejected) == (good, 3)
    assert remote.exit_code == local.exit_code == 1
    assert _rows(tmp_path / "dask") == _rows(tmp_path / "local")
    sql = "SELECT dossier_sha256, decision, passed, score_exact FROM evaluation ORDER BY 1"
    assert db_rows(tmp_path / "dask.sqlite", sql) == db_rows(tmp_path / "local.sqlite", sql)
    for p in (tmp_path / "local" / "reports").iterdir():
        assert (tmp_path / "dask" / "reports" / p.name).read_bytes() == p.read_bytes(), p.name
    # resuming on the cluster is idempotent too
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None, host="127.0.0.1",
    ) as cluster:
        again = run_batch(
            paths, out=tmp_path / "dask", db=str(tmp_path / "dask.sqlite"),
            executor="dask", scheduler=cluster.scheduler_address,
        )
    assert (again.evaluated, again.skipped, again.rejected) == (0, good, 3)


def test_unreachable_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    from qa_engine.errors import QAError

    with pytest.raises(QAError, match="cannot reach the Dask scheduler"):
        run_batch(
            [EXAMPLES], out=tmp_path / "out", db=str(tmp_path / "q.sqlite"), as_of=DAY,
            executor="dask", scheduler="tcp://127.0.0.1:9",
        )
