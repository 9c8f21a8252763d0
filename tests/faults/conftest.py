"""Fixtures and helpers for the fault suite: real `monitor` processes, real servers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.faults.hostile import HostileServer
from tests.support.configs import make_config as support_make_config
from tests.support.servers import make_feeds

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float  # peak RSS of the process (and its waited-for children, e.g. the parse worker)


def run_monitor(config: Path, *args: str, timeout: float = 120) -> Run:
    """Run `python -m monitor --config CONFIG ARGS…` to the end; measure time and peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), *args],
                                   cwd=ROOT, stdout=out, stderr=err)
        deadline = started + timeout
        while True:  # os.wait4 gives this child's own rusage, not the sum of every test's children
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        run = Run(process.returncode, out.read().decode("utf-8", "replace"),
                  err.read().decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)
    if time.monotonic() > deadline:
        raise AssertionError(f"monitor {' '.join(args)} did not finish within {timeout} s:\n{run.stderr}")
    return run


def start_monitor(config: Path, *args: str) -> subprocess.Popen[str]:
    """Start a monitor process in the background; output merged into stdout, text mode."""
    return subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def status_json(config: Path) -> dict[str, Any]:
    run = run_monitor(config, "status", "--json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def feed_status(config: Path) -> dict[str, dict[str, Any]]:
    """configured URL → that feed's row in `monitor status --json`."""
    return {f["configured_url"]: f for t in status_json(config)["topics"] for f in t["feed_status"]}


class Output:
    """Collects a background process's merged output without blocking."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        self.process = process
        self.lines: list[str] = []
        os.set_blocking(process.stdout.fileno(), False)

    def drain(self) -> None:
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                return
            self.lines.append(line)

    def wait_for(self, needle: str | Callable[[str], bool], timeout: float = 60, start: int = 0) -> int:
        """Index of the first line (from ``start``) matching; AssertionError after ``timeout``."""
        match = needle if callable(needle) else (lambda line: needle in line)
        deadline = time.monotonic() + timeout
        while True:
            self.drain()
            for i in range(start, len(self.lines)):
                if match(self.lines[i]):
                    return i
            if self.process.poll() is not None and time.monotonic() > deadline - timeout + 0.5:
                self.drain()
                if not any(match(line) for line in self.lines[start:]):
                    raise AssertionError(f"process exited ({self.process.returncode}) before {needle!r}:\n"
                                         + "".join(self.lines))
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} not seen within {timeout} s:\n" + "".join(self.lines))
            time.sleep(0.05)

    @property
    def text(self) -> str:
        self.drain()
        return "".join(self.lines)


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[tuple[HostileServer, list[str]]]:
    """The hostile server, with the devset feeds and article pages served under /good/."""
    root = tmp_path / "good"
    root.mkdir()
    with HostileServer(root) as server:
        good = make_feeds(root, server.url("/good/"))
        yield server, good


def make_config(folder: Path, **keys: Any) -> Path:
    """The shared test config, with the fault suite's defaults: UTC, shorter fetch deadline."""
    return support_make_config(folder, **{"timezone": "UTC", "per_host": 8, "fetch_timeout": 10, **keys})


@pytest.fixture(scope="session")
def polled_devset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A SQLite file holding one poll of the devset feeds (poll once, copy per test)."""
    from tests.support.servers import static_site

    folder = tmp_path_factory.mktemp("polled")
    site = folder / "site"
    site.mkdir()
    with static_site(site) as (base, _server):
        feeds = make_feeds(site, base)
        config = make_config(folder, feeds=feeds)
        run = run_monitor(config, "poll")
        assert run.returncode == 0, run.stderr
    return folder / "monitor.db", feeds


@pytest.fixture
def devset_db(polled_devset: tuple[Path, list[str]], tmp_path: Path) -> list[str]:
    """Copy the polled devset database into this test's folder; return the feed URLs."""
    import shutil

    db, feeds = polled_devset
    for suffix in ("", "-wal"):
        if Path(f"{db}{suffix}").exists():
            shutil.copy(f"{db}{suffix}", tmp_path / f"monitor.db{suffix}")
    return feeds
