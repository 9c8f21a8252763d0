"""A loopback feed server that logs every request: which feed, which worker, when.

Serves ``n`` small RSS feeds at ``/feed/<i>.xml``. Each feed gets a new item
every ``change_seconds`` (staggered between feeds), answers 304 to a matching
If-None-Match, and can add ``latency`` seconds to every response, so a poll is
in flight long enough to be caught. Every request is recorded as
``Request(feed, worker, start, end, status)`` with the worker taken from the
User-Agent, so the tests can check that no feed is fetched by two workers at
once and how often each feed is polled.
"""
from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate

from aiohttp import web


@dataclass
class Request:
    feed: int
    worker: str
    start: float  # time.monotonic()
    end: float
    status: int


class FeedLogServer:
    def __init__(self, n: int, *, latency: float = 0.0, change_seconds: float = 20.0, items: int = 5) -> None:
        self.n, self.latency, self.change_seconds, self.items = n, latency, change_seconds, items
        self.requests: list[Request] = []
        self.in_flight: dict[str, int] = {}
        self.t0 = time.time()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.ServerRunner | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="feedlog", daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def urls(self) -> list[str]:
        return [f"{self.base}/feed/{i}.xml" for i in range(self.n)]

    def __enter__(self) -> FeedLogServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("feed server did not start")
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._loop is not None and self._runner is not None
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # --- the feeds ----------------------------------------------------------

    def version(self, feed: int, now: float) -> int:
        return int((now - self.t0 + feed * self.change_seconds / self.n) // self.change_seconds)

    def body(self, feed: int, version: int) -> bytes:
        items = []
        for v in range(version, max(-1, version - self.items), -1):
            when = formatdate(self.t0 + v * self.change_seconds, usegmt=True)
            items.append(f"<item><title>Feed {feed} story {v}</title>"
                         f"<link>{self.base}/story/{feed}/{v}</link><guid>f{feed}-s{v}</guid>"
                         f"<pubDate>{when}</pubDate><description>Harbour report {feed}.{v}: "
                         f"the ferry timetable changes on route {feed * 7 + v}.</description></item>")
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Feed {feed}</title><link>{self.base}/</link>{''.join(items)}"
                "</channel></rss>").encode()

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        start = time.monotonic()
        worker = request.headers.get("User-Agent", "?")
        try:
            feed = int(request.path.removeprefix("/feed/").split(".", 1)[0])
            if not request.path.startswith("/feed/") or not 0 <= feed < self.n:
                raise ValueError
        except ValueError:
            return web.Response(status=404)
        self.in_flight[worker] = self.in_flight.get(worker, 0) + 1
        status = 0
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            version = self.version(feed, time.time())
            etag = f'"{feed}-{version}"'
            if request.headers.get("If-None-Match") == etag:
                status = 304
                return web.Response(status=304, headers={"ETag": etag})
            status = 200
            return web.Response(body=self.body(feed, version),
                                headers={"ETag": etag, "Content-Type": "application/rss+xml"})
        finally:
            self.in_flight[worker] -= 1
            self.requests.append(Request(feed, worker, start, time.monotonic(), status))

    def _serve(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)

        async def start() -> None:
            self._runner = web.ServerRunner(web.Server(self._handle), handle_signals=False, access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

        loop.run_until_complete(start())
        self._ready.set()
        loop.run_forever()
        loop.close()
