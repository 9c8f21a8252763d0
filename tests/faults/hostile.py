"""A hostile HTTP server on loopback (aiohttp.web in a thread) for the fault suite.

Next to the good devset feeds (served from a folder under /good/), it serves one
path per bad input. Every handler counts its hits so tests can check that a feed
was (or was not) requested again, or that an external entity was never fetched.
``HostileServer.delay`` slows the good feeds and pages down, so that a poll is in
flight long enough to be killed.
"""
from __future__ import annotations

import asyncio
import collections
import contextlib
import socket
import threading
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path

from aiohttp import web

XI = ("Xi Jinping and Vladimir Putin met in the Kremlin on Tuesday; the Chinese leader's state visit "
      "to Moscow continued with talks on Ukraine.")


def _bomb(total_mb: int) -> bytes:
    """total_mb MB of zeros, gzip-compressed (about 1 KB on the wire per MB)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    return b"".join([comp.compress(zeros) for _ in range(total_mb)] + [comp.flush()])


def _rss(items: str, title: str = "Hostile feed", encoding: str = "utf-8") -> bytes:
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
            f"<title>{title}</title><link>http://127.0.0.1/</link>{items}</channel></rss>").encode(
                "utf-8" if encoding.lower() == "utf-8" else encoding, "xmlcharrefreplace")


def _item(guid: str, title: str, link: str, text: str = "Nothing to see here.") -> str:
    return (f"<item><title>{title}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid>"
            f"<description>{text}</description><pubDate>Tue, 21 Mar 2023 10:00:00 GMT</pubDate></item>")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
               for i in range(1, 10))
    + b']><rss version="2.0"><channel><title>laughs &lol9;</title>'
    b"<item><title>a &lol9; b</title><guid>bl-1</guid><link>http://127.0.0.1/bl</link>"
    b"<description>&lol9;</description></item></channel></rss>")

# 13.5 MB of references to an entity nobody declared (reliability.md F-5: 44 s, 817 MB in
# feedparser's loose parser when nothing stops it).
UNDEFINED_ENTITIES = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
                      b"<title>x</title><guid>ue-1</guid><description>" + b"&a;" * 4_500_000
                      + b"</description></item></channel></rss>")

HTML_PAGE = (b"<!DOCTYPE html><html><head><title>Login required</title></head><body>"
             b"<h1>Please sign in to the captive portal</h1><form><input name=u></form></body></html>")

INVALID_XML = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>broken</title>'
               b"<item><title>unclosed <b>bold</title><guid>ix-1</guid></chanel></rss><<<>>>&&&")

# Declares UTF-8, is really windows-1252 (smart quotes, an e acute, a euro sign).
WRONG_ENCODING = _rss(
    _item("we-1", "Caf\u00e9 \u201cquotes\u201d cost \u20ac5", "http://127.0.0.1/we/1")
    + _item("we-2", "Second \u2013 item", "http://127.0.0.1/we/2"), encoding="windows-1252",
).replace(b'encoding="windows-1252"', b'encoding="utf-8"')

DUPLICATE_GUIDS = _rss("".join(_item("same-guid", f"Duplicate number {i}", f"http://127.0.0.1/dup/{i}",
                                     f"Body {i} of a duplicate.") for i in range(5))
                       + _item("dup-unique", "The one unique item", "http://127.0.0.1/dup/u"))

HUGE_FEED = _rss("".join(_item(f"huge-{i}", f"Filler item {i}", f"http://127.0.0.1/huge/{i}",
                               f"Filler text number {i}.") for i in range(20_000)))

# Article links nothing answers (port 9 on loopback is closed): the page fetch fails fast.
UNRESOLVABLE_LINKS = _rss("".join(
    _item(f"ul-{i}", f"Xi Jinping and Putin talk in Moscow, part {i}",
          f"http://127.0.0.1:9/world/{i}", XI + f" Report {i}.")
    for i in range(3)))


class HostileServer:
    """Runs the app on 127.0.0.1 in a thread; ``url(path)`` gives a full URL."""

    def __init__(self, good_root: Path | None = None) -> None:
        self.good_root = good_root
        self.hits: collections.Counter[str] = collections.Counter()
        self.delay = 0.0  # seconds added to each good feed / page response
        self.base = ""
        self.bomb = _bomb(300)  # 300 MB decoded, ~300 KB on the wire
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None

    def url(self, path: str) -> str:
        return self.base + path

    # -- the app --

    def _app(self) -> web.Application:
        routes = web.RouteTableDef()
        srv = self

        @web.middleware
        async def count(request: web.Request, handler):  # type: ignore[no-untyped-def]
            srv.hits[request.path] += 1
            return await handler(request)

        def static(body: bytes, ctype: str = "application/rss+xml; charset=utf-8"):  # type: ignore[no-untyped-def]
            async def handler(request: web.Request) -> web.StreamResponse:
                return web.Response(body=body, headers={"Content-Type": ctype})
            return handler

        routes.get("/billion-laughs")(static(BILLION_LAUGHS))
        routes.get("/undefined-entities")(static(UNDEFINED_ENTITIES))
        routes.get("/html")(static(HTML_PAGE, "text/html; charset=utf-8"))
        routes.get("/empty")(static(b""))
        routes.get("/invalid-xml")(static(INVALID_XML))
        routes.get("/wrong-encoding")(static(WRONG_ENCODING, "application/rss+xml"))
        routes.get("/duplicate-guids")(static(DUPLICATE_GUIDS))
        routes.get("/huge")(static(HUGE_FEED))
        routes.get("/unresolvable-links")(static(UNRESOLVABLE_LINKS))
        routes.get("/pdf")(static(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 100, "application/pdf"))

        @routes.get("/xxe")
        async def xxe(request: web.Request) -> web.StreamResponse:
            body = (f'<?xml version="1.0"?><!DOCTYPE rss [\n'
                    f'<!ENTITY file SYSTEM "file:///etc/passwd">\n'
                    f'<!ENTITY web SYSTEM "{srv.url("/xxe-target")}">\n'
                    f'<!ENTITY % param SYSTEM "{srv.url("/xxe-target")}"> %param;\n'
                    f']><rss version="2.0"><channel><title>xxe</title>'
                    f"<item><title>&file;|&web;</title><guid>xxe-1</guid><link>http://127.0.0.1/xxe/1</link>"
                    f"<description>secret: &file; &web;</description></item></channel></rss>").encode()
            return web.Response(body=body, headers={"Content-Type": "application/rss+xml"})

        @routes.get("/xxe-target")
        async def xxe_target(request: web.Request) -> web.StreamResponse:
            return web.Response(body=b"<!ENTITY leaked 'LEAKED-BY-XXE'>")

        @routes.get("/changing-guids")
        async def changing(request: web.Request) -> web.StreamResponse:
            items = "".join(_item(str(uuid.uuid4()), f"Stable title {i}", f"http://127.0.0.1/cg/{i}",
                                  f"Stable text {i}.") for i in range(3))
            return web.Response(body=_rss(items), headers={"Content-Type": "application/rss+xml"})

        @routes.get("/drip")
        async def drip(request: web.Request) -> web.StreamResponse:
            resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            await resp.prepare(request)
            with contextlib.suppress(ConnectionError, RuntimeError):
                for _ in range(600):  # one byte a second for ten minutes
                    await resp.write(b"<")
                    await asyncio.sleep(1)
            return resp

        @routes.get("/stall")
        async def stall(request: web.Request) -> web.StreamResponse:
            await asyncio.sleep(600)  # accepts, reads the request, never answers
            return web.Response(body=b"")

        @routes.get("/bomb")
        async def bomb(request: web.Request) -> web.StreamResponse:
            resp = web.StreamResponse(headers={"Content-Encoding": "gzip",
                                               "Content-Type": "application/rss+xml"})
            await resp.prepare(request)
            with contextlib.suppress(ConnectionError, RuntimeError):
                for i in range(0, len(srv.bomb), 16384):
                    await resp.write(srv.bomb[i:i + 16384])
                await resp.write_eof()
            return resp

        @routes.get("/endless")
        async def endless(request: web.Request) -> web.StreamResponse:
            resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
            await resp.prepare(request)
            chunk = b"<item>" * 10000
            with contextlib.suppress(ConnectionError, RuntimeError):
                for _ in range(100_000):  # 6 GB if nobody stops reading
                    await resp.write(chunk)
            return resp

        @routes.get("/truncated")
        async def truncated(request: web.Request) -> web.StreamResponse:
            resp = web.StreamResponse(headers={"Content-Length": "100000", "Content-Type": "application/rss+xml"})
            await resp.prepare(request)
            await resp.write(_rss(_item("tr-1", "cut", "http://127.0.0.1/tr"))[:200])
            assert request.transport is not None
            request.transport.close()
            return resp

        @routes.get("/redirect/{n}")
        async def redirect(request: web.Request) -> web.StreamResponse:
            n = int(request.match_info["n"])
            target = "/billion-laughs" if n <= 1 else f"/redirect/{n - 1}"
            return web.Response(status=302, headers={"Location": target})

        @routes.get("/loop-a")
        async def loop_a(request: web.Request) -> web.StreamResponse:
            return web.Response(status=302, headers={"Location": "/loop-b"})

        @routes.get("/loop-b")
        async def loop_b(request: web.Request) -> web.StreamResponse:
            return web.Response(status=302, headers={"Location": "/loop-a"})

        @routes.get("/status/{code}")
        async def status(request: web.Request) -> web.StreamResponse:
            headers = {"Retry-After": request.query["retry"]} if "retry" in request.query else {}
            return web.Response(status=int(request.match_info["code"]), body=b"<html>error page</html>",
                                headers=headers)

        @routes.get("/good/{name:.+}")
        async def good(request: web.Request) -> web.StreamResponse:
            if srv.delay:
                await asyncio.sleep(srv.delay)
            assert srv.good_root is not None
            path = (srv.good_root / request.match_info["name"]).resolve()
            if srv.good_root.resolve() not in path.parents or not path.is_file():
                return web.Response(status=404)
            ctype = {".rss": "application/rss+xml", ".atom": "application/atom+xml",
                     ".rdf": "application/rdf+xml"}.get(path.suffix, "text/html; charset=utf-8")
            return web.Response(body=path.read_bytes(), headers={"Content-Type": ctype})

        app = web.Application(middlewares=[count])
        app.add_routes(routes)
        return app

    # -- lifecycle --

    def __enter__(self) -> HostileServer:
        started = threading.Event()

        async def start() -> None:
            self._runner = web.AppRunner(self._app(), access_log=None, shutdown_timeout=0.1)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            self.base = f"http://127.0.0.1:{port}"

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(start())
            started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="hostile-http", daemon=True)
        self._thread.start()
        assert started.wait(10), "hostile server did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        if self._runner is not None:
            fut = asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop)
            with contextlib.suppress(Exception):
                fut.result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)


@contextlib.contextmanager
def closing_listener() -> Iterator[str]:
    """A raw TCP listener that accepts each connection and closes it without a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except (TimeoutError, OSError):
                continue
            conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
    finally:
        stop.set()
        thread.join(2)
        sock.close()
