"""kill -9 of a real `monitor` process mid-poll and mid-digest, then a normal run.

A poll commits once at its end, so a kill loses at most that poll; the next one must redo it
without manual repair (no stale lease blocking the feeds, no duplicate articles). A digest is
stored before it is sent, so a kill mid-delivery leaves it pending; the next `monitor digest`
sends the same stored message (same Message-ID) and creates no second digest of it.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.faults.conftest import make_config, run_monitor, start_monitor
from tests.faults.flaky_smtp import FlakySmtp

pytestmark = pytest.mark.devset
TRIALS = 5


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def kill9(process, after: float) -> str:  # type: ignore[no-untyped-def]
    """SIGKILL ``process`` ``after`` seconds from now (unless it finished); say which happened."""
    deadline = time.monotonic() + after
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    if process.poll() is not None:
        return f"finished ({process.returncode}) before {after:.2f} s"
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(10) == -signal.SIGKILL
    return f"killed at {after:.2f} s"


@pytest.mark.slow
def test_kill9_mid_poll_then_a_normal_poll(hostile, polled_devset, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, good = hostile
    reference_db, _ = polled_devset
    expected = query(reference_db, "SELECT count(*) FROM article")[0][0]
    assert expected > 0
    config = make_config(tmp_path, feeds=good)
    db = tmp_path / "monitor.db"
    server.delay = 1.0  # every feed and article page takes a second: the poll is in flight for a while
    rng = random.Random(int(time.time()))
    outcomes = []
    for _ in range(TRIALS):
        process = start_monitor(config, "poll")
        try:
            outcomes.append(kill9(process, rng.uniform(1.0, 5.0)))
        finally:
            process.kill()
            process.wait()
    print("\nkill -9 mid-poll:", "; ".join(outcomes))
    assert any(o.startswith("killed") for o in outcomes)

    server.delay = 0
    started = time.monotonic()
    run = run_monitor(config, "poll")
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert f"{len(good)} feeds polled" in run.stdout, run.stdout  # no stale lease kept a feed out
    assert time.monotonic() - started < 30
    keys = Counter(k for (k,) in query(db, "SELECT entry_key FROM article"))
    assert sum(keys.values()) == expected, f"{sum(keys.values())} articles stored, expected {expected}"
    assert max(keys.values()) == 1, [k for k, n in keys.items() if n > 1]
    assert query(db, "SELECT count(*) FROM feed WHERE lease_owner IS NOT NULL") == [(0,)]
    assert query(db, "SELECT count(*) FROM feed WHERE last_success_at IS NULL") == [(0,)]
    # The diff engine's memory was committed with the articles: developments exist, once each.
    devs = query(db, "SELECT key FROM development")
    assert devs and len(devs) == len(set(devs))


def test_kill9_mid_delivery_resends_the_same_message(devset_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with FlakySmtp() as smtp:
        config = make_config(tmp_path, feeds=devset_db, method="smtp", smtp_port=smtp.port)
        db = tmp_path / "monitor.db"
        smtp.mode = "stall"  # takes the message, then says nothing
        process = start_monitor(config, "digest")
        try:
            assert smtp.data_arrived.wait(60), "the digest never reached the server"
            os.kill(process.pid, signal.SIGKILL)
            assert process.wait(10) == -signal.SIGKILL
        finally:
            process.kill()
            process.wait()
        [(digest_id, message_id, status)] = query(db, "SELECT id, message_id, status FROM digest")
        assert status == "pending"

        smtp.mode = "ok"
        run = run_monitor(config, "digest")
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
        again = run_monitor(config, "digest")
        assert again.returncode == 0
        assert smtp.message_ids() == [message_id], "the pending digest was not resent exactly once"
        assert smtp.message_ids("seen") == [message_id, message_id]  # ≤ 2 copies, one Message-ID
        rows = query(db, "SELECT id, status FROM digest WHERE status != 'skipped'")
        assert rows == [(digest_id, "sent")], rows
        assert query(db, "SELECT count(*) FROM development WHERE digest_id IS NULL OR digest_id != "
                         f"{digest_id}") == [(0,)]


@pytest.mark.slow
def test_kill9_at_random_moments_of_digest(devset_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Kill `monitor digest` at random moments (render, store, send, mark); nothing lost or doubled."""
    with FlakySmtp() as smtp:
        config = make_config(tmp_path, feeds=devset_db, method="smtp", smtp_port=smtp.port)
        db = tmp_path / "monitor.db"
        developments = query(db, "SELECT count(*) FROM development")[0][0]
        rng = random.Random(int(time.time()))
        outcomes = []
        for _ in range(TRIALS):
            process = start_monitor(config, "digest")
            try:
                outcomes.append(kill9(process, rng.uniform(0.3, 2.2)))
            finally:
                process.kill()
                process.wait()
        print("\nkill -9 mid-digest:", "; ".join(outcomes))
        final = run_monitor(config, "digest")
        assert final.returncode == 0 and "Traceback" not in final.stderr, final.stderr
        ids = Counter(smtp.message_ids())
        assert ids and max(ids.values()) <= 2, ids  # at most the one RFC 1047 duplicate
        sent = query(db, "SELECT message_id FROM digest WHERE status = 'sent'")
        assert {m for (m,) in sent} == set(ids), (sent, ids)
        assert query(db, "SELECT count(*) FROM digest WHERE status = 'pending'") == [(0,)]
        # Every development went out in exactly one sent digest.
        bound = query(db, "SELECT d.status, count(*) FROM development v JOIN digest d ON d.id = v.digest_id "
                          "GROUP BY d.status")
        assert bound == [("sent", developments)], bound
