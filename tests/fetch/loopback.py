"""A real HTTP server on loopback (aiohttp.web) with scripted paths, for tests/fetch.

It listens on 127.0.0.1 and 127.0.0.2 (two "hosts" for the per-host limit and
the redirect-into-private test). Handlers count their hits so tests can assert
that a refused request never reached the server.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import gzip
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

from aiohttp import web

FEED_BODY = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback feed</title><link>http://127.0.0.1/</link><ttl>15</ttl>
<item><title>One</title><link>http://127.0.0.1/1</link><guid>g1</guid>
<description>First item.</description></item>
</channel></rss>
"""
SHARED = Path(__file__).resolve().parents[3] / "shared"  # /work/shared next to the repo
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 20 Mar 2023 06:00:00 GMT"


def _bomb(total_mb: int) -> bytes:
    """total_mb MB of zeros, gzip-compressed (about 1 KB on the wire per MB)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    parts = [comp.compress(zeros) for _ in range(total_mb)]
    parts.append(comp.flush())
    return b"".join(parts)


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    base2: str  # http://127.0.0.2:PORT2
    hits: collections.Counter[str] = field(default_factory=collections.Counter)
    in_flight: dict[str, int] = field(default_factory=lambda: collections.defaultdict(int))
    max_in_flight: dict[str, int] = field(default_factory=lambda: collections.defaultdict(int))
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # path -> (body, ctype)

    def url(self, path: str) -> str:
        return self.base + path

    def url2(self, path: str) -> str:
        return self.base2 + path

    def reset_concurrency(self) -> None:
        self.in_flight.clear()
        self.max_in_flight.clear()


def _make_app(srv: Server, bomb: bytes) -> web.Application:
    routes = web.RouteTableDef()

    @web.middleware
    async def count(request: web.Request, handler):  # type: ignore[no-untyped-def]
        srv.hits[request.path] += 1
        return await handler(request)

    @routes.get("/feed")
    async def feed(request: web.Request) -> web.StreamResponse:
        headers = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED,
                   "Content-Type": "application/rss+xml; charset=utf-8"}
        if request.headers.get("If-None-Match") == ETAG or (
            "If-None-Match" not in request.headers
            and request.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            return web.Response(status=304, headers={"ETag": ETAG})
        return web.Response(body=FEED_BODY, headers=headers)

    @routes.get("/feed-gzip")
    async def feed_gzip(request: web.Request) -> web.StreamResponse:
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/rss+xml"}
        return web.Response(body=gzip.compress(FEED_BODY), headers=headers)

    @routes.get("/bare-304")
    async def bare_304(request: web.Request) -> web.StreamResponse:
        if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
            return web.Response(status=304)  # no validators in the answer
        return web.Response(body=FEED_BODY, headers={"ETag": '"bare"'})

    @routes.get("/new-etag-same-body")
    async def new_etag(request: web.Request) -> web.StreamResponse:
        return web.Response(body=FEED_BODY, headers={"ETag": f'"e{srv.hits[request.path]}"'})

    @routes.get("/slow/{n}")
    async def slow(request: web.Request) -> web.StreamResponse:
        host = request.host
        srv.in_flight[host] += 1
        srv.in_flight["*"] += 1
        srv.max_in_flight[host] = max(srv.max_in_flight[host], srv.in_flight[host])
        srv.max_in_flight["*"] = max(srv.max_in_flight["*"], srv.in_flight["*"])
        try:
            await asyncio.sleep(0.15)
        finally:
            srv.in_flight[host] -= 1
            srv.in_flight["*"] -= 1
        return web.Response(body=FEED_BODY)

    @routes.get("/drip")
    async def drip(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await resp.prepare(request)
        for _ in range(600):
            await resp.write(b" ")
            await asyncio.sleep(0.2)
        return resp

    @routes.get("/stall")
    async def stall(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(30)
        return web.Response(body=FEED_BODY)

    @routes.get("/bomb")
    async def bomb_handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Encoding": "gzip",
                                           "Content-Type": "application/rss+xml"})
        await resp.prepare(request)
        for i in range(0, len(bomb), 16384):
            await resp.write(bomb[i:i + 16384])
        await resp.write_eof()
        return resp

    @routes.get("/big-declared")
    async def big_declared(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"x" * (3 * 1024 * 1024))

    @routes.get("/endless")
    async def endless(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(request)
        chunk = b"<x>" * 20000
        try:
            for _ in range(10_000):
                await resp.write(chunk)
        except (ConnectionResetError, RuntimeError):
            pass
        return resp

    @routes.get("/truncated")
    async def truncated(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Length": "1000"})
        await resp.prepare(request)
        await resp.write(b"<" * 400)
        assert request.transport is not None
        request.transport.close()
        return resp

    @routes.get("/redirect/{code}/{n}")
    async def redirect(request: web.Request) -> web.StreamResponse:
        codes = request.match_info["code"].split("-")  # e.g. "301-302": one code per hop
        n = int(request.match_info["n"])
        code = int(codes[0])
        rest = "-".join(codes[1:]) or codes[0]
        target = "/feed" if n <= 1 else f"/redirect/{rest}/{n - 1}"
        return web.Response(status=code, headers={"Location": target})

    @routes.get("/loop-a")
    async def loop_a(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": "/loop-b"})

    @routes.get("/loop-b")
    async def loop_b(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": "/loop-a"})

    @routes.get("/to")
    async def to(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": request.query["url"]})

    @routes.get("/status/{code}")
    async def status(request: web.Request) -> web.StreamResponse:
        code = int(request.match_info["code"])
        headers = {}
        if "retry" in request.query:
            headers["Retry-After"] = request.query["retry"]
        return web.Response(status=code, body=b"error page", headers=headers)

    @routes.get("/retry-date")
    async def retry_date(request: web.Request) -> web.StreamResponse:
        # The server's clock is a day ahead: the delay must be taken from its Date header.
        import time
        skew = 86400
        now = time.time() + skew
        return web.Response(status=503, headers={
            "Date": formatdate(now, usegmt=True),
            "Retry-After": formatdate(now + 90, usegmt=True),
        })

    @routes.get("/cache")
    async def cache(request: web.Request) -> web.StreamResponse:
        headers = {"Cache-Control": request.query.get("cc", "public, max-age=300")}
        return web.Response(body=FEED_BODY, headers=headers)

    @routes.get("/expires")
    async def expires(request: web.Request) -> web.StreamResponse:
        import time
        now = time.time() + 3600  # skewed server clock again
        return web.Response(body=FEED_BODY, headers={
            "Date": formatdate(now, usegmt=True), "Expires": formatdate(now + 600, usegmt=True)})

    @routes.get("/br")
    async def br(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"\x8b\x00\x80" + FEED_BODY, headers={"Content-Encoding": "br"})

    @routes.get("/pdf")
    async def pdf(request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"})

    @routes.get("/files/{name:.+}")
    async def files(request: web.Request) -> web.StreamResponse:
        item = srv.files.get(request.match_info["name"])
        if item is None:
            return web.Response(status=404)
        body, ctype = item
        return web.Response(body=body, headers={"Content-Type": ctype})

    app = web.Application(middlewares=[count])
    app.add_routes(routes)
    return app


def serve() -> Iterator[Server]:
    """Run the server in a thread on 127.0.0.1 and 127.0.0.2 until the generator closes."""
    bomb = _bomb(200)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    holder: dict[str, object] = {}

    async def start() -> None:
        srv = Server(base="", base2="")
        runner = web.AppRunner(_make_app(srv, bomb), access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        site1 = web.TCPSite(runner, "127.0.0.1", 0)
        site2 = web.TCPSite(runner, "127.0.0.2", 0)
        await site1.start()
        await site2.start()
        port1 = site1._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        port2 = site2._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        srv.base = f"http://127.0.0.1:{port1}"
        srv.base2 = f"http://127.0.0.2:{port2}"
        holder["srv"], holder["runner"] = srv, runner

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=run, name="test-http-server", daemon=True)
    thread.start()
    assert started.wait(10), "test server did not start"
    yield holder["srv"]  # type: ignore[misc]
    fut = asyncio.run_coroutine_threadsafe(holder["runner"].cleanup(), loop)  # type: ignore[attr-defined]
    with contextlib.suppress(Exception):  # best effort at teardown
        fut.result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
