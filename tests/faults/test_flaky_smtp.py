"""Flaky SMTP through `monitor digest` (method smtp, aiosmtpd on loopback).

Refused connection, 451, 550 and a connection dropped after DATA. Whatever happens, a
digest is either delivered once, or still pending with a retry time, or failed and
reported; never lost, never two different digests for one period.
"""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.faults.conftest import make_config, run_monitor, status_json
from tests.faults.flaky_smtp import FlakySmtp
from tests.support.servers import free_port

pytestmark = pytest.mark.devset


def digests(folder: Path) -> list[dict]:
    with sqlite3.connect(folder / "monitor.db") as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("SELECT * FROM digest ORDER BY id")]


def unbound(folder: Path) -> int:
    with sqlite3.connect(folder / "monitor.db") as conn:
        return conn.execute("SELECT count(*) FROM development WHERE digest_id IS NULL").fetchone()[0]


def digest_ok(config: Path) -> str:
    run = run_monitor(config, "digest", timeout=90)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    return run.stdout


def test_refused_connection_then_server_up(devset_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()  # nothing listens there yet
    config = make_config(tmp_path, feeds=devset_db, method="smtp", smtp_port=port)
    out = digest_ok(config)
    assert "not sent" in out and "cannot connect" in out and "retry at" in out, out
    [row] = digests(tmp_path)
    assert row["status"] == "pending" and row["attempts"] == 1 and row["new_developments"] > 0
    assert datetime.fromisoformat(row["next_attempt_at"]).replace(tzinfo=UTC) > datetime.now(UTC)
    assert status_json(config)["topics"][0]["digests_pending"] == 1
    assert unbound(tmp_path) == 0  # everything is bound to the pending digest: no second digest of it

    with FlakySmtp(port) as smtp:
        out = digest_ok(config)  # `monitor digest` first flushes what is pending, backoff or not
        assert smtp.message_ids() == [row["message_id"]], out
        digest_ok(config)
        assert smtp.message_ids() == [row["message_id"]]  # exactly once
    sent = [d for d in digests(tmp_path) if d["status"] == "sent"]
    assert [d["id"] for d in sent] == [row["id"]]
    assert not [d for d in digests(tmp_path) if d["status"] == "pending"]


def test_451_is_retried_and_sent_once(devset_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with FlakySmtp() as smtp:
        config = make_config(tmp_path, feeds=devset_db, method="smtp", smtp_port=smtp.port)
        smtp.mode = "451"
        out = digest_ok(config)
        assert "451" in out and "retry at" in out, out
        [row] = digests(tmp_path)
        assert row["status"] == "pending" and "451" in row["last_error"]
        assert smtp.accepted == []
        smtp.mode = "ok"
        digest_ok(config)
        digest_ok(config)
        assert smtp.message_ids() == [row["message_id"]]
        assert set(smtp.message_ids("seen")) == {row["message_id"]}
    assert [d["status"] for d in digests(tmp_path) if d["status"] != "skipped"] == ["sent"]


def test_550_is_failed_reported_and_rolled_over(devset_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with FlakySmtp() as smtp:
        config = make_config(tmp_path, feeds=devset_db, method="smtp", smtp_port=smtp.port)
        smtp.mode = "550"
        out = digest_ok(config)
        assert "failed for good" in out and "550" in out, out
        [failed] = digests(tmp_path)
        assert failed["status"] == "failed" and "550" in failed["last_error"]
        status = status_json(config)["topics"][0]
        assert status["digests_failed"] == 1
        text_status = run_monitor(config, "status").stdout
        assert "failed 1" in text_status, text_status
        assert f"failed digest {failed['message_id']}: SMTP server" in text_status, text_status
        assert "550 5.7.1 Message rejected by policy" in text_status, text_status
        assert status["failed_digests"][0]["message_id"] == failed["message_id"]
        # Not dropped: what the failed digest covered goes into the next one.
        assert unbound(tmp_path) == failed["new_developments"] + failed["changed_facts"] > 0

        smtp.mode = "ok"
        digest_ok(config)
        assert len(smtp.accepted) == 1
        message = smtp.accepted[0]
        assert str(message["Message-ID"]).strip() != failed["message_id"]
        text = message.get_body(("plain",)).get_content()
        assert "FAILED DELIVERIES" in text and "550" in text, text[-2000:]
        assert "NEW DEVELOPMENTS" in text
        sent = [d for d in digests(tmp_path) if d["status"] == "sent"]
        assert len(sent) == 1 and sent[0]["new_developments"] == failed["new_developments"]
        assert unbound(tmp_path) == 0


def test_connection_dropped_after_data_resends_same_message_id(devset_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with FlakySmtp() as smtp:
        config = make_config(tmp_path, feeds=devset_db, method="smtp", smtp_port=smtp.port)
        smtp.mode = "drop"
        out = digest_ok(config)
        assert "not sent" in out and "closed the connection" in out, out
        [row] = digests(tmp_path)
        assert row["status"] == "pending"
        smtp.mode = "ok"
        digest_ok(config)
        digest_ok(config)
        # At least once: the receiver saw the same Message-ID twice (the dropped copy and
        # the resend), and never two different digests for the one period.
        assert smtp.message_ids("seen") == [row["message_id"]] * 2
        assert smtp.message_ids() == [row["message_id"]]
        assert smtp.seen[0].get_body(("plain",)).get_content() == smtp.seen[1].get_body(("plain",)).get_content()
    assert [d["status"] for d in digests(tmp_path) if d["status"] != "skipped"] == ["sent"]


def _concurrent_digests(config: Path, n: int) -> list[str]:
    import subprocess
    import sys

    from tests.faults.conftest import ROOT

    processes = [subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "digest"],
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(n)]
    outputs = []
    for p in processes:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and "Traceback" not in err, err
        outputs.append(out)
    return outputs


def test_concurrent_digest_runs_send_one_email(devset_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Four `monitor digest` at once (an operator beside a cron job): one digest, sent once."""
    with FlakySmtp() as smtp:
        config = make_config(tmp_path, feeds=devset_db, method="smtp", smtp_port=smtp.port)
        _concurrent_digests(config, 4)
        assert len(smtp.accepted) == 1, smtp.message_ids()
        assert len(smtp.seen) == 1
    assert [d["status"] for d in digests(tmp_path) if d["status"] != "skipped"] == ["sent"]
    assert unbound(tmp_path) == 0


@pytest.mark.postgres
def test_concurrent_digest_runs_send_one_email_postgres(hostile, postgres_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _server, good = hostile
    with FlakySmtp() as smtp:
        config = make_config(tmp_path, feeds=good, method="smtp", smtp_port=smtp.port, database_url=postgres_url)
        polled = run_monitor(config, "poll")
        assert polled.returncode == 0, polled.stderr
        _concurrent_digests(config, 4)
        assert len(smtp.accepted) == 1, smtp.message_ids()
        assert len(smtp.seen) == 1
        status = status_json(config)["topics"][0]
        assert status["digests_pending"] == 0 and status["unreported_developments"] == 0, status
