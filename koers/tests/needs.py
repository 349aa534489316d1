"""Tests that need something from outside the repository (Chromium, GNU gettext, the
shared data beside the repository): skipped with the reason on a laptop without it,
failed where it must be there (CI, or ``KOERS_REQUIRE_SERVICES=1``), so a missing
piece never passes a CI run silently."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# ../shared/data beside the repository (how CI clones it).
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def must_have() -> bool:
    return os.environ.get("KOERS_REQUIRE_SERVICES") == "1" or bool(os.environ.get("CI"))


def missing(reason: str):
    """Skip the test, or fail it where the missing piece is required."""
    if must_have():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def shared_data(*parts: str) -> Path:
    """A path inside ../shared/data; the test is skipped (failed in CI) without it."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        missing(f"{path} is missing: put the shared data beside the repository (../shared).")
    return path
