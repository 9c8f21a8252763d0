"""A flaky SMTP server (aiosmtpd on loopback) whose answer to DATA is scripted.

Modes: "ok" (250), "451" (temporary), "550" (permanent), "drop" (takes the whole message,
then closes the connection without replying: the lost-250 case of RFC 1047), "stall" (takes
the message and does not answer for a long time). Every message whose data arrived is kept
in ``seen``; only those answered 250 are in ``accepted``.
"""
from __future__ import annotations

import asyncio
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from tests.support.servers import free_port


class FlakySmtp:
    def __init__(self, port: int | None = None) -> None:
        from aiosmtpd.controller import Controller

        self.port = port or free_port()
        self.mode = "ok"
        self.seen: list[EmailMessage] = []
        self.accepted: list[EmailMessage] = []
        self.data_arrived = threading.Event()
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
                msg = message_from_bytes(envelope.content, policy=policy.default)
                outer.seen.append(msg)
                outer.data_arrived.set()
                mode = outer.mode
                if mode == "451":
                    return "451 4.3.0 Try again later"
                if mode == "550":
                    return "550 5.7.1 Message rejected by policy"
                if mode == "drop":
                    server.transport.abort()
                    return "250 OK"  # never reaches the client
                if mode == "stall":
                    await asyncio.sleep(120)
                    return "451 4.4.2 Timed out"
                outer.accepted.append(msg)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def message_ids(self, which: str = "accepted") -> list[str]:
        return [str(m["Message-ID"]).strip() for m in getattr(self, which)]

    def __enter__(self) -> FlakySmtp:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
