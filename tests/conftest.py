"""Shared fixtures: the path of ../shared (tests needing it skip cleanly without it)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``, or skip the test when it is absent (a clone elsewhere)."""
    data = SHARED / "data"
    if not (data / "questions" / "dev.jsonl").is_file():
        pytest.skip("../shared/data is not present")
    return data
