"""Shared fixtures: configs written to tmp folders, real loopback servers, real databases."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.servers import BASELINE, DEVSET, SmtpSink

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
    """Write a config TOML for the tests; keyword arguments fill the usual keys."""

    def write(*, feeds: list[str], database_url: str | None = None, method: str = "outbox",
              smtp_port: int = 25, recipients: tuple[str, ...] = ("analyst@example.org",),
              schedule: str = "0 7 * * *", timezone: str = "Europe/London", quiet: str = "skip",
              poll_every: str = "15m", extra: str = "") -> Path:
        (tmp_path / "baselines").mkdir(exist_ok=True)
        (tmp_path / "baselines" / "xi.txt").write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
        url = database_url or f"sqlite:///{tmp_path / 'monitor.db'}"
        feed_list = ", ".join(f'"{f}"' for f in feeds)
        rcpt = ", ".join(f'"{r}"' for r in recipients)
        path = tmp_path / "monitor.toml"
        path.write_text(f"""
[database]
url = "{url}"
[fetch]
allow_private_networks = true
concurrency = 8
per_host = 4
timeout = 20
[email]
method = "{method}"
outbox = "outbox"
sender = "monitor@example.org"
[email.smtp]
host = "127.0.0.1"
port = {smtp_port}
[[topic]]
id = "xi-putin"
name = "Xi Jinping meets Putin"
baseline = "baselines/xi.txt"
baseline_published = "2023-03-17T12:00:00+00:00"
feeds = [{feed_list}]
poll_every = "{poll_every}"
terms = ["Xi Jinping", "Putin", "Xi", "Kremlin"]
[topic.aliases]
"International Criminal Court" = ["ICC"]
[topic.digest]
schedule = "{schedule}"
timezone = "{timezone}"
recipients = [{rcpt}]
quiet = "{quiet}"
{extra}
""", encoding="utf-8")
        return path

    return write


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
