"""Polling politely: conditional GET, unchanged bodies, server-requested floors, backoff, moves."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlmodel import select

from monitor.config import load_config
from monitor.poll import poll_topic, sync_topics
from monitor.store import open_database
from monitor.store.tables import ArticleRow, FeedRow
from tests.support.scripted import rss, scripted_server

NOW = datetime(2023, 3, 20, 12, 0, tzinfo=UTC)


def _setup(write_config, feeds: list[str], poll_every: str = "15m"):  # type: ignore[no-untyped-def]
    config = load_config(write_config(feeds=feeds, poll_every=poll_every), environ={})
    database = open_database(config.database_url)
    sync_topics(database, config, NOW)
    return config, database, config.topic[0]


def _feed(database, url: str) -> FeedRow:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return session.exec(select(FeedRow).where(FeedRow.url == url)).one()


def test_conditional_get_and_unchanged_body_are_not_parsed_again(write_config) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        body = rss(("g1", "One"), ("g2", "Two"))
        calls = []

        def answer(headers: dict[str, str]):  # type: ignore[no-untyped-def]
            calls.append(headers)
            if headers.get("If-None-Match") == '"v1"' and len(calls) == 2:
                return 304, {"ETag": '"v1"'}, b""
            return 200, {"ETag": '"v1"' if len(calls) < 3 else '"v2"', "Content-Type": "application/rss+xml"}, body

        server.routes["/feed"] = answer
        url = server.base + "/feed"
        config, database, topic = _setup(write_config, [url])
        first = poll_topic(database, config, topic, now=NOW)
        assert first.feeds[0].status == "ok" and first.feeds[0].new_entries == 2
        second = poll_topic(database, config, topic, now=NOW + timedelta(minutes=20))
        assert calls[1].get("If-None-Match") == '"v1"'
        assert second.feeds[0].status == "not-modified"
        third = poll_topic(database, config, topic, now=NOW + timedelta(minutes=40))  # new ETag, same bytes
        assert third.feeds[0].status == "unchanged"
        with database.session() as session:
            assert len(session.exec(select(ArticleRow)).all()) == 2


@pytest.mark.parametrize(("headers", "ttl", "floor"), [
    ({"Cache-Control": "max-age=7200"}, None, timedelta(hours=2)),
    ({}, 180, timedelta(hours=3)),
    ({"Expires": format_datetime(datetime.now(UTC) + timedelta(hours=4), usegmt=True)}, None, timedelta(hours=4)),
    ({}, None, timedelta(minutes=15)),
])
def test_next_poll_honours_what_the_server_asks(write_config, headers, ttl, floor) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        server.route("/feed", 200, rss(("g1", "One"), ttl=ttl), **{k.replace("-", "_"): v for k, v in headers.items()})
        url = server.base + "/feed"
        config, database, topic = _setup(write_config, [url])
        poll_topic(database, config, topic, now=NOW)
        wait = _feed(database, url).next_poll_at - NOW  # type: ignore[operator]
        assert floor * 0.85 <= wait <= floor * 1.15  # ±10 % jitter, and Expires is measured from now


def test_retry_after_and_backoff_then_recovery(write_config) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        server.route("/feed", 503, b"busy", Retry_After="3600")
        url = server.base + "/feed"
        config, database, topic = _setup(write_config, [url])
        report = poll_topic(database, config, topic, now=NOW)
        assert report.feeds[0].status == "error" and "503" in (report.feeds[0].error or "")
        feed = _feed(database, url)
        assert feed.error_streak == 1 and feed.next_poll_at - NOW >= timedelta(hours=1)  # type: ignore[operator]
        waits = []
        server.route("/feed", 500, b"oops")
        for n in range(2, 7):
            poll_topic(database, config, topic, now=NOW)
            feed = _feed(database, url)
            assert feed.error_streak == n
            waits.append(feed.next_poll_at - NOW)  # type: ignore[operator]
        assert waits[-1] > waits[0] * 4, f"no exponential backoff: {waits}"
        assert max(waits) <= timedelta(hours=24) * 1.1
        server.route("/feed", 200, rss(("g1", "One")))
        poll_topic(database, config, topic, now=NOW)
        feed = _feed(database, url)
        assert feed.error_streak == 0 and feed.last_error is None and feed.last_success_at == NOW


def test_the_spread_of_polls_never_cuts_a_servers_wait() -> None:
    from monitor.poll import _jitter
    # feeds of one host drift apart by +-10 %, but never come back before the Retry-After the server asked for
    assert all(_jitter(timedelta(minutes=30), floor=3600) >= timedelta(hours=1) for _ in range(200))
    assert all(_jitter(timedelta(hours=1), floor=3600) >= timedelta(hours=1) for _ in range(200))
    spread = {_jitter(timedelta(hours=2), floor=3600) for _ in range(200)}
    assert min(spread) >= timedelta(hours=1.8) and max(spread) <= timedelta(hours=2.2) and len(spread) > 1


def test_only_due_feeds_are_polled(write_config) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        server.route("/feed", 200, rss(("g1", "One")))
        url = server.base + "/feed"
        config, database, topic = _setup(write_config, [url])
        poll_topic(database, config, topic, now=NOW, only_due=True)
        poll_topic(database, config, topic, now=NOW + timedelta(minutes=5), only_due=True)
        assert server.hits["/feed"] == 1
        poll_topic(database, config, topic, now=NOW + timedelta(minutes=20), only_due=True)
        assert server.hits["/feed"] == 2


@pytest.mark.parametrize("code", [301, 308])
def test_permanent_redirect_moves_the_feed(write_config, code: int) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        server.route("/old", code, b"", Location=server.base + "/new")
        server.route("/new", 200, rss(("g1", "One")))
        url = server.base + "/old"
        config, database, topic = _setup(write_config, [url])
        poll_topic(database, config, topic, now=NOW)
        feed = _feed(database, url)
        assert feed.current_url == server.base + "/new" and feed.url == url
        poll_topic(database, config, topic, now=NOW + timedelta(hours=1))
        assert server.hits["/old"] == 1 and server.hits["/new"] == 2


def test_temporary_redirect_does_not_move_the_feed(write_config) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        server.route("/old", 302, b"", Location=server.base + "/new")
        server.route("/new", 200, rss(("g1", "One")))
        url = server.base + "/old"
        config, database, topic = _setup(write_config, [url])
        poll_topic(database, config, topic, now=NOW)
        assert _feed(database, url).current_url == url


def test_gone_disables_the_feed_and_says_so(write_config) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        server.route("/feed", 410, b"gone")
        url = server.base + "/feed"
        config, database, topic = _setup(write_config, [url])
        report = poll_topic(database, config, topic, now=NOW)
        assert report.feeds[0].status == "gone"
        assert "410" in (_feed(database, url).disabled_reason or "")
        poll_topic(database, config, topic, now=NOW + timedelta(days=2))
        assert server.hits["/feed"] == 1


def test_user_agent_names_the_contact_url(write_config) -> None:  # type: ignore[no-untyped-def]
    with scripted_server() as server:
        server.route("/feed", 200, rss(("g1", "One")))
        config, database, topic = _setup(write_config, [server.base + "/feed"])
        poll_topic(database, config, topic, now=NOW)
        agent = server.requests[0][1].get("User-Agent", "")
        assert agent.startswith("monitor/") and "http" in agent
