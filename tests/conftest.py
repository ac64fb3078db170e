"""Shared fixtures: the real data folder and small cities."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, the real files made by others; skip without it, fail in CI."""
    if not SHARED_DATA.is_dir():
        message = f"real test data not found at {SHARED_DATA}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI is set: real-data tests must run there)")
        pytest.skip(message)
    return SHARED_DATA
