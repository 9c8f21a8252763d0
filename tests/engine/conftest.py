"""Fixtures for the engine tests: the real baseline (from the repo config)."""
from __future__ import annotations

import pytest

from monitor.engine import Engine
from tests.engine.builders import BASELINE, BASELINE_PUBLISHED


@pytest.fixture(scope="session")
def baseline_text() -> str:
    return BASELINE.read_text(encoding="utf-8")


@pytest.fixture()
def engine(baseline_text: str) -> Engine:
    return Engine(baseline_text, published=BASELINE_PUBLISHED)
