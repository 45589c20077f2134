"""Shared fixtures: paths of the project and a factory for throw-away rulesets."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

#: store fixtures (store_url over SQLite and PostgreSQL, pg_url, sqlite_url)
pytest_plugins = ["store_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> None:
    """argon2id with the cheapest parameters in tests (the production ones take ~1 s a
    hash on a busy machine); a test checks that the workspace uses the real ones."""
    from argon2 import PasswordHasher, profiles

    from qa_engine.services import accounts

    accounts.use_hasher(PasswordHasher.from_parameters(profiles.CHEAPEST))


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


# --------------------------------------------------------------------------- golden files


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite the golden files in tests/golden/ instead of comparing (or set UPDATE_GOLDEN=1).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files are to be rewritten (--update-golden or UPDATE_GOLDEN=1)."""
    import os

    return bool(request.config.getoption("--update-golden")) or os.environ.get("UPDATE_GOLDEN") == "1"
