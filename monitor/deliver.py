"""Turn a RenderedDigest into an email and hand it to an outbox folder or SMTP.

The one module that imports smtplib and email. Header values that come from
feeds (the subject carries the topic name, a display name may too) are
sanitised here and not trusted to the email package: CPython 3.11.7 still
writes a trailing LF, and the LF inside an encoded word such as
"=?utf-8?q?a=0Ab?=", straight into the header block (CVE-2024-6923).
"""

from __future__ import annotations

import contextlib
import email.policy
import email.utils
import hashlib
import logging
import os
import re
import smtplib
import socket
import ssl
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Literal, Protocol

from monitor.types import RenderedDigest

log = logging.getLogger(__name__)

MAX_HEADER_TEXT = 200  # subject / display name, in characters
SMTP_SECURITY = ("none", "starttls", "tls")
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

# The headers build_message writes; anything else in the serialised header
# block means a value broke out of its header.
_OWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "auto-submitted",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    }
)

# RFC 5322 atext, ASCII only: SMTPUTF8 is not assumed of the relay.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_RE = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*$")
_LABEL_RE = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_MSGID_RE = re.compile(r"^<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>$")

# Bidi embeddings/overrides/isolates and the BOM, which can make a header
# display differently from what it says.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


class DeliveryError(Exception):
    """Sending failed; the digest stays undelivered.

    `permanent` is True when sending the same message again cannot succeed
    (a 5xx answer, a config problem): the caller marks it failed instead of
    retrying. `kind` is a short tag for logs and circuit breakers:
    "rejected", "auth", "tls", "connect", "timeout", "disconnected", "smtp",
    "outbox".
    """

    def __init__(self, message: str, permanent: bool, *, kind: str = "smtp") -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.kind = kind


class Mailer(Protocol):
    """Where built messages go: an SMTP server or an outbox folder."""

    def send(self, msg: EmailMessage) -> None: ...


# --- building ----------------------------------------------------------------


def sanitize_header_text(value: object, *, limit: int = MAX_HEADER_TEXT) -> str:
    """One safe line for a header: control chars and line separators become
    spaces, the encoded-word opener "=?" is broken up so the email package
    cannot decode a hidden newline out of it, bidi controls go, length is capped.
    """
    text = "" if value is None else str(value)
    chars = []
    for c in text:
        if c in _BIDI:
            continue
        chars.append(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp", "Cs") else c)
    text = " ".join("".join(chars).split())
    text = text.replace("=?", "=\u200b?")
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def validate_address(value: str) -> str:
    """A bare addr-spec (user@example.org) checked strictly, or ValueError.

    Stricter than RFC 5322 on purpose: dot-atom ASCII local part, hostname
    labels (IDN converted to its ASCII form), no quoted strings, no comments,
    no display names, no IP literals.
    """
    if not isinstance(value, str):
        raise ValueError(f"invalid email address {value!r}: not a string")
    addr = value.strip()
    if not addr or any(c.isspace() or unicodedata.category(c)[0] == "C" for c in addr):
        raise ValueError(
            f"invalid email address {value!r}: empty or contains spaces/control characters"
        )
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain:
        raise ValueError(f"invalid email address {value!r}: expected user@domain")
    if not local.isascii():
        raise ValueError(
            f"invalid email address {value!r}: "
            "a non-ASCII user part needs SMTPUTF8, which is not supported"
        )
    if not _LOCAL_RE.match(local) or len(local) > 64:
        raise ValueError(
            f"invalid email address {value!r}: user part {local!r} is not a plain dot-atom"
        )
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError as e:
        raise ValueError(
            f"invalid email address {value!r}: domain {domain!r} cannot be encoded"
        ) from e
    labels = ascii_domain.rstrip(".").split(".")
    if len(ascii_domain) > 253 or not all(_LABEL_RE.match(label) for label in labels):
        raise ValueError(f"invalid email address {value!r}: {domain!r} is not a valid host name")
    result = f"{local}@{ascii_domain}"
    # Cross-check with the stdlib parser: it must read back exactly this address.
    if email.utils.parseaddr(result)[1] != result:
        raise ValueError(f"invalid email address {value!r}")
    return result


def _address(addr: str, display_name: str | None = None) -> Address:
    ok = validate_address(addr)
    local, _, domain = ok.rpartition("@")
    name = sanitize_header_text(display_name) if display_name else ""
    return Address(display_name=name, username=local, domain=domain)


def build_message(
    rendered: RenderedDigest,
    *,
    sender: str,
    sender_name: str | None,
    recipients: Sequence[str],
    message_id: str,
    date: datetime,
) -> EmailMessage:
    """multipart/alternative (text/plain first, then text/html) with a stable
    Message-ID, so a resend after a crash can be recognised as the same mail.

    Raises ValueError for an invalid address, Message-ID or naive date, and if
    any value would end up outside its own header.
    """
    if isinstance(recipients, str):
        raise ValueError("recipients must be a list of addresses, not one string")
    to: list[Address] = []
    seen: set[str] = set()
    for r in recipients:
        a = _address(r)
        if a.addr_spec.lower() not in seen:
            seen.add(a.addr_spec.lower())
            to.append(a)
    if not to:
        raise ValueError("no recipients: add at least one address to the topic's recipients")
    if not isinstance(message_id, str) or not _MSGID_RE.match(message_id.strip()):
        raise ValueError(
            f"invalid Message-ID {message_id!r}: expected <unique@host> without spaces"
        )
    if date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("message date must be timezone-aware")

    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = _address(sender, sender_name)
    msg["To"] = to
    msg["Subject"] = sanitize_header_text(rendered.subject) or "(no subject)"
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = message_id.strip()
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies
    # quoted-printable keeps the body 7-bit clean and every line under 998
    # octets, whatever the relay supports and however long a URL is.
    msg.set_content(rendered.text, subtype="plain", charset="utf-8", cte="quoted-printable")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="quoted-printable")
    _check_header_block(msg)
    return msg


def _check_header_block(msg: EmailMessage) -> None:
    """Serialise the headers and make sure only ours are there: the last line
    of defence if a newline ever slips past sanitising."""
    raw = msg.as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    if b"\n" in head.replace(b"\r\n", b"") or b"\r" in head.replace(b"\r\n", b""):
        raise ValueError("refusing to build a message with a bare CR or LF in its headers")
    names = []
    for line in head.split(b"\r\n"):
        if not line or line[:1] in (b" ", b"\t"):
            continue
        name = line.split(b":", 1)[0].decode("ascii", "replace").strip().lower()
        names.append(name)
    extra = [n for n in names if n not in _OWN_HEADERS]
    if extra or len(names) != len(set(names)):
        raise ValueError(
            f"refusing to build a message with unexpected headers: {sorted(set(names))}"
        )


# --- outbox ------------------------------------------------------------------


def _safe_id(message_id: str) -> str:
    """A filename-safe form of a Message-ID; a hash suffix keeps it unique
    when characters had to be replaced or the id was cut."""
    bare = message_id.strip().strip("<>")
    safe = re.sub(r"[^A-Za-z0-9._@+=-]", "_", bare).lstrip(".")[:120]
    if safe != bare:
        safe += "-" + hashlib.sha256(message_id.encode()).hexdigest()[:10]
    return safe


class OutboxMailer:
    """Writes each message as `<folder>/<date>-<message id>.eml`.

    Used when no SMTP server is configured. Writing is atomic (temp file,
    fsync, os.replace), and a second send of the same Message-ID replaces the
    first file instead of adding a copy, so a resend after a crash is harmless.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path_for(self, msg: EmailMessage) -> Path:
        message_id = msg.get("Message-ID")
        if not message_id:
            raise ValueError("message has no Message-ID; build it with build_message()")
        safe = _safe_id(str(message_id))
        pattern = re.compile(rf"^\d{{8}}T\d{{6}}Z-{re.escape(safe)}\.eml$")
        if self.folder.is_dir():
            for existing in sorted(self.folder.iterdir()):
                if pattern.match(existing.name):
                    return existing
        when = _message_date(msg)
        return self.folder / f"{when:%Y%m%dT%H%M%SZ}-{safe}.eml"

    def send(self, msg: EmailMessage) -> None:
        data = msg.as_bytes(policy=email.policy.SMTP)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            target = self.path_for(msg)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".eml", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
            _fsync_dir(self.folder)
        except OSError as e:
            raise DeliveryError(
                f"cannot write to outbox folder {self.folder}: {e.strerror or e} "
                "(check [email].outbox and its permissions)",
                permanent=False,
                kind="outbox",
            ) from e
        log.info("digest_written path=%s message_id=%s", target, msg["Message-ID"])


def _message_date(msg: EmailMessage) -> datetime:
    try:
        when = email.utils.parsedate_to_datetime(str(msg["Date"]))
    except (TypeError, ValueError):
        when = datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- SMTP --------------------------------------------------------------------


class SmtpMailer:
    """Sends over SMTP, one connection per message.

    TLS certificates are verified (smtplib's own default does not verify),
    STARTTLS is required when configured (no silent downgrade), and a
    password is never sent in plaintext to a non-loopback host.
    """

    def __init__(
        self,
        host: str,
        port: int,
        security: Literal["none", "starttls", "tls"] = "none",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30,
        *,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in SMTP_SECURITY:
            raise ValueError(
                f"unknown SMTP security {security!r}: use one of {', '.join(SMTP_SECURITY)}"
            )
        if username and security == "none" and host not in _LOOPBACK_HOSTS:
            raise ValueError(
                f"SMTP login to {host}:{port} without TLS would send the password in plaintext: "
                'set security = "starttls" or "tls"'
            )
        self.host = host
        self.port = int(port)
        self.security = security
        self.username = username or None
        self.password = password
        self.timeout = timeout
        self.ssl_context = ssl_context

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def send(self, msg: EmailMessage) -> None:
        try:
            self._send(msg)
        except DeliveryError as e:
            self._log_failure(e)
            raise
        except Exception as e:
            err = self._classify(e)
            if err is None:
                raise  # not a delivery problem: a bug, let it show
            self._log_failure(err)
            raise err from e
        log.info("digest_sent host=%s message_id=%s", self.where, msg["Message-ID"])

    def _send(self, msg: EmailMessage) -> None:
        smtp: smtplib.SMTP
        if self.security == "tls":
            smtp = smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=self._context()
            )
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            smtp.ehlo_or_helo_if_needed()
            if self.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(
                        f"SMTP server {self.where} does not offer STARTTLS and "
                        'security = "starttls": refusing to send in plaintext '
                        "(fix the server or the [email.smtp] security key)",
                        permanent=True,
                        kind="tls",
                    )
                smtp.starttls(context=self._context())
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
            refused = smtp.send_message(msg)
            # The message is accepted; an odd answer to QUIT must not turn
            # that into a failure (and a duplicate on retry).
            with contextlib.suppress(smtplib.SMTPException, OSError):
                smtp.quit()
        finally:
            smtp.close()
        if refused:
            # Some recipients took it: raising would make the caller resend to
            # those too. Report the rest in the log.
            log.warning(
                "smtp_partly_refused host=%s message_id=%s refused=%s",
                self.where,
                msg["Message-ID"],
                _describe_refused(refused),
            )

    def _log_failure(self, err: DeliveryError) -> None:
        log.warning(
            "smtp_failed host=%s permanent=%s kind=%s error=%s",
            self.where,
            err.permanent,
            err.kind,
            err.message,
        )

    def _classify(self, e: BaseException) -> DeliveryError | None:
        where = self.where
        if isinstance(e, smtplib.SMTPRecipientsRefused):
            permanent = bool(e.recipients) and all(code >= 500 for code, _ in e.recipients.values())
            return DeliveryError(
                f"SMTP server {where} refused all recipients: {_describe_refused(e.recipients)}"
                f"{_outcome(permanent)}",
                permanent,
                kind="rejected",
            )
        if isinstance(e, smtplib.SMTPResponseException):
            code = int(e.smtp_code) if isinstance(e.smtp_code, int) else -1
            permanent = code >= 500
            kind = "auth" if isinstance(e, smtplib.SMTPAuthenticationError) else "rejected"
            return DeliveryError(
                f"SMTP server {where} answered {code} {_one_line(e.smtp_error)}"
                f"{_outcome(permanent)}",
                permanent,
                kind=kind,
            )
        if isinstance(e, smtplib.SMTPServerDisconnected) and isinstance(
            e.__context__, TimeoutError
        ):
            e = e.__context__  # smtplib reports a read timeout as a disconnect
        if isinstance(e, smtplib.SMTPServerDisconnected):
            return DeliveryError(
                f"SMTP server {where} closed the connection "
                f"({_one_line(str(e)) or 'no reason given'}){_outcome(False)}",
                False,
                kind="disconnected",
            )
        if isinstance(e, smtplib.SMTPNotSupportedError):
            return DeliveryError(
                f"SMTP server {where}: {_one_line(str(e))}{_outcome(True)}", True, kind="smtp"
            )
        if isinstance(e, smtplib.SMTPException):
            return DeliveryError(
                f"SMTP with {where} failed: {_one_line(str(e))}{_outcome(False)}", False
            )
        if isinstance(e, ssl.SSLCertVerificationError):
            return DeliveryError(
                f"TLS certificate of SMTP server {where} not trusted: "
                f"{_one_line(e.verify_message or str(e))}{_outcome(True)}",
                True,
                kind="tls",
            )
        if isinstance(e, ssl.SSLError):
            return DeliveryError(
                f"TLS with SMTP server {where} failed: {_one_line(str(e))}{_outcome(False)}",
                False,
                kind="tls",
            )
        if isinstance(e, (TimeoutError, socket.timeout)):
            return DeliveryError(
                f"SMTP server {where} did not answer within {self.timeout:g} s{_outcome(False)}",
                False,
                kind="timeout",
            )
        if isinstance(e, socket.gaierror):
            return DeliveryError(
                f"cannot resolve SMTP host {self.host!r}: {e.strerror or e} "
                f"(check [email.smtp].host){_outcome(False)}",
                False,
                kind="connect",
            )
        if isinstance(e, OSError):
            reason = e.strerror or _one_line(str(e)) or type(e).__name__
            return DeliveryError(
                f"cannot connect to SMTP server {where}: {reason} "
                f"(check [email.smtp] host and port){_outcome(False)}",
                False,
                kind="connect",
            )
        return None


def _outcome(permanent: bool) -> str:
    return " (permanent, will not retry)" if permanent else " (will retry)"


def _one_line(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())


def _describe_refused(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {code} {_one_line(text)}" for addr, (code, text) in refused.items())
