"""A loopback HTTP server whose answers the test scripts path by path."""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Scripted:
    base: str = ""
    routes: dict[str, Callable[[dict[str, str]], Answer]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def route(self, path: str, status: int = 200, body: bytes = b"", **headers: str) -> None:
        """A fixed answer; header names use '_' for '-' (Retry_After=...)."""
        fixed = {k.replace("_", "-"): v for k, v in headers.items()}
        self.routes[path] = lambda _request: (status, fixed, body)


@contextmanager
def scripted_server() -> Iterator[Scripted]:
    script = Scripted()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # (the base class names it format)
            pass

        def do_GET(self) -> None:
            headers = dict(self.headers.items())
            script.hits[self.path] += 1
            script.requests.append((self.path, headers))
            handler = script.routes.get(self.path)
            status, extra, body = handler(headers) if handler else (404, {}, b"not here")
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    script.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield script
    finally:
        server.shutdown()
        server.server_close()


def rss(*items: tuple[str, str], ttl: int | None = None) -> bytes:
    """A small RSS 2.0 feed of (guid, title) items."""
    parts = "".join(f"<item><title>{t}</title><link>http://127.0.0.1/{g}</link><guid>{g}</guid>"
                    f"<description>{t} happened.</description></item>" for g, t in items)
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Scripted</title>'
            f"<link>http://127.0.0.1/</link><description>d</description>{ttl_tag}{parts}</channel></rss>").encode()
