"""Real servers on loopback for the tests: a static HTTP site and an SMTP sink."""
from __future__ import annotations

import functools
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared"
DEVSET = SHARED / "devset" / "articles.jsonl"
MAKE_FEEDS = SHARED / "tools" / "make_feeds.py"
BASELINE = Path(__file__).resolve().parents[2] / "config" / "baselines" / "xi-jinping-meets-putin.txt"


class _QuietHandler(SimpleHTTPRequestHandler):
    requests: list[str]

    def log_message(self, format: str, *args: object) -> None:  # (the base class names it format)
        pass

    def do_GET(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        super().do_GET()


@contextmanager
def static_site(root: Path) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """Serve ``root`` on 127.0.0.1 (an ephemeral port) while the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.shutdown()
        server.server_close()


def make_feeds(out: Path, base_url: str, *extra: str, articles: Path = DEVSET) -> list[str]:
    """Write the devset (or another set) as feeds + article pages; return the feed URLs."""
    subprocess.run([sys.executable, str(MAKE_FEEDS), str(articles), str(out), "--pages",
                    "--base-url", base_url, *extra], check=True, capture_output=True)
    return sorted(base_url + p.name for p in out.iterdir() if p.suffix in (".rss", ".atom", ".rdf"))


def free_port() -> int:
    """A port nothing listens on right now (aiosmtpd needs a number before it starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class SmtpSink:
    """An aiosmtpd server on loopback that keeps every message it accepts."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        sink = self

        class Handler:
            async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
                sink.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))  # type: ignore[attr-defined]
                sink.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[attr-defined, arg-type]
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
