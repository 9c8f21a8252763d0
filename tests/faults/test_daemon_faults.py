"""`monitor run` under faults: a config broken mid-run, the database going away, a missed slot.

Each test runs the real daemon (poll_every = "10s", so a tick every 5 s) against loopback
servers, and reads its log.
"""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.faults.conftest import Output, make_config, start_monitor

pytestmark = pytest.mark.devset


def stop(process: subprocess.Popen[str], out: Output) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        assert process.wait(timeout=30) == 0, out.text
    finally:
        process.kill()


def wait_hits(server, path: str, above: int, timeout: float = 30) -> int:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while server.hits[path] <= above:
        assert time.monotonic() < deadline, f"{path} not requested again within {timeout} s"
        time.sleep(0.1)
    return server.hits[path]


# --- 4. config broken while running ------------------------------------------------------------

@pytest.mark.slow
def test_toml_syntax_error_mid_run_keeps_the_last_good_config(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Complements tests/test_daemon.py (an invalid *value*): here a TOML syntax error, a SIGHUP
    while broken and a deleted file, each reported in one line, polling going on meanwhile."""
    server, good = hostile
    first, second = good[0], good[1]
    path_a, path_b = "/" + first.split("/", 3)[3], "/" + second.split("/", 3)[3]
    config = make_config(tmp_path, feeds=[first], poll_every="10s")
    good_text = config.read_text()
    process = start_monitor(config, "run")
    out = Output(process)
    try:
        out.wait_for("feed_polled")
        config.write_text(good_text.replace("[[topic]]", "[[topic]\nfeeds = [", 1))  # TOML syntax error
        broken = out.wait_for("config change ignored")
        line = out.lines[broken]
        assert "still running the last good config" in line and "monitor.toml" in line, line
        # The last good config keeps running: feed A is polled again, at its 10 s pace.
        hits = wait_hits(server, path_a, server.hits[path_a])
        out.wait_for("feed_polled", start=broken + 1)
        assert server.hits[path_b] == 0

        process.send_signal(signal.SIGHUP)  # asked to reload while still broken: one more line
        again = out.wait_for("config change ignored", start=broken + 1)
        config.unlink()  # the file disappears (an editor's atomic save, half done)
        gone = out.wait_for("config change ignored", start=again + 1)
        assert "file not found" in out.lines[gone], out.lines[gone]
        wait_hits(server, path_a, hits)
        assert process.poll() is None, out.text

        fixed = good_text.replace(f'feeds = ["{first}"]', f'feeds = ["{first}", "{second}"]')
        config.write_text(fixed)
        out.wait_for("config reloaded", start=gone + 1)
        wait_hits(server, path_b, 0)  # the new config is in effect
        time.sleep(0.5)
        log = out.text
        assert log.count("config change ignored") == 3, log  # once per event, not once per tick
        assert "Traceback" not in log and "bug in job" not in log, log
        for line in out.lines:
            if "config change ignored" in line:
                assert line.count("\n") == 1 and len(line) < 1200, line
    finally:
        stop(process, out)


# --- 5. the database going away -------------------------------------------------------------

LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], timeout=1, isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@pytest.mark.slow
def test_sqlite_locked_during_a_tick_fails_that_tick_only(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _server, good = hostile
    config = make_config(tmp_path, feeds=good[:2], poll_every="10s")
    process = start_monitor(config, "run")
    out = Output(process)
    try:
        out.wait_for("poll topic=")
        # Another process holds the write lock longer than the daemon's 30 s busy timeout plus the
        # up to ~16 s until a feed is due again and a tick writes (poll_every 10 s +-10 %, ticks 5 s).
        locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(tmp_path / "monitor.db"), "48"],
                                  stdout=subprocess.PIPE, text=True)
        try:
            assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
            failed = out.wait_for("tick failed", timeout=60)
            assert "database is locked" in out.lines[failed], out.lines[failed]
            assert process.poll() is None
            assert locker.wait(50) == 0
        finally:
            locker.kill()
        out.wait_for("poll topic=", start=failed + 1, timeout=30)  # the next tick works
        log = out.text
        assert log.count("tick failed") == 1, log
        assert "Traceback" not in log and "bug in job" not in log, log
        print("\n" + out.lines[failed].rstrip())
    finally:
        stop(process, out)
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        assert conn.execute("SELECT count(*) FROM feed WHERE lease_owner IS NOT NULL").fetchone() == (0,)


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_backends_terminated_between_ticks(hostile, postgres_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    _server, good = hostile
    config = make_config(tmp_path, feeds=good[:2], poll_every="10s", database_url=postgres_url)
    process = start_monitor(config, "run")
    out = Output(process)
    try:
        first = out.wait_for("poll topic=")
        dbname = postgres_url.rsplit("/", 1)[1]
        admin = postgres_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            killed = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                  "WHERE datname = %s AND pid <> pg_backend_pid()", (dbname,)).fetchone()
        assert killed and killed[0] >= 1, "the daemon held no connection to terminate"
        mark = len(out.lines)
        out.wait_for("poll topic=", start=max(mark, first + 1), timeout=40)  # the next tick reconnects
        out.wait_for("poll topic=", start=out.wait_for("poll topic=", start=max(mark, first + 1)) + 1,
                     timeout=40)
        log = "".join(out.lines[mark:])
        assert log.count("tick failed") <= 1, log  # at most the step in flight; pool_pre_ping should spare even that
        assert "Traceback" not in out.text and "bug in job" not in out.text, out.text
        print(f"\nterminated {killed[0]} backend(s); log after:\n{log}")
    finally:
        stop(process, out)


# --- 6. a missed digest slot ----------------------------------------------------------------

def test_missed_slot_is_sent_once_at_start(tmp_path: Path) -> None:
    from monitor.config import load_config
    from monitor.daemon import digest_trigger
    from monitor.poll import sync_topics
    from monitor.schedule import latest_slot, slot_key
    from monitor.store import open_database
    from monitor.store.tables import DigestRow

    now = datetime.now(UTC)
    at = now - timedelta(hours=2)  # today's slot passed two hours ago, while "we were down"
    config = make_config(tmp_path, feeds=["http://127.0.0.1:9/feed.xml"], poll_every="10s",
                         schedule=f"{at.minute} {at.hour} * * *", quiet="note")
    cfg = load_config(config, environ={})
    topic = cfg.topic[0]
    slot = latest_slot(digest_trigger(topic), now)
    assert slot is not None
    yesterday = slot - timedelta(days=1)
    database = open_database(cfg.database_url)
    sync_topics(database, cfg, now - timedelta(days=3))
    with database.session() as session:  # the daemon last sent yesterday's digest
        session.add(DigestRow(topic_id=topic.id, period_key=slot_key(yesterday), period_end=yesterday,
                              created_at=yesterday, message_id="<old@x>", subject="s", text="t", html="h",
                              status="sent"))
    database.dispose()

    for run in (1, 2):  # the second start must not send it again
        process = start_monitor(config, "run")
        out = Output(process)
        try:
            out.wait_for("monitor running")
            if run == 1:
                out.wait_for("was missed while stopped")
                out.wait_for("digest_written")
                out.wait_for("feed_polled")
            else:
                time.sleep(3)  # catch-up runs at once at start; give it time to (wrongly) send
        finally:
            stop(process, out)
        if run == 2:
            assert "was missed" not in out.text, out.text
        assert "Traceback" not in out.text
    with sqlite3.connect(tmp_path / "monitor.db") as conn:
        rows = conn.execute("SELECT period_key, status FROM digest ORDER BY id").fetchall()
    assert rows == [(slot_key(yesterday), "sent"), (slot_key(slot), "sent")], rows
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_a_digest_step_failing_on_the_database_is_retried(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The cron digest job (or catch-up) failing on a database error must not lose the slot:
    catch-up is scheduled again a tick later and creates the slot's digest once."""
    from sqlalchemy.exc import OperationalError
    from sqlmodel import select

    import monitor.daemon as daemon_module
    from monitor.config import load_config
    from monitor.daemon import Daemon, digest_trigger
    from monitor.poll import sync_topics
    from monitor.schedule import latest_slot, slot_key
    from monitor.store import open_database
    from monitor.store.tables import DigestRow

    now = datetime(2023, 3, 22, 7, 0, 5, tzinfo=UTC)
    config = load_config(make_config(tmp_path, feeds=["http://127.0.0.1:9/f"], quiet="note"), environ={})
    database = open_database(config.database_url)
    sync_topics(database, config, now - timedelta(days=30))
    daemon = Daemon(config, database, clock=lambda: now)
    real = daemon_module.create_digest
    calls = []

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT INTO digest", {}, Exception("database is locked"))
        return real(*args, **kwargs)

    monkeypatch.setattr(daemon_module, "create_digest", flaky)
    daemon.digest("xi-putin")  # the 07:00 cron job hits a locked database
    assert daemon.scheduler.get_job("catch-up") is not None, "nothing will retry the lost slot"
    daemon.catch_up()  # what the scheduled retry runs
    daemon.catch_up()
    with database.session() as session:
        rows = session.exec(select(DigestRow)).all()
    slot = latest_slot(digest_trigger(config.topic[0]), now)
    assert slot is not None
    assert [(r.period_key, r.status) for r in rows] == [(slot_key(slot), "sent")]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
