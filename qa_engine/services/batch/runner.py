"""Batch review: evaluate many dossiers in parallel, resumably, into an output folder.

How a batch runs (the parent process is the single writer of the store, of the
journal and of the names in the output folder; workers compute and write temporary
files):

1. The parent resolves the ruleset, rubric and as-of date (pinned in the output
   folder on first use, so that a resumed run evaluates exactly as the first one),
   opens the store, reads in one query which dossiers it has already evaluated under
   them, and lists the inputs (:mod:`.inputs`).
2. It reads each input's bytes and hashes them. An input whose bytes this folder has
   already evaluated, and whose evaluation the store still holds, is done without
   any parsing.
3. Other inputs go to the workers in chunks (:func:`.worker.process_chunk`): parse,
   validate, and — unless the store already holds that dossier's evaluation —
   evaluate, score, render the JSON and HTML reports into fsynced temporary files
   and reduce the report to the store's rows. A bad dossier comes back with its
   one-line error and is recorded as a rejection.
4. The parent collects results into groups. For each group it claims the report
   names in the journal, moves the temporary files into place (atomic renames, then
   one fsync of the folder), records every evaluation of the group in ONE store
   transaction, then appends the journal lines (:mod:`.records`). A kill at any
   point loses at most work that the next run redoes: a report file is complete or
   absent, the store is idempotent on the hash triple, and an evaluation the store
   has but the journal lacks is adopted from the store without evaluating again. The
   same dossier found twice in one run is recorded once.
5. The dashboard (``index.html``) and ``summary.csv`` are rebuilt from the journal
   every so often and at the end (:mod:`.dashboard`), so they cover every run.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as _dt
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_engine.errors import EngineError, InputError, QAError, UsageError
from qa_engine.fileio import atomic_write_text, publish, sync_folder
from qa_engine.hashing import sha256_bytes
from qa_engine.services.batch.inputs import ArchiveLimits, Source, discover, read_sources
from qa_engine.services.batch.progress import NullProgress, Progress
from qa_engine.services.batch.records import Binding, OutputFolder
from qa_engine.services.batch.worker import (
    WorkerSpec,
    init_worker,
    output_error,
    process_chunk,
    summary_of,
)

EXECUTORS = ("local", "dask")
#: Up to this many input files a batch writes every dossier's HTML report by default;
#: above it only those of dossiers that do not pass (the store has all of them).
HTML_ALL_UP_TO = 1000


def default_html(inputs: int) -> str:
    """The default of ``--html``: ``all`` for a batch of up to :data:`HTML_ALL_UP_TO`
    input files, ``failing`` above."""
    return "all" if inputs <= HTML_ALL_UP_TO else "failing"
#: The dashboard is rebuilt at least this often (seconds) while a batch makes progress.
DASHBOARD_SECONDS = 10.0


@dataclass
class BatchResult:
    """What one run of a batch did."""

    total: int
    evaluated: int
    skipped: int
    rejected: int
    out: Path
    dashboard: Path
    summary_csv: Path
    elapsed: float
    workers: int

    @property
    def exit_code(self) -> int:
        """0 when every input was evaluated (now or before), 1 when one was rejected."""
        return 1 if self.rejected else 0

    @property
    def rate(self) -> float:
        return self.total / self.elapsed if self.elapsed > 0 else 0.0


# --------------------------------------------------------------------------- executors


class _LocalExecutor:
    """A process pool whose workers set up the ruleset once (initializer)."""

    def __init__(self, spec: WorkerSpec, workers: int, known: frozenset[str], write_dir: str) -> None:
        self.slots = workers
        self.spec = spec
        self.write_dir = write_dir
        self.pool = cf.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(spec, known),
        )

    def submit(self, items: list[tuple[int, str, bytes]]) -> Any:
        # the known set went to each worker once, with the initializer
        try:
            return self.pool.submit(process_chunk, self.spec, items, None, self.write_dir)
        except cf.process.BrokenProcessPool:  # a worker died before its result was collected
            raise _worker_died() from None

    def wait_any(self, futures: set[Any]) -> set[Any]:
        done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return done

    def close(self, *, cancel: bool = False) -> None:
        # also when cancelling, wait for the chunks already running (a second or so), so
        # that no worker is still writing temporary files when they are cleaned up
        self.pool.shutdown(wait=True, cancel_futures=cancel)


class _DaskExecutor:
    """Tasks on a Dask cluster; workers set up the ruleset once per process, lazily."""

    def __init__(
        self, spec: WorkerSpec, scheduler: str, workers: int | None, known: frozenset[str]
    ) -> None:
        self.spec = spec
        try:
            from distributed import Client
        except ImportError:
            raise UsageError(
                "the Dask executor needs dask.distributed",
                hint="install it with: pip install 'qa-engine[dask]'",
            ) from None
        try:
            self.client = Client(scheduler, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc})",
                hint="check --scheduler (tcp://HOST:PORT) and that the scheduler is running",
            ) from None
        threads = sum(self.client.nthreads().values())
        self.slots = workers or max(1, threads)
        # sent to every worker once, not with every task (in a list: a bare set would
        # be scattered element by element)
        self.known = self.client.scatter([known], broadcast=True, hash=False)[0]

    def submit(self, items: list[tuple[int, str, bytes]]) -> Any:
        # workers may run on other machines: they return the report texts
        return self.client.submit(process_chunk, self.spec, items, self.known, None, pure=False)

    def wait_any(self, futures: set[Any]) -> set[Any]:
        from distributed import wait

        with self.client.as_current():
            return set(wait(list(futures), return_when="FIRST_COMPLETED").done)

    def close(self, *, cancel: bool = False) -> None:
        self.client.close()


# --------------------------------------------------------------------------- the run


@dataclass
class _Done:
    """An evaluated dossier waiting to be recorded with its group."""

    res: dict[str, Any]
    files: list[tuple[str, str]]  # (file name, input sha256)


class _Run:
    def __init__(
        self,
        *,
        folder: OutputFolder,
        store: Any,
        spec: WorkerSpec,
        binding: Binding,
        templates_dir: str | None,
        progress: Progress,
        dashboard: Any,
        dashboard_every: int,
        known: dict[str, int],
    ) -> None:
        from qa_engine.services.batch.worker import _failing

        self.folder = folder
        self.store = store
        self.spec = spec
        self.binding = binding
        self.templates_dir = templates_dir
        self.progress = progress
        self.dashboard = dashboard
        self.dashboard_every = max(1, dashboard_every)
        self.failing = _failing()
        #: dossier sha256 -> evaluation id, for what the store holds (also this run's)
        self.known = known
        self.group: dict[str, _Done] = {}
        self.group_at = time.monotonic()
        self.counts = {"evaluated": 0, "skipped": 0, "rejected": 0}
        self._since_dashboard = 0
        self._dashboard_cost = 0.0
        self._dashboard_at = time.monotonic()

    # ---- outcomes

    def _done(self, outcome: str) -> None:
        self.counts[outcome] += 1
        self.progress.advance(outcome)
        self._since_dashboard += 1
        now = time.monotonic()
        since = now - self._dashboard_at
        # every N completions or every few seconds, so that an interrupted batch keeps
        # a recent dashboard; never more than a small share of the time for huge folders
        due = self._since_dashboard >= self.dashboard_every or since >= DASHBOARD_SECONDS
        if due and since >= 20 * self._dashboard_cost:
            self.build_dashboard()

    def build_dashboard(self, *, final: bool = False) -> None:
        t0 = time.monotonic()
        self.dashboard(final)
        self._dashboard_at = time.monotonic()
        self._dashboard_cost = self._dashboard_at - t0
        self._since_dashboard = 0

    def reject(self, file: str, input_sha: str, error: str, *, dossier_id: str | None = None) -> None:
        rid, _created = self.store.record_rejection(
            file, input_sha, error, batch_id=self.binding.batch_id, dossier_id=dossier_id
        )
        latest = self.folder.latest(file)
        if not (latest and latest["t"] == "r" and latest["rid"] == rid and latest["error"] == error):
            self.folder.append(
                {"t": "r", "file": file, "input": input_sha, "rid": rid, "error": error}
            )
        self.progress.log(f"qa-engine: rejected: {error}")
        self._done("rejected")

    def _files_exist(self, name: str, passed: bool) -> bool:
        """Whether the report files this run's --html/--json want are all there."""
        j, h = self.folder.report_paths(name)
        return (j.is_file() or not self.spec.wants("json", passed)) and (
            h.is_file() or not self.spec.wants("html", passed)
        )

    def _write_reports(self, name: str, report_text: str | None, html: str | None) -> None:
        j, h = self.folder.report_paths(name)
        try:
            if report_text is not None:
                atomic_write_text(j, report_text)
            if html is not None:
                atomic_write_text(h, html)
        except OSError as exc:
            raise output_error(self.folder.reports_dir, exc) from None

    def _journal_evaluation(
        self, file: str, input_sha: str, eid: int, name: str, summary: dict[str, Any]
    ) -> None:
        # which files the folder has for it (recorded only when one is missing, so the
        # journal of an --html all run is what it always was)
        j, h = self.folder.report_paths(name)
        files = {kind: False for kind, path in (("json", j), ("html", h)) if not path.is_file()}
        latest = self.folder.latest(file)
        if (
            latest and latest["t"] == "e" and latest["eid"] == eid and latest["input"] == input_sha
            and all(latest.get(kind, True) == files.get(kind, True) for kind in ("json", "html"))
        ):
            return
        self.folder.append(
            {"t": "e", "file": file, "input": input_sha, "eid": eid, "report": name, **summary, **files}
        )

    def existing(self, file: str, input_sha: str, eid: int, sha: str) -> None:
        """The store already holds this evaluation: make sure this folder shows it."""
        rec = self.folder.by_eid(eid)
        if rec is not None and self._files_exist(rec["report"], bool(rec["passed"])):
            summary = {k: v for k, v in rec.items() if k not in _NOT_SUMMARY}
            self._journal_evaluation(file, input_sha, eid, rec["report"], summary)
        else:  # adopt it from the store (evaluated elsewhere, or its files went missing)
            from qa_engine.services.reports import render_report

            report = self.store.get_report(eid)
            name = self.folder.name_for(report.dossier.id, sha)
            texts = {
                kind: render_report(report, kind, templates_dir=self.templates_dir).decode("utf-8")
                if self.spec.wants(kind, report.passed) else None
                for kind in ("json", "html")
            }
            self._write_reports(name, texts["json"], texts["html"])
            self._journal_evaluation(file, input_sha, eid, name, summary_of(report, self.failing))
        self._done("skipped")

    def result(self, file: str, input_sha: str, res: dict[str, Any]) -> None:
        """One processed input: rejected, already done, or evaluated (into the group)."""
        if not res["ok"]:
            self.reject(file, input_sha, res["error"], dossier_id=res.get("id"))
            return
        sha = res["sha256"]
        waiting = self.group.get(sha)
        if waiting is not None:  # the same dossier twice in this group: recorded once
            _drop(res)
            waiting.files.append((file, input_sha))
            return
        eid = self.known.get(sha)
        if eid is not None:
            _drop(res)
            self.existing(file, input_sha, eid, sha)
            return
        if res.get("known"):  # the store had it when the batch started, yet not now
            raise EngineError(
                f"the evaluation of {file} vanished from the store while the batch ran",
                hint="run the same command again",
            )
        self.group[sha] = _Done(res, [(file, input_sha)])

    def flush_due(self) -> bool:
        return len(self.group) >= GROUP_SIZE or (
            bool(self.group) and time.monotonic() - self.group_at >= GROUP_SECONDS
        )

    def flush(self) -> None:
        """Record the group: names claimed, files in place, one store transaction, journal."""
        items = list(self.group.values())
        if not items:
            self.group_at = time.monotonic()
            return
        names = []
        try:
            for item in items:
                res = item.res
                name = self.folder.name_for(res["id"], res["sha256"])
                names.append(name)
                j, h = self.folder.report_paths(name)
                if "files" in res:
                    tmp_json, tmp_html = res["files"]
                    if tmp_json is not None:
                        publish(tmp_json, j)
                    if tmp_html is not None:
                        publish(tmp_html, h)
                else:
                    self._write_reports(name, res.get("report"), res.get("html"))
            sync_folder(self.folder.reports_dir)
        except OSError as exc:
            raise output_error(self.folder.reports_dir, exc) from None
        recorded = self.store.record_rows(
            [item.res["row"] for item in items], batch_id=self.binding.batch_id
        )
        self.group.clear()
        self.group_at = time.monotonic()
        for item, name, (eid, created) in zip(items, names, recorded, strict=True):
            self.known[item.res["sha256"]] = eid
            for n, (file, input_sha) in enumerate(item.files):
                self._journal_evaluation(file, input_sha, eid, name, item.res["summary"])
                self._done("evaluated" if n == 0 and created else "skipped")

    def discard(self) -> None:
        """Drop the temporary files of a group that will not be recorded (the run stops)."""
        for item in self.group.values():
            _drop(item.res)
        self.group.clear()


#: Journal fields of an evaluation record that are not the report's summary.
_NOT_SUMMARY = frozenset({"t", "file", "input", "eid", "report", "json", "html"})

#: Evaluations recorded per store transaction, and the longest a result waits for one.
GROUP_SIZE = 64
GROUP_SECONDS = 1.0


def _drop(res: dict[str, Any]) -> None:
    for path in res.get("files") or ():
        if path is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _chunk_size(total: int, slots: int, requested: int | None, executor: str) -> int:
    """Dossiers per task: enough to make the per-task cost negligible (a dossier takes
    tens of milliseconds), few enough to spread small batches and lose little on a kill."""
    if requested:
        return max(1, requested)
    most = 32 if executor == "dask" else 8
    return max(1, min(most, total // max(1, slots * 4)))


def run_batch(
    paths: Sequence[str | Path],
    *,
    out: str | Path = "out",
    ruleset: str | None = None,
    rubric: str | None = None,
    as_of: _dt.date | None = None,
    engine: str | None = None,
    rulesets_dirs: Sequence[str] = (),
    db: str | None = None,
    workers: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    templates_dir: str | Path | None = None,
    html: str | bool | None = None,
    json: str = "all",
    chunk_size: int | None = None,
    dashboard_every: int = 100,
    limits: ArchiveLimits | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Evaluate every dossier under ``paths`` into the output folder ``out``.

    Resumable and idempotent: run it again (after a crash, a kill or new inputs) and
    only what is missing is done. ``html``/``json`` choose the per-dossier report
    files: ``all``, ``failing`` (dossiers that do not pass) or ``none``; html defaults
    to :func:`default_html` of the number of inputs. The store records every
    evaluation either way (``qa-engine report`` renders any of them later). Raises :class:`~qa_engine.errors.QAError` for usage,
    input and configuration errors (nothing is evaluated then); a bad dossier is a
    rejection, not an error.
    """
    from qa_engine.rules.registry import Registry
    from qa_engine.services.batch.dashboard import reviewed_outcomes, write_dashboard
    from qa_engine.services.check import resolve
    from qa_engine.store import open_store

    if executor not in EXECUTORS:
        raise UsageError(f"unknown executor '{executor}'", hint="choose local or dask")
    if executor == "dask" and not scheduler:
        raise UsageError("the Dask executor needs a scheduler", hint="add --scheduler tcp://HOST:PORT")
    if executor == "local" and scheduler:
        raise UsageError("--scheduler needs --executor dask")
    if workers is not None and workers < 1:
        raise UsageError("the number of workers must be at least 1")
    if templates_dir is not None and not Path(templates_dir).is_dir():
        raise UsageError(
            "the templates folder does not exist",
            file=str(templates_dir),
            hint="point --templates at a folder with the report templates",
        )
    progress = progress or NullProgress()
    t0 = time.monotonic()
    out_dir = Path(out)
    # everything that can be wrong with the command is found before the folder is touched
    bound = OutputFolder(out_dir).binding()
    if bound is not None:  # a resumed batch evaluates as its first run did
        ruleset, rubric, as_of = _pinned(bound, out_dir, ruleset, rubric, as_of)
    setup = resolve(
        ruleset=ruleset, rubric=rubric, as_of=as_of, engine=engine,
        registry=Registry(ruleset_dirs=list(rulesets_dirs)),
    )
    wanted = Binding(
        ruleset=setup.ruleset.ref, ruleset_sha256=setup.ruleset.sha256,
        rubric=setup.rubric.ref, rubric_sha256=setup.rubric.sha256,
        as_of=setup.as_of.isoformat(),
    )
    if bound is not None:
        OutputFolder(out_dir).check_binding(wanted)
    for warning in setup.warnings:
        progress.log(f"qa-engine: warning: {warning}.")
    tdir = str(Path(templates_dir).resolve()) if templates_dir is not None else None
    spec = WorkerSpec(
        ruleset=setup.ruleset.ref, rubric=setup.rubric.ref,
        ruleset_sha256=setup.ruleset.sha256, rubric_sha256=setup.rubric.sha256,
        as_of=setup.as_of, engine=setup.engine,
        rulesets_dirs=tuple(str(Path(d).resolve()) for d in rulesets_dirs),
        templates_dir=tdir,
    )
    sources = discover(paths, exclude=out_dir, limits=limits)
    if isinstance(html, bool):  # the older flag: True/False mean all/none
        html = "all" if html else "none"
    spec = dataclasses.replace(spec, html=default_html(len(sources)) if html is None else html, json=json)
    try:  # the folder may hold the store (--db OUT/qa.sqlite)
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"the output folder cannot be created ({exc.strerror or exc})",
            file=str(out_dir),
            hint="choose another --out folder",
        ) from None
    store = open_store(db)  # a bad --db is refused before anything is written into the folder
    try:
        folder = OutputFolder(out_dir).open()
    except BaseException:
        store.close()
        raise
    pool: Any = None
    try:
        store.ensure_content(setup.ruleset, setup.rubric)
        binding = folder.bind(wanted)
        known = store.evaluated_dossiers(setup.ruleset.sha256, setup.rubric.sha256)

        reviews: dict[int, dict[str, Any]] | None = None

        def dashboard(final: bool = False) -> None:
            # reviewers' overrides and waivers: looked up at the start and at the end
            # (not at every rebuild while the batch runs)
            nonlocal reviews
            if reviews is None or final:
                reviews = reviewed_outcomes(store, folder, as_of=_dt.date.today(), failing=run.failing)
            write_dashboard(folder, setup, templates_dir=tdir, reviews=reviews)

        run = _Run(
            folder=folder, store=store, spec=spec, binding=binding, templates_dir=tdir,
            progress=progress, dashboard=dashboard, dashboard_every=dashboard_every, known=known,
        )
        if executor == "dask":
            assert scheduler is not None
            pool = _DaskExecutor(spec, scheduler, workers, frozenset(known))
        else:
            pool = _LocalExecutor(
                spec, workers or os.cpu_count() or 1, frozenset(known), str(folder.reports_dir)
            )
        slots = pool.slots
        run.build_dashboard()  # the folder has a dashboard from the start
        progress.start(len(sources))
        try:
            try:
                _pump(run, pool, sources, _chunk_size(len(sources), pool.slots, chunk_size, executor), limits)
            finally:
                run.discard()
            pool.close()
            pool = None
        finally:
            run.build_dashboard(final=True)
            progress.close()
        return BatchResult(
            total=len(sources), evaluated=run.counts["evaluated"], skipped=run.counts["skipped"],
            rejected=run.counts["rejected"], out=out_dir, dashboard=out_dir / "index.html",
            summary_csv=out_dir / "summary.csv", elapsed=time.monotonic() - t0, workers=slots,
        )
    finally:
        if pool is not None:  # the run stopped early: no result will be collected
            pool.close(cancel=True)
            folder.clean_temporary_files()
        store.close()
        folder.close()


def _pinned(
    bound: Binding, out_dir: Path, ruleset: str | None, rubric: str | None, as_of: _dt.date | None
) -> tuple[str, str, _dt.date]:
    """The ruleset, rubric and as-of date of a resumed batch: the folder's own. Naming
    them again (``-r ID`` or ``-r ID@VERSION``) is fine; naming others is refused with
    what the folder is pinned to (not with whatever resolving a mix would say)."""

    def same(given: str | None, pinned: str) -> bool:
        if given is None:
            return True
        gid, _, gver = given.partition("@")
        pid, _, pver = pinned.partition("@")
        return gid == pid and (not gver or gver == pver)

    day = _dt.date.fromisoformat(bound.as_of)
    for option, given, pinned in (("-r", ruleset, bound.ruleset), ("--rubric", rubric, bound.rubric)):
        if not same(given, pinned):
            raise _pin_error(bound, out_dir, f"{option} {given}", option)
    if as_of is not None and as_of != day:
        raise _pin_error(bound, out_dir, f"--as-of {as_of.isoformat()}", "--as-of")
    return bound.ruleset, bound.rubric, day


def _pin_error(bound: Binding, out_dir: Path, asked: str, option: str) -> UsageError:
    return UsageError(
        f"this folder is pinned to {bound.ruleset} (rubric {bound.rubric}, as of {bound.as_of}), "
        f"so it cannot take {asked}",
        file=str(out_dir),
        hint=f"use a new --out folder for {asked}, or resume this one without {option}",
    )


def _pump(
    run: _Run,
    pool: Any,
    sources: list[Source],
    chunk: int,
    limits: ArchiveLimits | None,
) -> None:
    """Keep every worker busy; handle results as they complete; record them in groups."""
    feed = read_sources(sources, limits=limits)
    exhausted = False
    inflight: dict[Any, list[tuple[str, str]]] = {}
    max_inflight = max(2, pool.slots * 2)

    def next_chunk() -> list[tuple[int, str, bytes, str]]:
        nonlocal exhausted
        items: list[tuple[int, str, bytes, str]] = []
        while len(items) < chunk:
            try:
                src, data = next(feed)
            except StopIteration:
                exhausted = True
                break
            if isinstance(data, InputError):
                fake = sha256_bytes(b"unreadable\0" + src.name.encode("utf-8", "surrogateescape"))
                run.reject(src.name, fake, str(data))
                continue
            input_sha = sha256_bytes(data)
            seen = run.folder.by_input(input_sha)
            if seen is not None:
                eid = run.known.get(seen["sha256"])
                if eid is not None:  # these very bytes were evaluated: no parsing needed
                    run.existing(src.name, input_sha, eid, seen["sha256"])
                    continue
            items.append((len(items), src.name, data, input_sha))
        return items

    try:
        while True:
            while len(inflight) < max_inflight and not exhausted:
                items = next_chunk()
                if items:
                    fut = pool.submit([(i, n, d) for i, n, d, _ in items])
                    inflight[fut] = [(n, s) for _, n, _, s in items]
            if not inflight:
                break
            for fut in pool.wait_any(set(inflight)):
                meta = inflight.pop(fut)
                for res in sorted(_result(fut), key=lambda r: r["i"]):
                    name, input_sha = meta[res["i"]]
                    run.result(name, input_sha, res)
            if run.flush_due():
                run.flush()
        run.flush()
    finally:
        for fut in inflight:
            fut.cancel()


def _worker_died() -> EngineError:
    return EngineError(
        "a worker process died (out of memory, or killed)",
        hint="run the same command again to resume where it stopped",
    )


def _result(fut: Any) -> list[dict[str, Any]]:
    try:
        return list(fut.result())
    except QAError:
        raise
    except cf.process.BrokenProcessPool:
        raise _worker_died() from None
    except Exception as exc:  # a failure of the executor itself, not of one dossier
        raise EngineError(
            f"a batch task failed: {type(exc).__name__}: {exc}",
            hint="run the same command again to resume where it stopped",
        ) from exc


__all__ = ["EXECUTORS", "HTML_ALL_UP_TO", "BatchResult", "default_html", "run_batch"]
