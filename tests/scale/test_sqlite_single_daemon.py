"""SQLite: one daemon per database file; a second `monitor run` is refused with a clear message."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.scale.test_migrations import _write_config

ROOT = Path(__file__).resolve().parents[2]


def test_a_second_daemon_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "monitor.db"
    config = _write_config(tmp_path, f"sqlite:///{db}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    first = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "monitor.db.lock").exists() or "pid" not in (tmp_path / "monitor.db.lock").read_text():
            assert first.poll() is None and time.monotonic() < deadline, first.stderr.read()  # type: ignore[union-attr]
            time.sleep(0.1)
        second = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "run"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        message = second.stderr.strip().splitlines()[-1]
        assert message == (f"error: another monitor daemon (pid {first.pid}) is using {db}; "
                           "stop it first, or use PostgreSQL to run several workers"), second.stderr
        assert "Traceback" not in second.stderr
        assert first.poll() is None  # the first one is untouched
    finally:
        first.send_signal(signal.SIGTERM)
        assert first.wait(30) == 0
    # Once the first has stopped, the file is free again.
    third = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    assert third.poll() is None, third.stderr.read()  # type: ignore[union-attr]
    third.send_signal(signal.SIGTERM)
    assert third.wait(30) == 0
