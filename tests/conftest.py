"""Shared fixtures: paths of the project and a factory for throw-away rulesets."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def make_ruleset(tmp_path: Path) -> Any:
    """Write a ruleset + rubric into tmp_path and return a Registry over it."""
    from yaml_helpers import write_ruleset

    def factory(**kw: Any) -> Any:
        return write_ruleset(tmp_path, **kw)

    return factory


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip()
