"""Hostile feeds through a whole `monitor poll` (a real process, a real loopback server).

Every bad input of reliability.md's H and F tables that one HTTP server can produce sits next
to the good devset feeds in one topic. The poll must exit 0, give one clear line per bad feed,
store the good feeds' articles, stay within a time and memory bound, and the next poll must
back off (error streak, next poll time, Retry-After, 410 never asked again).
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.faults.conftest import feed_status, run_monitor
from tests.faults.hostile import closing_listener
from tests.support.servers import free_port

pytestmark = pytest.mark.devset

TIMEOUT_S = 3  # [fetch] timeout: the total deadline of one request
MAX_BYTES = 16 * 1024 * 1024
POLL_BOUND_S = 40  # wall time of the whole hostile poll (process start included)
RSS_BOUND_MB = 600  # peak RSS of the monitor process and its parse worker

# path → a word the one-line error must contain (lower case). None: the feed may be read.
FAILING = {
    "/drip": "deadline",
    "/stall": "timed out",
    "/bomb": "cap",
    "/endless": "cap",
    "/undefined-entities": "undefined entity",
    "/html": "",  # "not a feed" or similar: any one line
    "/empty": "empty",
    "/redirect/6": "too many redirects",
    "/loop-a": "too many redirects",
    "/status/500": "500",
    "/status/503?retry=3600": "503",
    "/status/429?retry=120": "429",
    "/status/404": "404",
    "/status/410": "410",
    "/truncated": "",
    "/pdf": "",
}
READABLE = ["/billion-laughs", "/xxe", "/wrong-encoding", "/duplicate-guids", "/changing-guids", "/huge",
            "/unresolvable-links"]
EITHER = ["/invalid-xml"]  # read as far as sensible, or one clear line


def hostile_config(write_config, feeds: list[str], **kw) -> Path:  # type: ignore[no-untyped-def]
    path = write_config(feeds=feeds, **kw)
    text = path.read_text()
    text = text.replace("timeout = 20\n", f"timeout = {TIMEOUT_S}\nmax_bytes = {MAX_BYTES}\n", 1)
    text = text.replace("concurrency = 8\nper_host = 4", "concurrency = 16\nper_host = 12", 1)
    path.write_text(text)
    return path


def articles(db: Path) -> list[tuple[str, str, str, str]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT f.url, a.entry_key, a.title || ' ' || a.summary || ' ' || a.body, "
                            "a.body_source FROM article a JOIN feed f ON f.id = a.feed_id").fetchall()


@pytest.mark.slow
def test_every_hostile_feed_at_once(hostile, write_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server, good = hostile
    with closing_listener() as closing:
        refused = f"http://127.0.0.1:{free_port()}/feed.xml"  # nothing listens there
        bad = {server.url(p): p for p in [*FAILING, *READABLE, *EITHER]}
        bad[closing], bad[refused] = "(closes at once)", "(connection refused)"
        config = hostile_config(write_config, [*good, *bad])

        first = run_monitor(config, "poll", timeout=120)
        print(f"\nhostile poll: {len(bad)} bad + {len(good)} good feeds, wall {first.seconds:.1f} s, "
              f"peak RSS {first.max_rss_mb:.0f} MB")
        assert first.returncode == 0, first.stderr
        assert "Traceback" not in first.stderr + first.stdout
        assert first.seconds < POLL_BOUND_S, f"hostile poll took {first.seconds:.1f} s"
        assert first.max_rss_mb < RSS_BOUND_MB, f"hostile poll peaked at {first.max_rss_mb:.0f} MB"

        # One clear line per failing feed in the poll's output, and the same error in status.
        failed_lines = [line for line in first.stdout.splitlines() if line.startswith("  failed: ")]
        expected_failures = {u for u, p in bad.items() if p in FAILING or p.startswith("(")}
        status = feed_status(config)
        for url in expected_failures:
            mine = [line for line in failed_lines if line.startswith(f"  failed: {url}: ")]
            assert len(mine) == 1, f"{url}: expected one failure line, got {mine}\n{first.stdout}"
            word = FAILING.get(bad[url], "")
            assert word in mine[0].lower(), mine[0]
            assert len(mine[0]) < 400, mine[0]
            row = status[url]
            assert row["last_error"] and "\n" not in row["last_error"], row
            assert row["error_streak"] == (0 if bad[url] == "/status/410" else 1), row
        assert len(failed_lines) == len(expected_failures) + sum(
            1 for line in failed_lines if any(line.startswith(f"  failed: {server.url(p)}: ") for p in EITHER))
        summary = first.stdout.splitlines()[0]
        assert f"{len(good) + len(bad)} feeds polled" in summary, summary

        # Good feeds: fully read and stored, untouched by their hostile neighbours.
        db = tmp_path / "monitor.db"
        rows = articles(db)
        by_feed = Counter(url for url, *_ in rows)
        for url in good:
            assert status[url]["last_error"] is None and status[url]["last_status"] == 200, status[url]
            assert by_feed[url] > 0, f"nothing stored from good feed {url}"
        assert sum(by_feed[u] for u in good) >= 15, by_feed
        assert any(p.startswith("/good/articles/") for p in server.hits), "article pages were not fetched"

        # Readable-but-odd feeds were read as far as sensible, and nothing hostile leaked in.
        texts = " ".join(text for _, _, text, _ in rows)
        assert "lollollol" not in texts and "root:x:0" not in texts and "LEAKED-BY-XXE" not in texts
        assert server.hits["/xxe-target"] == 0, "an external entity was fetched"
        assert by_feed[server.url("/billion-laughs")] == 1
        assert by_feed[server.url("/wrong-encoding")] == 2
        assert "Caf" in texts and "\u20ac5" in texts, "windows-1252 text was not decoded"
        assert by_feed[server.url("/duplicate-guids")] == 2  # first of the five duplicates + the unique one
        assert "Duplicate number 0" in texts and "Duplicate number 3" not in texts
        assert by_feed[server.url("/changing-guids")] == 3
        assert by_feed[server.url("/huge")] == 500  # capped at MAX_ENTRIES of 20,000
        unresolvable = [r for r in rows if r[0] == server.url("/unresolvable-links")]
        assert len(unresolvable) == 3 and {r[3] for r in unresolvable} == {"summary"}, unresolvable
        assert "article page not fetched" in first.stderr and "127.0.0.1:9/world/" in first.stderr
        keys = Counter((url, key) for url, key, *_ in rows)
        assert max(keys.values()) == 1

        # The second poll: backoff recorded, 410 never asked again, Retry-After honoured,
        # no entry stored twice (ever-changing GUIDs included).
        hits_410 = server.hits["/status/410"]
        before = len(rows)
        asked = datetime.now(UTC)  # no poll of the second run starts before this
        second = run_monitor(config, "poll", timeout=120)
        assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr
        now = datetime.now(UTC)
        status2 = feed_status(config)
        assert server.hits["/status/410"] == hits_410, "a 410 Gone feed was requested again"
        gone = status2[server.url("/status/410")]
        assert gone["disabled"] and "410" in gone["disabled"]
        for url in expected_failures - {server.url("/status/410")}:
            row = status2[url]
            assert row["error_streak"] == 2, row
            next_poll = datetime.fromisoformat(row["next_poll"])
            assert next_poll > now + timedelta(minutes=30), row  # 15 m x 2^2, +-10 %
        retry = datetime.fromisoformat(status2[server.url("/status/503?retry=3600")]["next_poll"])
        assert retry >= asked + timedelta(seconds=3600), (retry, asked)  # the spread never cuts a server's wait
        rows2 = articles(db)
        assert len(rows2) == before, "the second poll stored entries again"
        assert Counter(u for u, *_ in rows2)[server.url("/changing-guids")] == 3
        for url in good:
            assert status2[url]["error_streak"] == 0


def test_private_address_is_refused_by_policy(write_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With allow_private_networks = false, a feed on 10.255.255.1 is refused before any connection."""
    private = "http://10.255.255.1/feed.xml"
    loopback = "http://127.0.0.1:9/feed.xml"
    config = hostile_config(write_config, [private, loopback])
    config.write_text(config.read_text().replace("allow_private_networks = true", "allow_private_networks = false"))
    run = run_monitor(config, "poll", timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.seconds < 15  # a connect attempt to a black-holed address would hit the timeout
    lines = [line for line in run.stdout.splitlines() if line.startswith("  failed: ")]
    assert f"  failed: {private}: refused: 10.255.255.1 is a private address" in "\n".join(lines), run.stdout
    assert f"  failed: {loopback}: refused: 127.0.0.1 is a loopback address" in "\n".join(lines), run.stdout
    assert "allow_private_networks = true" in lines[0]
    status = feed_status(config)
    assert status[private]["last_error"].startswith("refused:")
