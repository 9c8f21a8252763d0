"""Conflicting reports through the whole path: articles served on loopback, polled, analysed and put in a digest.

A development is one of conflicting reports when one of its reports says another is wrong (a denial of a report,
an outlet's retraction); a development whose reports merely differ in label, or say "not", is not."""
from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.digests import create_digest, deliver_pending, preview
from monitor.poll import poll_topic, sync_topics
from monitor.store import open_database
from tests.support.servers import make_feeds, static_site

pytestmark = pytest.mark.devset  # the feeds are made by ../shared/tools/make_feeds.py

CLAIM = ("Russia and China signed a contract for the Power of Siberia 2 gas pipeline during Xi Jinping's visit to "
         "Moscow, Russian media reported on Tuesday.")
DENIAL = ("China's foreign ministry on Wednesday denied reports that Russia and China had signed a contract for the "
          "Power of Siberia 2 gas pipeline during Xi Jinping's visit to Moscow.")
ARRIVAL = ("Xi Jinping arrived in Moscow on Monday for a three-day state visit, landing at Vnukovo airport as the "
           "Kremlin had announced.")
NOT_MET = "He was not met at the airport by Putin, who received him at the Kremlin later in the day."


def article(n: int, source: str, published: str, title: str, *sentences: str, feed: str = "") -> dict:
    return {"id": f"c{n}", "source": source, "feed": feed or f"feed-{n}", "published": published,
            "url": f"https://example-news-{n}.test/world/story-{n}", "title": title,
            "summary": sentences[0], "body": " ".join(sentences)}


def claim_article(feed: str = "") -> dict:
    return article(2, "Wire A", "2023-03-21T18:00:00+00:00", "Putin and Xi sign gas pipeline contract, media report",
                   CLAIM, "The pipeline would carry 50 billion cubic metres of Russian gas a year to China.", feed=feed)


def denial_article(feed: str = "") -> dict:
    return article(3, "Post B", "2023-03-22T09:00:00+00:00", "Beijing denies Power of Siberia 2 contract report",
                   DENIAL, "Spokesman Wang Wenbin said the two sides would keep studying the route through Mongolia.",
                   feed=feed)


def publish(site: Path, base: str, articles: list[dict], stamp: float | None = None) -> list[str]:
    """Serve `articles` as feeds and pages; with `stamp`, as files modified then (a later Last-Modified than an
    earlier poll saw: its resolution is one second)."""
    path = site.parent / "articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    feeds = make_feeds(site, base, articles=path)
    if stamp is not None:
        for served in site.rglob("*"):
            os.utime(served, (stamp, stamp))
    return feeds


def first_poll(write_config, feeds: list[str], now: datetime):  # type: ignore[no-untyped-def]
    """The config, database and topic watching `feeds`, polled once at `now`."""
    config = load_config(write_config(feeds=feeds), environ={})
    database = open_database(config.database_url)
    topic = config.topic[0]
    sync_topics(database, config, now)
    poll_topic(database, config, topic, now=now)
    return config, database, topic


def developments(gathered) -> tuple:  # type: ignore[no-untyped-def]
    return (*gathered.data.changed_facts, *gathered.data.developments)


def test_only_a_report_that_says_another_is_wrong_makes_conflicting_reports(tmp_path: Path, write_config) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    site.mkdir()
    with static_site(site) as (base, _server):
        feeds = publish(site, base, [
            article(1, "Herald C", "2023-03-20T15:00:00+00:00", "Xi lands in Moscow for three-day state visit",
                    ARRIVAL, NOT_MET),
            claim_article(),
            denial_article(),
        ])
        now = datetime(2023, 3, 22, 12, tzinfo=UTC)
        config, database, topic = first_poll(write_config, feeds, now)
        gathered, rendered = preview(database, config, topic, now)
    items = {m.text: d for d in developments(gathered) for m in d.mentions}
    assert DENIAL in items and ARRIVAL in items, "the test's articles were not all taken as news"
    assert items[DENIAL].conflict is not None and items[DENIAL].conflict.text == DENIAL
    outlet = items[DENIAL].conflict.outlet
    assert "Post B" in outlet
    assert items[ARRIVAL].conflict is None
    flagged = [d for d in developments(gathered) if d.conflict]
    assert flagged == [items[DENIAL]]
    assert " ".join(rendered.text.split()).count(f"conflicting reports: {outlet} reports a denial or a correction") == 1
    assert f"{outlet} reports a denial or a correction" in rendered.html


def test_a_denial_of_what_was_emailed_comes_back_as_an_update_to_it(tmp_path: Path, write_config) -> None:  # type: ignore[no-untyped-def]
    """The reader was told of the contract; a later report that it was never signed is news again, though the
    development was emailed, where one more report of the same contract is not."""
    claim, denial = claim_article("wire"), denial_article("wire")  # one feed, polled again and again
    site = tmp_path / "site"
    site.mkdir()
    with static_site(site) as (base, _server):
        first = datetime(2023, 3, 21, 20, tzinfo=UTC)
        config, database, topic = first_poll(write_config, publish(site, base, [claim]), first)
        assert create_digest(database, config, topic, first, "first") is not None
        deliver_pending(database, config, first)

        stamp = time.time() + 10
        publish(site, base, [claim, denial], stamp)
        later = datetime(2023, 3, 22, 12, tzinfo=UTC)
        poll_topic(database, config, topic, now=later)
        gathered, rendered = preview(database, config, topic, later)
        [item] = [d for d in developments(gathered) if any(m.text == DENIAL for m in d.mentions)]
        assert item.previously_reported, "the denial should have joined the contract's development, emailed before"
        assert item.conflict is not None and item.conflict.text == DENIAL
        assert "update to a development reported earlier" in " ".join(rendered.text.split())
        assert create_digest(database, config, topic, later, "second") is not None
        deliver_pending(database, config, later)

        # another outlet repeating the denial the reader has had: not news a third time
        again = article(4, "Gazette D", "2023-03-22T15:00:00+00:00", "China says no pipeline contract was signed",
                        DENIAL.replace("China's foreign ministry on Wednesday", "Beijing on Wednesday"), feed="wire")
        publish(site, base, [claim, denial, again], stamp + 10)
        last = datetime(2023, 3, 22, 18, tzinfo=UTC)
        poll_topic(database, config, topic, now=last)
        gathered, _rendered = preview(database, config, topic, last)
    assert not [d for d in developments(gathered) if any("denied reports" in m.text for m in d.mentions)]
