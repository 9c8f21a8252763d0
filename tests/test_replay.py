"""Replay the devset coverage as it appeared over time: a poll and a digest after each of six cuts.

Measures what a reader of the digests gets (DESIGN §1, issue "the digest a reader wants"):
developments reported in the first digest after their first report, none repeated, no
baseline restatement quoted, changed baseline facts shown beside the news.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections import defaultdict
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.digests import create_digest, deliver_pending
from monitor.poll import poll_topic, sync_topics
from monitor.store import open_database
from tests.support.servers import DEVSET, make_feeds, static_site

pytestmark = pytest.mark.devset

CUTS = ["2023-03-20T12:00:00+00:00", "2023-03-21T12:00:00+00:00", "2023-03-23T00:00:00+00:00",
        "2023-05-31T00:00:00+00:00", "2024-06-30T00:00:00+00:00", "2025-12-31T00:00:00+00:00"]


def _flat(text: str) -> str:
    return " ".join(text.split())


def replay(tmp_path: Path, write_config) -> tuple[list[dict], list[str]]:  # type: ignore[no-untyped-def]
    """Run the six polls and digests; return the gold articles and each digest's plain text."""
    site = tmp_path / "site"
    site.mkdir()
    digests: list[str] = []
    with static_site(site) as (base, _server):
        feeds = make_feeds(site, base)  # every feed file exists from the start
        config = load_config(write_config(feeds=feeds, quiet="note"), environ={})
        database = open_database(config.database_url)
        topic = config.topic[0]
        for n, cut in enumerate(CUTS):
            for old in site.iterdir():
                if old.is_file():
                    old.unlink()
                elif old.is_dir():
                    shutil.rmtree(old)
            cut_feeds = make_feeds(site, base, "--until", cut, "--all-formats")
            for url in feeds:  # a feed with no article yet is an empty feed, not a 404
                name = url.rsplit("/", 1)[1]
                if base + name not in cut_feeds:
                    (site / name).write_text(_empty_feed(name), encoding="utf-8")
            stamp = time.time() + 10 * n  # a whole second later each cut: If-Modified-Since has 1 s resolution
            for path in site.rglob("*"):
                os.utime(path, (stamp, stamp))
            now = datetime.fromisoformat(cut).astimezone(UTC)
            sync_topics(database, config, now)
            poll_topic(database, config, topic, now=now)
            create_digest(database, config, topic, now, f"replay-{n}")
            deliver_pending(database, config, now)
    for path in sorted((tmp_path / "outbox").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        digests.append((message["Message-ID"], message.get_body(("plain",)).get_content()))
    digests.sort(key=lambda m: int(re.search(r"replay-(\d+)", m[0]).group(1)))  # type: ignore[union-attr]
    articles = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return articles, [text for _, text in digests]


def _empty_feed(name: str) -> str:
    if name.endswith(".atom"):
        return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f'<title>{name}</title><id>urn:{name}</id><updated>2023-03-01T00:00:00Z</updated></feed>')
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
            '<link>http://127.0.0.1/</link><description>empty</description></channel></rss>')


def test_replay_reports_each_development_once_and_on_time(tmp_path: Path, write_config) -> None:  # type: ignore[no-untyped-def]
    articles, digests = replay(tmp_path, write_config)
    assert len(digests) == len(CUTS)
    flat = [_flat(d) for d in digests]
    cut_times = [datetime.fromisoformat(c) for c in CUTS]

    first_report: dict[str, datetime] = {}
    sentences: dict[str, list[str]] = defaultdict(list)
    updates: list[tuple[str, str]] = []
    for article in articles:
        if article.get("duplicate_of"):
            continue
        published = datetime.fromisoformat(article["published"])
        for sentence in article["sentences"]:
            if sentence["label"] in ("new", "update"):
                dev = sentence["dev"]
                first_report[dev] = min(first_report.get(dev, published), published)
                sentences[dev].append(sentence["text"])
                if sentence["label"] == "update":
                    updates.append((dev, sentence["text"]))
    on_time, repeated = 0, 0
    for dev, first in first_report.items():
        due = next(i for i, t in enumerate(cut_times) if t >= first)
        shown_in = [i for i, text in enumerate(flat) if any(s in text for s in sentences[dev])]
        on_time += due in shown_in
        repeated += len(shown_in) > 1
    known = [s["text"] for a in articles for s in a["sentences"] if s["label"] == "known"]
    quoted_known = [s for s in known if any(s in text for text in flat)]
    changed_shown = sum(
        any(s in _flat(text.split("NEW DEVELOPMENTS")[0]) for text in digests) for _dev, s in updates)

    on_time_share = on_time / len(first_report)
    print(f"replay: {len(first_report)} developments, on time {on_time} ({on_time_share:.0%}), "
          f"repeated {repeated}, known quoted {len(quoted_known)}, "
          f"changed facts shown {changed_shown}/{len(updates)}")
    assert on_time_share >= 0.90
    assert repeated <= 2
    assert quoted_known == []
    assert changed_shown / len(updates) >= 0.80
