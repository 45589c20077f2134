"""Rules engines: durable-rules (default where it imports) and pure Python.

Engines are cached per ruleset hash so a ruleset is compiled once per process.
"""

from __future__ import annotations

import datetime as _dt
import threading
from typing import Any, Protocol

from qa_engine.engine.verdicts import Verdict
from qa_engine.errors import UsageError
from qa_engine.rules.registry import LoadedRuleset

ENGINES = ("durable", "python")


class Engine(Protocol):
    name: str

    def evaluate(self, data: dict[str, Any], as_of: _dt.date) -> dict[str, Verdict]: ...


_CACHE: dict[tuple[str, str], Engine] = {}
_CACHE_LOCK = threading.RLock()  # one engine per ruleset, also when a server's threads ask at once


def durable_available() -> bool:
    try:
        from qa_engine.engine import durable_engine  # noqa: F401  (the one module that imports durable_rules)
    except Exception:
        return False
    return True


def default_engine() -> str:
    return "durable" if durable_available() else "python"


def get_engine(ruleset: LoadedRuleset, name: str | None = None) -> Engine:
    name = name or default_engine()
    key = (name, ruleset.sha256)
    if key in _CACHE:
        return _CACHE[key]
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
        if name == "python":
            from qa_engine.engine.python_engine import PythonEngine

            engine: Engine = PythonEngine(ruleset)
        elif name == "durable":
            if not durable_available():
                raise UsageError(
                    "the durable-rules engine cannot be imported on this Python",
                    hint="use --engine python (durable-rules 2.0.28 supports Python 3.11 and 3.12)",
                )
            from qa_engine.engine.durable_engine import DurableEngine

            engine = DurableEngine(ruleset)
        else:
            raise UsageError(f"unknown engine '{name}'", hint=f"choose one of {', '.join(ENGINES)}")
        _CACHE[key] = engine
        return engine


__all__ = ["ENGINES", "Engine", "Verdict", "default_engine", "durable_available", "get_engine"]
