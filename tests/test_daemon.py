"""The daemon: digest slots across DST, catch-up after downtime, signals, config reload."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.daemon import Daemon, digest_trigger
from monitor.poll import sync_topics
from monitor.schedule import latest_slot, slot_key
from monitor.store import open_database
from monitor.store.tables import DigestRow, TopicRow

ROOT = Path(__file__).resolve().parents[1]


def test_one_slot_per_local_day_across_dst_changes(write_config) -> None:  # type: ignore[no-untyped-def]
    topic = load_config(write_config(feeds=["https://e.org/f"], schedule="30 1 * * *"), environ={}).topic[0]
    # Europe/London: clocks go forward at 01:00 UTC on 26 March 2023 and back on 29 October 2023.
    # 01:30 local on the spring day does not exist and on the autumn day happens twice.
    for start in (datetime(2023, 3, 23, 12, tzinfo=UTC), datetime(2023, 10, 26, 12, tzinfo=UTC)):
        keys = []
        for hour in range(0, 24 * 7):
            slot = latest_slot(digest_trigger(topic), start + timedelta(hours=hour), lookback=timedelta(days=2))
            if slot and slot >= start and slot_key(slot) not in keys:
                keys.append(slot_key(slot))
        days = {datetime.strptime(k, "%Y%m%dT%H%M%z").astimezone(
            __import__("zoneinfo").ZoneInfo("Europe/London")).date() for k in keys}
        assert len(keys) == len(days), f"a local day got two digests: {keys}"
        assert len(keys) >= 6, f"a local day got no digest: {keys}"


def _daemon(config_path: Path, now: datetime) -> Daemon:
    config = load_config(config_path, environ={})
    database = open_database(config.database_url)
    sync_topics(database, config, now - timedelta(days=30))
    return Daemon(config, database, clock=lambda: now)


def test_a_slot_missed_while_stopped_is_sent_once_at_start(write_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_config(feeds=["https://e.org/f"], quiet="note", schedule="0 7 * * *", timezone="UTC")
    now = datetime(2023, 3, 22, 9, 30, tzinfo=UTC)
    daemon = _daemon(path, now)
    with daemon.database.session() as session:  # the daemon last sent the 20 March digest
        session.add(DigestRow(topic_id="xi-putin", period_key="20230320T0700Z", period_end=now,
                              created_at=now, message_id="<old@x>", subject="s", text="t", html="h",
                              status="sent"))
    daemon.catch_up()
    daemon.catch_up()  # a second start must not send it again
    with daemon.database.session() as session:
        rows = session.exec(__import__("sqlmodel").select(DigestRow).order_by(DigestRow.id)).all()
    assert [r.period_key for r in rows] == ["20230320T0700Z", "20230322T0700Z"]
    assert rows[1].status == "sent"
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_no_catch_up_for_a_slot_before_the_topic_existed(write_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_config(feeds=["https://e.org/f"], quiet="note", timezone="UTC")
    now = datetime(2023, 3, 22, 9, 30, tzinfo=UTC)
    daemon = _daemon(path, now)
    with daemon.database.session() as session:
        session.get(TopicRow, "xi-putin").created_at = now - timedelta(hours=1)  # type: ignore[union-attr]
    daemon.catch_up()
    assert not (tmp_path / "outbox").exists()


def _start(config: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(process: subprocess.Popen[str], needle: str, timeout: float = 60) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line:
            lines.append(line)
            if needle in line:
                return lines
        elif process.poll() is not None:
            break
        else:
            time.sleep(0.05)
    raise AssertionError(f"{needle!r} not seen; output:\n{''.join(lines)}")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_run_stops_cleanly_on_signal(write_config, sig: signal.Signals) -> None:  # type: ignore[no-untyped-def]
    config = write_config(feeds=["http://127.0.0.1:9/feed.xml"])  # nothing listens there: the feed fails
    process = _start(config)
    try:
        _wait_for(process, "feed_polled")
        process.send_signal(sig)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()


def test_an_invalid_edit_keeps_the_last_good_config(write_config) -> None:  # type: ignore[no-untyped-def]
    config = write_config(feeds=["http://127.0.0.1:9/feed.xml"], poll_every="10s")
    process = _start(config)
    try:
        _wait_for(process, "monitor running")
        text = config.read_text()
        config.write_text(text.replace('timezone = "Europe/London"', 'timezone = "Nowhere/Town"'))
        lines = _wait_for(process, "config change ignored", timeout=60)
        assert "Nowhere/Town" in lines[-1]
        assert process.poll() is None, "the daemon died on a bad edit"
        config.write_text(text.replace('quiet = "skip"', 'quiet = "note"'))
        _wait_for(process, "config reloaded", timeout=60)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()


def test_second_daemon_on_the_same_sqlite_file_is_refused(write_config) -> None:  # type: ignore[no-untyped-def]
    config = write_config(feeds=["http://127.0.0.1:9/feed.xml"])
    first = _start(config)
    try:
        _wait_for(first, "monitor running")
        second = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert "another monitor daemon" in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
