"""Three `monitor run` workers on one PostgreSQL database over 300 loopback feeds.

Checks what DESIGN §4 promises for scale-out: no feed is fetched by two workers
at once, each feed is polled about once per interval, each digest period is
claimed and sent once, and the feeds of a worker killed with ``kill -9`` are
taken over within one interval plus the lease time. The feed server logs every
request with the worker's User-Agent (the only difference between the three
workers' configs).
"""
from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.scale.feedlog import FeedLogServer, Request
from tests.support.servers import BASELINE, SmtpSink

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
FEEDS = 300
INTERVAL = 10.0  # poll_every
TICK = 5.0  # the daemon ticks every max(5 s, interval / 2)
LEASE = 15.0  # [database] lease
KILL_GRACE = 1.0  # seconds after the kill in which the dead worker's last sent requests may still arrive
WORKERS = ("w1", "w2", "w3")


def write_configs(folder: Path, database_url: str, feeds: list[str], smtp_port: int) -> dict[str, Path]:
    """One config per worker, identical but for the User-Agent that tells them apart."""
    (folder / "baseline.txt").write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    feed_list = ",\n  ".join(f'"{f}"' for f in feeds)
    paths = {}
    for name in WORKERS:
        path = folder / f"{name}.toml"
        path.write_text(f"""
[database]
url = "{database_url}"
lease = "{LEASE:.0f}s"
[fetch]
allow_private_networks = true
full_text = false
concurrency = 16
per_host = 8
timeout = 10
user_agent = "monitor-scale-{name}"
[email]
method = "smtp"
sender = "monitor@example.org"
[email.smtp]
host = "127.0.0.1"
port = {smtp_port}
[[topic]]
id = "harbours"
name = "Harbour news"
baseline = "baseline.txt"
feeds = [
  {feed_list}
]
poll_every = "{INTERVAL:.0f}s"
terms = ["Xi Jinping", "Putin"]
[topic.digest]
schedule = "* * * * *"
timezone = "UTC"
recipients = ["analyst@example.org"]
quiet = "note"
""", encoding="utf-8")
        paths[name] = path
    return paths


def start_worker(config: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    return subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("wb"))


def tails(logs: dict[str, Path]) -> str:
    return "\n".join(f"--- {name} ---\n" + "\n".join(p.read_text(errors="replace").splitlines()[-25:])
                     for name, p in logs.items())


def test_three_workers_share_the_feeds_and_the_digests(tmp_path: Path, postgres_url: str) -> None:
    with FeedLogServer(FEEDS, latency=0.05) as server, SmtpSink() as smtp:
        configs = write_configs(tmp_path, postgres_url, server.urls(), smtp.port)
        logs = {name: tmp_path / f"{name}.log" for name in WORKERS}
        started = time.monotonic()
        wall_started = datetime.now(UTC)
        # All three start together on an empty database: migrations and the first
        # sync of topic and feed rows must not trip over each other.
        procs = {name: start_worker(configs[name], logs[name]) for name in WORKERS}
        try:
            # Every worker gets some feeds to poll.
            deadline = started + 40
            while time.monotonic() < deadline:
                by = Counter(r.worker for r in server.requests)
                if all(by[f"monitor-scale-{n}"] for n in WORKERS) and time.monotonic() > started + 20:
                    break
                for name, proc in procs.items():
                    assert proc.poll() is None, f"{name} exited early\n{tails(logs)}"
                time.sleep(0.2)
            # Kill a worker while it has requests in flight, so it dies holding leases.
            deadline = time.monotonic() + 25
            busy: list[str] = []
            while not busy and time.monotonic() < deadline:
                busy = [n for n in WORKERS if server.in_flight.get(f"monitor-scale-{n}")]
                time.sleep(0.005)
            victim = busy[0] if busy else "w1"
            survivors = [n for n in WORKERS if n != victim]
            killed_pid = procs[victim].pid
            os.kill(killed_pid, signal.SIGKILL)
            killed_at = time.monotonic()
            procs[victim].wait(10)
            engine = create_engine(postgres_url)
            with engine.connect() as conn:
                leased = {row[0] for row in conn.execute(text(
                    "SELECT current_url FROM feed WHERE lease_owner LIKE :owner AND lease_expires_at > now()"),
                    {"owner": f"%:{killed_pid}"})}
            # The others carry on past the dead worker's leases and a digest slot or two.
            end = max(killed_at + INTERVAL + LEASE + 10, started + 70)
            while time.monotonic() < end:
                for name in survivors:
                    assert procs[name].poll() is None, f"{name} exited early\n{tails(logs)}"
                time.sleep(0.5)
        finally:
            stopping = time.monotonic()
            for proc in procs.values():
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
            codes = {name: proc.wait(30) for name, proc in procs.items()}
        stopped = time.monotonic()
        assert all(codes[n] == 0 for n in survivors), tails(logs)
        requests = sorted(server.requests, key=lambda r: r.start)
        time.sleep(1)  # let the SMTP sink finish storing

    assert not [line for p in logs.values() for line in p.read_text().splitlines()
                if "Traceback" in line or " CRITICAL " in line or "tick failed" in line], tails(logs)
    by_feed: dict[int, list[Request]] = defaultdict(list)
    for r in requests:
        by_feed[r.feed].append(r)
    assert len(by_feed) == FEEDS
    by_worker = Counter(r.worker for r in requests)
    assert all(by_worker[f"monitor-scale-{n}"] > 0 for n in WORKERS), by_worker

    # No feed fetched by two workers at once, nor twice within one interval.
    for feed, polls in by_feed.items():
        for before, after in itertools.pairwise(polls):
            assert after.start >= before.end, f"feed {feed} fetched twice at once: {before} {after}"
            assert after.start - before.start >= 0.5 * INTERVAL, f"feed {feed} polled too soon: {before} {after}"

    # About one poll per interval per feed: a due feed waits for the next tick (up to
    # TICK more), so the ideal is INTERVAL / (INTERVAL + TICK / 2) = 0.8 of a poll per
    # interval, less the poll's own time: on a busy two-CPU machine running three workers,
    # PostgreSQL and the feed server, means of 0.69-0.75 were measured, and 0.59-0.62 on a
    # machine that ran the engine at half its usual speed, so the floor is 0.5 (a worker that
    # skipped every other tick would give 0.4). The killed worker's leased
    # feeds miss up to INTERVAL + LEASE; their takeover is checked below, so they stay out
    # of this count.
    first = min(r.start for r in requests)
    expected = (stopping - first) / INTERVAL
    steady = [f for f in by_feed if server.urls()[f] not in leased]
    counts = {feed: len(polls) for feed, polls in by_feed.items()}
    ratios = sorted(counts[f] / expected for f in steady)
    assert ratios[0] >= 0.5 and ratios[-1] <= 1.5, (ratios[:5], ratios[-5:], expected)
    mean = sum(counts[f] for f in steady) / len(steady) / expected
    assert 0.5 <= mean <= 1.1, mean
    gaps = sorted(b.start - a.start for f in steady for a, b in itertools.pairwise(by_feed[f]))
    # a feed comes due 0.9-1.1 intervals after its last poll (the ±10 % spread) and waits for the next tick
    assert INTERVAL <= gaps[len(gaps) // 2] <= 1.1 * INTERVAL + TICK, gaps[len(gaps) // 2]

    # The killed worker held leases; the others took those feeds over within an interval plus the lease.
    assert leased, f"{victim} was killed holding no lease: nothing to take over"
    # A request the victim sent just before the kill can reach the server's handler a moment after it (the
    # bytes were already in the socket): such late arrivals are the dead worker's last traffic, not a poll.
    dead = f"monitor-scale-{victim}"
    assert not [r for r in requests if r.worker == dead and r.start > killed_at + KILL_GRACE], "a killed worker polled"
    urls = server.urls()
    for feed in (urls.index(u) for u in leased):
        after = [r for r in by_feed[feed] if r.start > killed_at and r.worker != dead]
        assert after, f"feed {feed} of the killed worker never polled again"
        assert after[0].start - killed_at <= INTERVAL + LEASE + 3, (feed, after[0].start - killed_at)
    # Every feed is still polled at the end.
    for feed, polls in by_feed.items():
        assert stopping - polls[-1].start <= 2 * INTERVAL + TICK, f"feed {feed} stopped being polled"

    # One digest per minute slot, every one sent exactly once.
    with create_engine(postgres_url).connect() as conn:
        digests = conn.execute(text("SELECT period_key, status, message_id FROM digest ORDER BY period_key")).all()
    keys = [d.period_key for d in digests]
    assert len(keys) == len(set(keys))
    minutes = int((stopped - started) // 60)
    assert minutes <= len(keys) <= minutes + 1, (keys, wall_started)
    assert all(d.status == "sent" for d in digests), digests
    sent = Counter(m["Message-ID"] for m in smtp.messages)
    assert sent == Counter(d.message_id for d in digests), (sent, digests)
    print(f"requests by worker {dict(by_worker)}; {victim} held {len(leased)} leases when killed; "
          f"polls per feed {min(counts.values())}-{max(counts.values())} (expected {expected:.1f}); "
          f"digests {keys}")
