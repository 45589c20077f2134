"""Progress of a batch: a bar with rate and ETA on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import IO, Any, Protocol

from qa_engine.textsafe import safe_line


class Progress(Protocol):
    def start(self, total: int) -> None: ...

    def advance(self, outcome: str) -> None:
        """One input done; ``outcome`` is evaluated, skipped or rejected."""

    def log(self, message: str) -> None: ...

    def close(self) -> None: ...


class _Counts:
    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.by: dict[str, int] = {"evaluated": 0, "skipped": 0, "rejected": 0}
        self.t0 = time.monotonic()

    def add(self, outcome: str) -> None:
        self.done += 1
        self.by[outcome] = self.by.get(outcome, 0) + 1

    def short(self) -> str:
        b = self.by
        return f"{b['skipped']} skipped, {b['rejected']} rejected"

    def text(self) -> str:
        b = self.by
        return f"{b['evaluated']} evaluated, {b['skipped']} already done, {b['rejected']} rejected"


class NullProgress:
    """Reports nothing (library use)."""

    def start(self, total: int) -> None:
        pass

    def advance(self, outcome: str) -> None:
        pass

    def log(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


class LogProgress:
    """Plain lines for logs and pipes: one every ``every`` seconds and a last one."""

    def __init__(self, stream: IO[str] | None = None, *, every: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.every = every
        self.c = _Counts()
        self._last = 0.0

    def _line(self) -> None:
        c = self.c
        elapsed = max(time.monotonic() - c.t0, 1e-9)
        rate = c.done / elapsed
        left = c.total - c.done
        eta = f", about {_duration(left / rate)} left" if rate > 0 and left > 0 else ""
        pct = 100.0 * c.done / c.total if c.total else 100.0
        print(
            f"qa-engine batch: {c.done}/{c.total} ({pct:.0f}%): {c.text()}; "
            f"{rate:.1f} dossiers/s{eta}",
            file=self.stream,
            flush=True,
        )

    def start(self, total: int) -> None:
        self.c.total = total
        self.c.t0 = self._last = time.monotonic()
        print(f"qa-engine batch: {total} dossier file(s) to process", file=self.stream, flush=True)

    def advance(self, outcome: str) -> None:
        self.c.add(outcome)
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._line()

    def log(self, message: str) -> None:
        print(safe_line(message), file=self.stream, flush=True)

    def close(self) -> None:
        self._line()


def _duration(seconds: float) -> str:
    s = int(seconds + 0.5)
    if s < 60:
        return f"{s}s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m}m{s:02d}s"
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m"


class RichProgress:
    """A live bar (done/total, percentage, rate, elapsed, ETA) on a terminal."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            ProgressColumn,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as _RichProgress
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:.1f}/s" if speed else "-/s", style="progress.data.speed")

        self.console = Console(file=stream or sys.stderr)
        self.c = _Counts()
        self._bar = _RichProgress(
            TextColumn("[bold]batch"),
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[counts]}"),
            console=self.console,
            transient=False,
        )
        self._task: Any = None

    def start(self, total: int) -> None:
        self.c.total = total
        self._bar.start()
        self._task = self._bar.add_task("batch", total=total, counts=self.c.short())

    def advance(self, outcome: str) -> None:
        self.c.add(outcome)
        self._bar.update(self._task, advance=1, counts=self.c.short())

    def log(self, message: str) -> None:
        self._bar.console.print(safe_line(message), markup=False, highlight=False)

    def close(self) -> None:
        self._bar.stop()


def progress_for(stream: IO[str] | None = None) -> Progress:
    """The bar on a terminal, plain lines otherwise."""
    stream = stream or sys.stderr
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return RichProgress(stream)
    return LogProgress(stream)


__all__ = ["LogProgress", "NullProgress", "Progress", "RichProgress", "progress_for"]
