"""deliver.py against a real SMTP server (aiosmtpd on 127.0.0.1) and a real folder."""

from __future__ import annotations

import asyncio
import email
import email.policy
import re
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from aiosmtpd.controller import Controller

from monitor.deliver import (
    DeliveryError,
    Mailer,
    OutboxMailer,
    SmtpMailer,
    build_message,
    sanitize_header_text,
    validate_address,
)
from monitor.digest import render_digest
from monitor.types import RenderedDigest

from .conftest import make_digest_data

MESSAGE_ID = "<digest-xi-putin-20230321T0700@monitor.localhost>"
DATE = datetime(2023, 3, 21, 7, 0, tzinfo=UTC)
EXPECTED_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "auto-submitted",
    "mime-version",
    "content-type",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Handler:
    """Records what it accepts; `data_reply` / `rcpt_reply` script failures."""

    data_reply: str = "250 2.0.0 OK"
    rcpt_reply: str | None = None
    drop_after_data: bool = False
    data_delay: float = 0.0
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        if self.drop_after_data:
            server.transport.abort()  # the RFC 1047 window: no answer to the final "."
            return "250 2.0.0 never sent"
        if self.data_reply.startswith("250"):
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return self.data_reply


@pytest.fixture
def smtp_server() -> Iterator[tuple[Handler, SmtpMailer]]:
    """A started server plus a mailer pointed at it; tests adjust the handler."""
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, SmtpMailer("127.0.0.1", controller.port, "none", None, None, timeout=5)
    finally:
        controller.stop()


def rendered(
    subject: str = "Xi Jinping meets Putin: 5 new developments, 2 changed facts (20–21 Mar 2023)",  # noqa: RUF001
) -> RenderedDigest:
    real = render_digest(make_digest_data())
    return RenderedDigest(subject=subject, text=real.text, html=real.html)


def message(
    subject: str | None = None,
    *,
    sender_name: str | None = "monitor",
    recipients: tuple[str, ...] = ("analyst@example.org",),
    message_id: str = MESSAGE_ID,
    date: datetime = DATE,
) -> email.message.EmailMessage:
    r = rendered() if subject is None else rendered(subject)
    return build_message(
        r,
        sender="monitor@localhost",
        sender_name=sender_name,
        recipients=recipients,
        message_id=message_id,
        date=date,
    )


def parse(raw: bytes) -> email.message.EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


# --- build_message -------------------------------------------------------------


def test_message_is_multipart_alternative_text_first() -> None:
    msg = message()
    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert "WHAT CHANGED IN THE BASELINE" in parts[0].get_content()
    assert "<h2" in parts[1].get_content()
    assert msg["Message-ID"] == MESSAGE_ID
    assert msg["Auto-Submitted"] == "auto-generated"
    assert (
        msg["Subject"]
        == "Xi Jinping meets Putin: 5 new developments, 2 changed facts (20–21 Mar 2023)"  # noqa: RUF001
    )
    assert msg["From"] == "monitor <monitor@localhost>"
    assert msg["To"] == "analyst@example.org"


def test_message_lines_stay_under_smtp_limit() -> None:
    raw = message().as_bytes()
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert raw.isascii()  # quoted-printable bodies, RFC 2047 subject


@pytest.mark.parametrize(
    "subject",
    [
        "Digest\r\nBcc: x@evil.example",
        "Digest\nBcc: x@evil.example\n",
        "Digest\u2028Bcc: x@evil.example",
        "=?utf-8?q?hi=0ABcc:_x@evil.example?=",
        "Digest =?utf-8?q?=0D=0ABcc:_x@evil.example?= tail",
    ],
)
def test_subject_cannot_add_headers(subject: str) -> None:
    raw = message(subject).as_bytes()
    msg = parse(raw)
    assert {k.lower() for k in msg} == EXPECTED_HEADERS
    assert msg["Bcc"] is None
    assert "\n" not in str(msg["Subject"]) and "\r" not in str(msg["Subject"])


def test_display_name_cannot_add_headers() -> None:
    raw = message(
        sender_name="Monitor\r\nBcc: x@evil.example =?utf-8?q?=0ACc:_y@evil.example?="
    ).as_bytes()
    msg = parse(raw)
    assert {k.lower() for k in msg} == EXPECTED_HEADERS
    assert msg["From"].addresses[0].addr_spec == "monitor@localhost"


@pytest.mark.parametrize(
    "bad",
    [
        "not-an-address",
        "x@evil.example\r\nBcc: y@evil.example",
        "Joe <joe@example.org>",
        "a@b@example.org",
        '"quoted"@example.org',
        "a@[127.0.0.1]",
        "user@-bad-.example",
        "",
        "a@example.org, b@example.org",
    ],
)
def test_invalid_address_raises_clear_value_error(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid email address"):
        message(recipients=(bad,))
    with pytest.raises(ValueError, match="invalid email address"):
        build_message(
            rendered(),
            sender=bad,
            sender_name=None,
            recipients=["a@example.org"],
            message_id=MESSAGE_ID,
            date=DATE,
        )


def test_valid_addresses() -> None:
    assert validate_address("monitor@localhost") == "monitor@localhost"
    assert (
        validate_address(" first.last+tag@mail.example.org ") == "first.last+tag@mail.example.org"
    )
    assert validate_address("a@bücher.example") == "a@xn--bcher-kva.example"


def test_recipients_deduplicated_and_required() -> None:
    msg = message(recipients=("a@example.org", "A@example.org", "b@example.org"))
    assert [a.addr_spec for a in msg["To"].addresses] == ["a@example.org", "b@example.org"]
    with pytest.raises(ValueError, match="no recipients"):
        message(recipients=())


@pytest.mark.parametrize(
    "bad_id", ["no-brackets@x", "<two words@x>", "<a@b>\r\nBcc: x@evil", "<noat>"]
)
def test_invalid_message_id_raises(bad_id: str) -> None:
    with pytest.raises(ValueError, match="Message-ID"):
        message(message_id=bad_id)


def test_naive_date_raises() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        message(date=datetime(2023, 3, 21, 7, 0))


def test_sanitize_header_text() -> None:
    assert sanitize_header_text("a\r\nb\tc\x00d\u2028e\u0085f") == "a b c d e f"
    assert "=?" not in sanitize_header_text("=?utf-8?q?x?=")
    assert sanitize_header_text("\u202eevil") == "evil"
    assert len(sanitize_header_text("x" * 1000)) == 200


# --- SMTP ----------------------------------------------------------------------


def test_smtp_delivers_once_with_both_parts(smtp_server: tuple[Handler, SmtpMailer]) -> None:
    handler, mailer = smtp_server
    mailer_as_protocol: Mailer = mailer
    mailer_as_protocol.send(message())
    assert len(handler.received) == 1
    got = handler.received[0]
    assert got.mail_from == "monitor@localhost"
    assert got.rcpt_tos == ["analyst@example.org"]
    msg = parse(got.content)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Message-ID"] == MESSAGE_ID
    plain = msg.get_body(("plain",))
    assert plain is not None
    assert "NEW DEVELOPMENTS" in plain.get_content()


@pytest.mark.parametrize(
    "subject",
    [
        "Digest\r\nBcc: x@evil.example",
        "=?utf-8?q?hi=0ABcc:_x@evil.example?=",
    ],
)
def test_smtp_header_injection_reaches_no_one(
    smtp_server: tuple[Handler, SmtpMailer], subject: str
) -> None:
    handler, mailer = smtp_server
    mailer.send(message(subject, sender_name="x\r\nCc: y@evil.example"))
    got = handler.received[0]
    assert got.rcpt_tos == ["analyst@example.org"]
    msg = parse(got.content)
    assert {k.lower() for k in msg} == EXPECTED_HEADERS
    header_block = got.content.split(b"\r\n\r\n", 1)[0]
    assert not re.search(rb"(?im)^(bcc|cc):", header_block)


def test_smtp_451_is_temporary(smtp_server: tuple[Handler, SmtpMailer]) -> None:
    handler, mailer = smtp_server
    handler.data_reply = "451 4.3.0 try again later"
    with pytest.raises(DeliveryError) as info:
        mailer.send(message())
    assert info.value.permanent is False
    assert (
        str(info.value)
        == f"SMTP server {mailer.where} answered 451 4.3.0 try again later (will retry)"
    )
    assert "\n" not in str(info.value)


def test_smtp_550_is_permanent(smtp_server: tuple[Handler, SmtpMailer]) -> None:
    handler, mailer = smtp_server
    handler.data_reply = "550 5.7.1 message rejected as spam"
    with pytest.raises(DeliveryError) as info:
        mailer.send(message())
    assert info.value.permanent is True
    assert "550 5.7.1 message rejected as spam" in str(info.value)
    assert "will not retry" in str(info.value)


def test_smtp_all_recipients_refused_5xx_is_permanent(
    smtp_server: tuple[Handler, SmtpMailer],
) -> None:
    handler, mailer = smtp_server
    handler.rcpt_reply = "550 5.1.1 no such user"
    with pytest.raises(DeliveryError) as info:
        mailer.send(message())
    assert info.value.permanent is True
    assert "analyst@example.org: 550 5.1.1 no such user" in str(info.value)
    assert handler.received == []


def test_smtp_recipient_refused_4xx_is_temporary(smtp_server: tuple[Handler, SmtpMailer]) -> None:
    handler, mailer = smtp_server
    handler.rcpt_reply = "452 4.2.2 mailbox full"
    with pytest.raises(DeliveryError) as info:
        mailer.send(message())
    assert info.value.permanent is False


def test_smtp_dropped_after_data_is_temporary(smtp_server: tuple[Handler, SmtpMailer]) -> None:
    handler, mailer = smtp_server
    handler.drop_after_data = True
    with pytest.raises(DeliveryError) as info:
        mailer.send(message())
    assert info.value.permanent is False
    assert info.value.kind == "disconnected"
    assert "(will retry)" in str(info.value)


def test_smtp_timeout_is_temporary(smtp_server: tuple[Handler, SmtpMailer]) -> None:
    handler, mailer = smtp_server
    handler.data_delay = 2.0
    mailer.timeout = 0.5
    with pytest.raises(DeliveryError) as info:
        mailer.send(message())
    assert info.value.permanent is False
    assert info.value.kind == "timeout"


def test_smtp_connection_refused_is_temporary() -> None:
    mailer = SmtpMailer("127.0.0.1", free_port(), "none", None, None, timeout=5)
    with pytest.raises(DeliveryError) as info:
        mailer.send(message())
    assert info.value.permanent is False
    assert info.value.kind == "connect"
    assert str(info.value).startswith(f"cannot connect to SMTP server 127.0.0.1:{mailer.port}")


def test_smtp_starttls_required_but_not_offered(smtp_server: tuple[Handler, SmtpMailer]) -> None:
    handler, mailer = smtp_server
    strict = SmtpMailer(mailer.host, mailer.port, "starttls", "user", "secret", timeout=5)
    with pytest.raises(DeliveryError) as info:
        strict.send(message())
    assert info.value.kind == "tls"
    assert "STARTTLS" in str(info.value)
    assert handler.received == []


def test_smtp_refuses_plaintext_login_to_remote_host() -> None:
    with pytest.raises(ValueError, match="plaintext"):
        SmtpMailer("mail.example.org", 25, "none", "user", "secret")
    with pytest.raises(ValueError, match="unknown SMTP security"):
        SmtpMailer("localhost", 25, "ssl", None, None)  # type: ignore[arg-type]


# --- outbox --------------------------------------------------------------------


def test_outbox_writes_one_parseable_file_per_message_id(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path / "outbox")
    outbox.send(message())
    outbox.send(message())  # a resend after a crash
    outbox.send(message(date=datetime(2023, 3, 21, 7, 5, tzinfo=UTC)))  # rebuilt, same id
    files = sorted((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == [
        "20230321T070000Z-digest-xi-putin-20230321T0700@monitor.localhost.eml"
    ]
    msg = email.message_from_bytes(files[0].read_bytes())  # the compat32 parser, as a client would
    assert msg["Message-ID"] == MESSAGE_ID
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.walk()][1:]
    assert parts == ["text/plain", "text/html"]

    outbox.send(message(message_id="<digest-xi-putin-20230322T0700@monitor.localhost>"))
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2
    assert not list((tmp_path / "outbox").glob(".tmp-*"))


def test_outbox_filename_is_safe_for_odd_message_ids(tmp_path: Path) -> None:
    outbox = OutboxMailer(tmp_path)
    outbox.send(message(message_id="<../../etc/passwd@x>"))
    outbox.send(message(message_id="<.._.._etc_passwd@x>"))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2  # different ids never share a file
    assert all("/" not in n and not n.startswith(".") and n.endswith(".eml") for n in names)


def test_outbox_error_is_delivery_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DeliveryError) as info:
        OutboxMailer(blocker / "outbox").send(message())
    assert info.value.permanent is False


# --- TLS (certificate made with the openssl command line) ------------------------


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl command not on PATH")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def tls_server(handler: Handler, cert: tuple[Path, Path], *, implicit: bool) -> Controller:
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(str(cert[0]), str(cert[1]))
    if implicit:
        return Controller(handler, hostname="127.0.0.1", port=free_port(), ssl_context=server_ctx)
    return Controller(
        handler, hostname="127.0.0.1", port=free_port(), tls_context=server_ctx,
        require_starttls=True,
    )  # fmt: skip


@pytest.mark.parametrize(("security", "implicit"), [("starttls", False), ("tls", True)])
def test_smtp_tls_verifies_certificates(
    cert: tuple[Path, Path], security: Literal["starttls", "tls"], implicit: bool
) -> None:
    handler = Handler()
    controller = tls_server(handler, cert, implicit=implicit)
    controller.start()
    try:
        untrusting = SmtpMailer("localhost", controller.port, security, timeout=5)
        with pytest.raises(DeliveryError) as info:
            untrusting.send(message())
        assert info.value.kind == "tls"
        assert "not trusted" in str(info.value)
        assert handler.received == []

        trusting = SmtpMailer(
            "localhost", controller.port, security, timeout=5,
            ssl_context=ssl.create_default_context(cafile=str(cert[0])),
        )  # fmt: skip
        trusting.send(message())
        assert len(handler.received) == 1
    finally:
        controller.stop()
