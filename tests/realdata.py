"""Where the public sample credentials are: ../shared/realdata beside the checkout (as CI
lays it out) or $QA_ENGINE_REALDATA. Read in place, never copied into the project."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REALDATA = Path(
    os.environ.get("QA_ENGINE_REALDATA")
    or Path(__file__).resolve().parents[1].parent / "shared" / "realdata"
)
OB = REALDATA / "openbadges-v3-spec"
VAL = REALDATA / "1edtech-validator-testdata"
ELM = REALDATA / "elm-v3"
DATA = Path(__file__).resolve().parent / "data"


def skip_module_without_samples() -> None:
    """Skip the calling test module when the samples are absent, unless CI is set (then fail)."""
    if not REALDATA.is_dir() and os.environ.get("CI", "").lower() in ("", "0", "false", "no"):
        # CI lays shared/ beside the checkout; a bare clone elsewhere has no samples
        pytest.skip(f"the public samples are not at {REALDATA} (set QA_ENGINE_REALDATA)", allow_module_level=True)
