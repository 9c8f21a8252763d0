"""End to end through the real command: devset feeds on loopback → poll → digest → email.

The feeds and article pages are made from ../shared/devset with make_feeds.py --pages and
served by a real HTTP server; the email goes through a real SMTP server (aiosmtpd) or to the
file outbox; the database is a real SQLite file (and PostgreSQL in the second test).
"""
from __future__ import annotations

import json
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.support.servers import DEVSET, make_feeds, static_site

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.devset


def monitor(config: Path, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), *args],
                            capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _gold() -> tuple[list[dict], set[str], set[str]]:
    articles = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    known = {s["text"] for a in articles for s in a["sentences"] if s["label"] == "known"}
    news = {s["text"] for a in articles for s in a["sentences"] if s["label"] in ("new", "update")}
    return articles, known, news


@pytest.fixture
def devset_site(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "site"
    root.mkdir()
    with static_site(root) as (base, server):
        feeds = make_feeds(root, base)
        yield feeds, server


def test_poll_and_digest_by_smtp(devset_site, write_config, smtp_sink) -> None:  # type: ignore[no-untyped-def]
    feeds, server = devset_site
    config = write_config(feeds=feeds, method="smtp", smtp_port=smtp_sink.port,
                          recipients=("analyst@example.org", "desk@example.org"))
    assert monitor(config, "check").returncode == 0

    polled = monitor(config, "poll")
    assert polled.returncode == 0, polled.stderr
    assert f"{len(feeds)} feeds polled" in polled.stdout
    assert any("/articles/" in path for path in server.requests), "article pages were not fetched"

    sent = monitor(config, "digest")
    assert sent.returncode == 0, sent.stderr
    assert len(smtp_sink.messages) == 1
    message = smtp_sink.messages[0]
    assert set(smtp_sink.envelopes[0][1]) == {"analyst@example.org", "desk@example.org"}
    assert message.get_content_type() == "multipart/alternative"
    assert message["Message-ID"].strip().startswith("<digest.xi-putin.")
    assert "Xi Jinping meets Putin" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for heading in ("WHAT CHANGED IN THE BASELINE", "NEW DEVELOPMENTS", "STILL OPEN", "LEFT OUT", "SOURCES"):
        assert heading in text
    _articles, known, news = _gold()
    flat = " ".join(text.split())
    quoted_news = [s for s in news if s in flat]
    assert len(quoted_news) >= 10, "the digest should quote the developments it reports"
    assert not [s for s in known if s in flat], "a baseline restatement was quoted"
    assert "<script" not in html.lower()

    # Nothing already delivered is sent again; a second digest with nothing new sends nothing.
    again = monitor(config, "digest")
    assert again.returncode == 0
    assert len(smtp_sink.messages) == 1
    assert "nothing new" in again.stdout

    # A second poll finds the same entries and stores nothing twice.
    second = monitor(config, "poll")
    assert "0 new entries" in second.stdout

    status = monitor(config, "status", "--json")
    data = json.loads(status.stdout)
    topic = data["topics"][0]
    assert topic["feeds"] == len(feeds)
    assert topic["unreported_developments"] == 0
    assert all(f["last_error"] is None for f in topic["feed_status"])


def test_poll_and_digest_to_outbox_on_postgres(devset_site, write_config, postgres_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    feeds, _server = devset_site
    config = write_config(feeds=feeds, database_url=postgres_url)
    assert monitor(config, "poll").returncode == 0
    dry = monitor(config, "digest", "--dry-run", "--html", str(tmp_path / "preview.html"))
    assert dry.returncode == 0 and "NEW DEVELOPMENTS" in dry.stdout
    assert (tmp_path / "preview.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert not (tmp_path / "outbox").exists() or not list((tmp_path / "outbox").iterdir()), "--dry-run sent mail"

    assert monitor(config, "digest").returncode == 0
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    # The dry run marked nothing: the real digest has the same developments as the preview.
    subject_count = dry.stdout.splitlines()[0].removeprefix("Subject: ").strip()
    assert message["Subject"].strip() == subject_count


def test_diff_command_prints_one_object_per_article(write_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = write_config(feeds=["https://example.org/rss.xml"])
    result = monitor(config, "diff", "--topic", "xi-putin", "--articles", str(DEVSET))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    articles, _known, _news = _gold()
    assert [o["id"] for o in lines] == [a["id"] for a in articles]
    for output, article in zip(lines, articles, strict=True):
        assert set(output) >= {"id", "relevant", "duplicate_of", "sentences"}
        for sentence in output["sentences"]:
            assert article["body"][sentence["start"]:sentence["end"]] == sentence["text"]
            assert sentence["label"] in {"known", "new", "update", "background", "offtopic"}
    assert not (tmp_path / "monitor.db").exists(), "diff must not touch the database"


def test_bad_config_stops_before_anything_runs(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[[topic]]\nid = "x"\nname = "X"\nbaseline = "b.txt"\nfeeds = ["https://e.org/f"]\n'
                    '[topic.digest]\nschedule = "every morning"\n')
    result = monitor(path, "run", timeout=30)
    assert result.returncode == 1
    assert "topic[0] (id='x').digest.schedule" in result.stderr and "nothing was started" in result.stderr
    assert not (tmp_path / "data").exists()
