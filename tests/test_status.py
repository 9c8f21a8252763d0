"""`monitor status`: what an operator needs to see, as a table and as JSON."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.scripted import rss, scripted_server

ROOT = Path(__file__).resolve().parents[1]


def monitor(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_status_shows_topics_and_each_feeds_health(write_config) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        server.route("/good", 200, rss(("g1", "Xi Jinping arrives in Moscow for talks with Putin")))
        server.route("/broken", 500, b"oops")
        server.route("/moved", 301, b"", Location=server.base + "/good2")
        server.route("/good2", 200, rss(("g2", "Weather")))
        server.route("/gone", 410, b"")
        feeds = [server.base + p for p in ("/good", "/broken", "/moved", "/gone")]
        config = write_config(feeds=feeds)
        polled = monitor(config, "poll")
        assert polled.returncode == 0, polled.stderr
        assert "4 feeds polled" in polled.stdout and "failed: " + server.base + "/broken" in polled.stdout

        table = monitor(config, "status")
        assert table.returncode == 0, table.stderr
        text = table.stdout
        assert "topic xi-putin — Xi Jinping meets Putin" in text
        assert "HTTP 500" in text
        assert f"(moved from {server.base}/moved)" in text
        assert "disabled" in text
        assert "next digest in" in text

        data = json.loads(monitor(config, "status", "--json").stdout)
        topic = data["topics"][0]
        assert topic["feeds"] == 4 and topic["articles"] == 2
        by_url = {f["configured_url"]: f for f in topic["feed_status"]}
        assert by_url[server.base + "/broken"]["error_streak"] == 1
        assert by_url[server.base + "/broken"]["last_success"] is None
        assert by_url[server.base + "/good"]["last_success"] is not None
        assert by_url[server.base + "/moved"]["moved"] is True
        assert by_url[server.base + "/gone"]["disabled"]
        assert all(f["next_poll"] for f in topic["feed_status"] if not f["disabled"])
