"""Fetcher against a real HTTP server on loopback (conftest.py). No mocks.

Every server here is on loopback, so most tests allow private networks; the
SSRF tests turn that off (or swap in an address policy) and check the refusal.
"""
from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from monitor.fetch import Fetcher, FetchLimits, address_problem
from monitor.types import FetchedFeed
from tests.fetch.loopback import ETAG, FEED_BODY, LAST_MODIFIED, Server

T = TypeVar("T")

OPEN = FetchLimits(allow_private_networks=True)


def run(limits: FetchLimits, fn: Callable[[Fetcher], Awaitable[T]], **kw: Any) -> T:
    async def main() -> T:
        async with Fetcher(limits, **kw) as f:
            return await fn(f)

    return asyncio.run(main())


def fetch(url: str, limits: FetchLimits = OPEN, **kw: Any) -> FetchedFeed:
    return run(limits, lambda f: f.fetch_feed(url, **kw))


# --- conditional GET -----------------------------------------------------------


def test_first_fetch_returns_body_and_validators(server: Server) -> None:
    r = fetch(server.url("/feed"))
    assert (r.status, r.error, r.body) == (200, None, FEED_BODY)
    assert r.etag == ETAG and r.last_modified == LAST_MODIFIED
    assert r.content_type == "application/rss+xml; charset=utf-8"
    assert r.final_url == server.url("/feed") and r.permanent_redirect is None
    assert not r.not_modified and r.elapsed > 0


def test_etag_round_trip_gives_304_without_body(server: Server) -> None:
    first = fetch(server.url("/feed"))
    second = fetch(server.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert second.status == 304 and second.not_modified
    assert second.body is None and second.error is None
    assert second.etag == ETAG
    assert second.last_modified == LAST_MODIFIED  # server sent none: the one we sent is kept


def test_if_modified_since_alone_gives_304(server: Server) -> None:
    r = fetch(server.url("/feed"), last_modified=LAST_MODIFIED)
    assert r.status == 304 and r.last_modified == LAST_MODIFIED


def test_stale_etag_gives_full_body(server: Server) -> None:
    r = fetch(server.url("/feed"), etag='"old"')
    assert r.status == 200 and r.body == FEED_BODY and r.etag == ETAG


def test_304_without_validators_keeps_the_ones_sent(server: Server) -> None:
    r = fetch(server.url("/bare-304"), etag='"mine"', last_modified=LAST_MODIFIED)
    assert r.status == 304 and r.etag == '"mine"' and r.last_modified == LAST_MODIFIED


def test_changing_etag_with_unchanged_body(server: Server) -> None:
    a = fetch(server.url("/new-etag-same-body"))
    b = fetch(server.url("/new-etag-same-body"), etag=a.etag)
    assert a.status == b.status == 200
    assert a.etag != b.etag and a.body == b.body == FEED_BODY  # the daemon dedups by content


def test_gzip_body_is_decoded(server: Server) -> None:
    r = fetch(server.url("/feed-gzip"))
    assert r.status == 200 and r.body == FEED_BODY


# --- limits: concurrency, deadline, size -----------------------------------------


def test_per_host_and_global_limits(server: Server) -> None:
    server.reset_concurrency()
    limits = FetchLimits(allow_private_networks=True, concurrency=6, per_host=4)
    urls = [server.url(f"/slow/{i}") for i in range(12)]
    urls += [server.url2(f"/slow/{i}") for i in range(12)]

    async def go(f: Fetcher) -> list[FetchedFeed]:
        return await asyncio.gather(*(f.fetch_feed(u) for u in urls))

    results = run(limits, go)
    assert all(r.status == 200 for r in results), [r.error for r in results]
    host1, host2 = server.base.removeprefix("http://"), server.base2.removeprefix("http://")
    assert server.max_in_flight[host1] == 4
    assert server.max_in_flight[host2] <= 4
    assert server.max_in_flight["*"] == 6


def test_waiting_for_a_busy_host_does_not_count_against_the_deadline(server: Server) -> None:
    # 8 requests of 0.15 s, one at a time, with a 0.5 s deadline each: all succeed.
    limits = FetchLimits(allow_private_networks=True, per_host=1, total_timeout=0.5)

    async def go(f: Fetcher) -> list[FetchedFeed]:
        return await asyncio.gather(*(f.fetch_feed(server.url(f"/slow/w{i}")) for i in range(8)))

    assert all(r.status == 200 for r in run(limits, go))


def test_drip_server_is_cut_off_at_the_total_deadline(server: Server) -> None:
    limits = FetchLimits(allow_private_networks=True, total_timeout=1.0, read_timeout=30)
    t = time.monotonic()
    r = fetch(server.url("/drip"), limits)
    took = time.monotonic() - t
    assert r.status is None and r.body is None
    assert r.error == "timed out after 1 s (total deadline)"
    assert 0.9 < took < 3


def test_silent_server_hits_the_read_timeout(server: Server) -> None:
    limits = FetchLimits(allow_private_networks=True, read_timeout=0.5, total_timeout=10)
    r = fetch(server.url("/stall"), limits)
    assert r.error == "timed out: no data for 0.5 s (read timeout)"


def test_gzip_bomb_stops_at_the_cap(server: Server) -> None:
    # 200 MB of zeros, ~200 KB on the wire; the cap is on decoded bytes.
    t = time.monotonic()
    r = fetch(server.url("/bomb"))
    assert r.body is None and r.status == 200
    assert r.error == "response larger than 10 MB cap"
    assert time.monotonic() - t < 5


def test_gzip_bomb_memory_stays_bounded(server: Server) -> None:
    import resource

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = fetch(server.url("/bomb"), FetchLimits(allow_private_networks=True, max_bytes=1024 * 1024))
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert r.error == "response larger than 1 MB cap"
    assert grown_mb < 64  # peak RSS: never the 200 MB the bomb would inflate to


def test_declared_length_over_the_cap_is_refused_before_reading(server: Server) -> None:
    limits = FetchLimits(allow_private_networks=True, max_bytes=1024 * 1024)
    r = fetch(server.url("/big-declared"), limits)
    assert r.error == "response larger than 1 MB cap" and r.body is None


def test_endless_body_stops_at_the_cap(server: Server) -> None:
    r = fetch(server.url("/endless"), FetchLimits(allow_private_networks=True, max_bytes=500_000))
    assert r.error == "response larger than 500000 bytes cap"


def test_truncated_body_is_an_error(server: Server) -> None:
    r = fetch(server.url("/truncated"))
    assert r.body is None and r.error is not None
    assert r.error.startswith("connection broke while reading the body")


def test_unrequested_content_encoding_is_refused(server: Server) -> None:
    r = fetch(server.url("/br"))  # we only ask for gzip/deflate; brotli is not installed
    assert r.body is None and r.error is not None
    assert r.error.startswith("cannot decode the response's content encoding"), r.error


def test_connection_refused_is_a_value(server: Server) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once closed
    r = fetch(f"http://127.0.0.1:{port}/feed")
    assert r.status is None and r.error is not None
    assert r.error.startswith(f"cannot connect to 127.0.0.1:{port}")


# --- redirects and statuses ------------------------------------------------------


def test_302_is_followed_and_not_permanent(server: Server) -> None:
    r = fetch(server.url("/redirect/302/2"))
    assert r.status == 200 and r.body == FEED_BODY
    assert r.final_url == server.url("/feed") and r.permanent_redirect is None


@pytest.mark.parametrize("codes", ["301", "308", "301-308"])
def test_all_permanent_chain_is_reported(server: Server, codes: str) -> None:
    r = fetch(server.url(f"/redirect/{codes}/2"))
    assert r.status == 200 and r.permanent_redirect == server.url("/feed")


def test_mixed_chain_is_not_permanent(server: Server) -> None:
    r = fetch(server.url("/redirect/301-302/2"))
    assert r.status == 200 and r.permanent_redirect is None


def test_five_redirects_are_followed_six_are_not(server: Server) -> None:
    assert fetch(server.url("/redirect/302/5")).status == 200
    r = fetch(server.url("/redirect/302/6"))
    assert r.error == "too many redirects (more than 5)" and r.body is None


def test_redirect_loop_stops_quickly(server: Server) -> None:
    t = time.monotonic()
    r = fetch(server.url("/loop-a"))
    assert r.error == "too many redirects (more than 5)"
    assert time.monotonic() - t < 1


def test_redirect_to_file_scheme_is_refused(server: Server) -> None:
    r = fetch(server.url("/to?url=file:///etc/passwd"))
    assert r.error == "refused: unsupported URL scheme 'file' (only http and https)"
    assert r.body is None


def test_410_gone(server: Server) -> None:
    r = fetch(server.url("/status/410"))
    assert r.status == 410 and r.body is None
    assert r.error is not None and "410 Gone" in r.error


def test_404(server: Server) -> None:
    r = fetch(server.url("/status/404"))
    assert (r.status, r.error, r.body) == (404, "HTTP 404 Not Found", None)


def test_429_retry_after_seconds(server: Server) -> None:
    r = fetch(server.url("/status/429?retry=120"))
    assert r.status == 429 and r.retry_after == 120
    assert r.error == "HTTP 429 Too Many Requests (retry after 120 s)"


@pytest.mark.parametrize("value", ["garbage", "Mon, 01 Jan 2001 00:00:00 GMT"])
def test_retry_after_garbage_or_past_is_ignored(server: Server, value: str) -> None:
    r = fetch(server.url(f"/status/429?retry={value}"))
    assert r.status == 429 and r.retry_after is None


def test_503_retry_after_http_date_relative_to_server_clock(server: Server) -> None:
    r = fetch(server.url("/retry-date"))
    assert r.status == 503 and r.retry_after == pytest.approx(90, abs=2)


def test_retry_after_ignored_on_other_statuses(server: Server) -> None:
    assert fetch(server.url("/status/500?retry=60")).retry_after is None


def test_cache_control_max_age(server: Server) -> None:
    assert fetch(server.url("/cache")).max_age == 300
    assert fetch(server.url("/cache?cc=no-cache, max-age=300")).max_age is None
    assert fetch(server.url("/feed")).max_age is None


def test_expires_relative_to_server_date(server: Server) -> None:
    assert fetch(server.url("/expires")).max_age == pytest.approx(600, abs=2)


# --- SSRF and schemes --------------------------------------------------------------

CLOSED = FetchLimits(allow_private_networks=False)


def test_loopback_is_refused_by_default_and_never_contacted(server: Server) -> None:
    before = server.hits["/status/200"]
    r = fetch(server.url("/status/200"), CLOSED)
    assert r.status is None and r.body is None
    assert r.error == (
        "refused: 127.0.0.1 is a loopback address "
        "(set [fetch] allow_private_networks = true to allow)"
    )
    assert server.hits["/status/200"] == before


class MapResolver(AbstractResolver):
    """Resolves every name to one address, standing in for DNS."""

    def __init__(self, ip: str) -> None:
        self.ip = ip
        self.calls = 0

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        self.calls += 1
        return [ResolveResult(hostname=host, host=self.ip, port=port, family=socket.AF_INET,
                              proto=0, flags=socket.AI_NUMERICHOST)]

    async def close(self) -> None:
        pass


def test_name_resolving_to_private_address_is_refused(server: Server) -> None:
    port = server.base.rsplit(":", 1)[1]
    before = sum(server.hits.values())
    resolver = MapResolver("127.0.0.1")
    r = run(CLOSED, lambda f: f.fetch_feed(f"http://feed.example.test:{port}/feed"),
            resolver=resolver)
    assert r.error is not None and r.error.startswith("refused: 127.0.0.1 is a loopback address")
    assert resolver.calls == 1 and sum(server.hits.values()) == before


def test_name_resolving_to_an_allowed_address_works(server: Server) -> None:
    port = server.base.rsplit(":", 1)[1]
    r = run(OPEN, lambda f: f.fetch_feed(f"http://feed.example.test:{port}/feed"),
            resolver=MapResolver("127.0.0.1"))
    assert r.status == 200 and r.body == FEED_BODY


def test_redirect_into_a_private_address_is_refused(server: Server) -> None:
    # 127.0.0.2 plays a public redirector; 127.0.0.1 plays the private target.
    before = server.hits["/status/200"]

    def policy(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return str(ip) == "127.0.0.2"

    target = server.url("/status/200")
    r = run(CLOSED, lambda f: f.fetch_feed(server.url2(f"/to?url={target}")),
            address_allowed=policy)
    assert r.error is not None and r.error.startswith("refused: 127.0.0.1 is not allowed")
    assert r.final_url == target
    assert server.hits["/status/200"] == before  # the private target got no request


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/",
                                 "javascript:alert(1)", "data:text/xml,<rss/>"])
def test_non_http_schemes_are_refused(url: str) -> None:
    r = fetch(url, CLOSED)
    assert r.status is None and r.error is not None
    assert r.error.startswith("refused: unsupported URL scheme")


@pytest.mark.parametrize("url", ["http://[::1]:9/", "http://0.0.0.0:9/", "http://169.254.169.254/latest",
                                 "http://10.0.0.5/", "http://[::ffff:127.0.0.1]:9/"])
def test_private_literal_addresses_are_refused_without_connecting(url: str) -> None:
    r = fetch(url, CLOSED)
    assert r.error is not None and r.error.startswith("refused: "), r.error


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f.1/", "http://127.1/",
                                 "http://0177.0.0.1/"])
def test_odd_ipv4_spellings_never_reach_loopback(url: str) -> None:
    r = fetch(url, CLOSED)
    assert r.status is None and r.error is not None
    assert r.error.startswith(("refused: ", "invalid URL", "cannot resolve")), r.error


@pytest.mark.parametrize("ip, problem", [
    ("127.0.0.1", "a loopback address"), ("10.0.0.5", "a private address"),
    ("192.168.1.1", "a private address"), ("172.16.0.1", "a private address"),
    ("169.254.169.254", "a link-local address"), ("0.0.0.0", "an unspecified address"),
    ("224.0.0.1", "a multicast address"), ("100.64.0.1", "a shared (carrier-grade NAT) address"),
    ("240.0.0.1", "a reserved address"), ("::1", "a loopback address"),
    ("fe80::1", "a link-local address"), ("fc00::1", "a private address"),
    ("::ffff:127.0.0.1", "a loopback address"),
    ("64:ff9b::7f00:1", "a NAT64 address of a loopback address"),
    ("2002:7f00:1::1", "a 6to4 address of a loopback address"),
    ("ff02::1", "a multicast address"),
    ("8.8.8.8", None), ("2606:4700:4700::1111", None), ("64:ff9b::808:808", None),
])
def test_address_policy(ip: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(ip)) == problem


# --- pages ---------------------------------------------------------------------------


def test_fetch_page_returns_html(server: Server) -> None:
    page = b"<html><body><p>Hello</p></body></html>"
    server.files["page.html"] = (page, "text/html; charset=utf-8")
    p = run(OPEN, lambda f: f.fetch_page(server.url("/files/page.html")))
    assert p.status == 200 and p.error is None and p.body is not None and b"Hello" in p.body
    assert p.content_type == "text/html; charset=utf-8"


def test_fetch_page_skips_non_html_unread(server: Server) -> None:
    p = run(OPEN, lambda f: f.fetch_page(server.url("/pdf")))
    assert p.body is None and p.error == "not a web page (application/pdf)"


def test_fetch_page_refuses_private_by_default(server: Server) -> None:
    p = run(CLOSED, lambda f: f.fetch_page(server.url("/pdf")))
    assert p.body is None and p.error is not None and p.error.startswith("refused: 127.0.0.1")


def test_many_failures_do_not_leak_connections(server: Server) -> None:
    """Every error path releases its connection and its slots (R-3)."""
    paths = ["/status/404", "/status/410", "/bomb", "/truncated", "/redirect/302/6", "/br", "/feed"]
    limits = FetchLimits(allow_private_networks=True, concurrency=4, per_host=2, max_bytes=100_000)

    async def go(f: Fetcher) -> tuple[list[FetchedFeed], int]:
        results = await asyncio.gather(*(f.fetch_feed(server.url(p)) for p in paths * 6))
        return results, len(f._hosts)

    results, hosts_left = run(limits, go)
    assert results[-1].status == 200 and hosts_left == 0
