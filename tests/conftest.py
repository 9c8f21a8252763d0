"""Shared fixtures: configs written to tmp folders, real loopback servers, real databases."""
from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.configs import make_config
from tests.support.servers import DEVSET, SmtpSink

POSTGRES_URL = os.environ.get("MONITOR_TEST_POSTGRES_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not DEVSET.exists():
        skip = pytest.mark.skip(reason=f"{DEVSET} is not here (the shared folder sits beside the repo)")
        for item in items:
            if "devset" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Path]:
    """Write a config TOML in the test's folder; keyword arguments override the usual keys."""
    return functools.partial(make_config, tmp_path)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    admin = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"monitor_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as e:
        if os.environ.get("MONITOR_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}: {e}")
    base, _, _db = POSTGRES_URL.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on a SQLite file and on a fresh PostgreSQL database."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return f"sqlite:///{tmp_path / 'm.db'}"
