"""HTTP for feeds and article pages: the only module that imports aiohttp.

Every failure a network or a server can cause comes back as a value (FetchedFeed
/ FetchedPage with `error` set, one line), never as an exception, so one bad
feed cannot stop a poll (reliability.md P1). What it enforces (P2, P3, P6):

- a total deadline per request, body included (a server dripping a byte a
  second is cut off), on top of aiohttp's connect and inactivity timeouts;
- a cap on the *decoded* body, read in chunks (aiohttp 3.14 decompresses in
  bounded steps, so a gzip bomb stops at the cap without being inflated);
- only http/https, at most `max_redirects` hops followed by hand, each hop
  re-checked; a chain of only 301/308 is reported as `permanent_redirect`;
- no connection to a non-public address unless the operator allows it, checked
  on the resolved addresses at connect time (custom resolver + socket factory),
  so neither a redirect nor DNS rebinding nor an odd IP spelling gets around it;
- conditional GET (ETag / Last-Modified), Retry-After and Cache-Control/Expires;
- a global limit and a per-host limit on requests in flight; slots are taken
  before the deadline starts, so waiting for a busy host does not time a feed out.

aiohttp rather than httpx: httpx's pool costs 4-17x aiohttp's CPU per request
at 32 connections (performance.md).
"""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from monitor.types import FetchedFeed, FetchedPage

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_ACCEPTED_ENCODINGS = frozenset({"", "identity", "gzip", "x-gzip", "deflate"})
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_PRIVATE_HINT = "(set [fetch] allow_private_networks = true to allow)"


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds on every request (reliability.md §1.12). Sizes count decoded bytes."""

    concurrency: int = 32
    per_host: int = 4
    connect_timeout: float = 10
    read_timeout: float = 30
    total_timeout: float = 60
    max_bytes: int = 10 * 1024 * 1024  # counted AFTER decompression
    max_redirects: int = 5
    allow_private_networks: bool = False
    user_agent: str = "monitor/0.1 (+https://github.com/monitor-news/monitor)"


# --- address policy ------------------------------------------------------------

_SHARED_NAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")


def address_problem(ip: IPAddress) -> str | None:
    """Why `ip` is not a public address ("a loopback address", ...), or None.

    ipaddress's is_global alone is not enough (reliability.md §1.9): it says
    True for multicast, NAT64 and 6to4 addresses that reach private hosts.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_problem(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            inner = address_problem(ip.sixtofour)
            return f"a 6to4 address of {inner}" if inner else None
        if ip in _NAT64:
            inner = address_problem(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
            return f"a NAT64 address of {inner}" if inner else None
        if ip in _NAT64_LOCAL:
            return "a local-use NAT64 address"
        if ip.teredo is not None:
            return "a Teredo address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_NAT:
        return "a shared (carrier-grade NAT) address"
    if ip.is_reserved:
        return "a reserved address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "not a public address"
    return None


class _Refused(OSError):
    """Raised inside aiohttp's connect path when the policy refuses an address."""


def _refusal(ip: IPAddress, why: str) -> str:
    return f"refused: {ip} is {why} {_PRIVATE_HINT}"


class _GuardedResolver(AbstractResolver):
    """Wraps the real resolver; refuses the whole name if any address is not allowed."""

    def __init__(self, inner: AbstractResolver, check: Callable[[IPAddress], str | None]) -> None:
        self._inner = inner
        self._check = check
        # A name that did not resolve fails at once for the rest of this Fetcher's life (one
        # poll): a feed's article links mostly share a few hosts, and thousands of repeated
        # lookups of a dead name would otherwise cost a DNS timeout each.
        self._failed: dict[str, OSError] = {}
        self._inflight: dict[tuple[str, int, int], asyncio.Future[list[ResolveResult]]] = {}

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if host in self._failed:
            raise self._failed[host]
        key = (host, port, int(family))
        lookup = self._inflight.get(key)
        if lookup is None:  # one lookup per name at a time; the others wait for it
            lookup = asyncio.ensure_future(self._inner.resolve(host, port, family))
            self._inflight[key] = lookup
            lookup.add_done_callback(lambda _f: self._inflight.pop(key, None))
        try:
            infos = await asyncio.shield(lookup)
        except OSError as e:
            self._failed[host] = e
            raise
        for info in infos:
            problem = self._check(ipaddress.ip_address(info["host"].split("%", 1)[0]))
            if problem:
                raise _Refused(problem)
        return infos

    async def close(self) -> None:
        await self._inner.close()


# --- results -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Response:
    final_url: str
    status: int | None
    body: bytes | None
    headers: Any = None  # CIMultiDictProxy of the last response
    permanent_redirect: str | None = None
    error: str | None = None


class Fetcher:
    """Owns one aiohttp.ClientSession; use as `async with Fetcher(limits) as f:`.

    `resolver` replaces the DNS resolver (tests map names to loopback);
    `address_allowed` replaces the public-address policy (tests treat one
    loopback address as public to exercise redirects into a private one).
    """

    def __init__(
        self,
        limits: FetchLimits | None = None,
        *,
        resolver: AbstractResolver | None = None,
        address_allowed: Callable[[IPAddress], bool] | None = None,
    ) -> None:
        self.limits = limits or FetchLimits()
        self._inner_resolver = resolver
        self._unresolvable: dict[str, str] = {}  # host -> the error its lookup gave, for this Fetcher's life
        self._address_allowed = address_allowed
        self._session: aiohttp.ClientSession | None = None
        self._global: asyncio.Semaphore | None = None
        self._hosts: dict[str, list[Any]] = {}  # host -> [Semaphore, users]

    # -- lifecycle --

    async def __aenter__(self) -> Fetcher:
        lim = self.limits
        resolver = _GuardedResolver(self._inner_resolver or DefaultResolver(), self._problem)
        connector = aiohttp.TCPConnector(
            limit=lim.concurrency,
            limit_per_host=lim.per_host,
            resolver=resolver,
            ttl_dns_cache=60,
            socket_factory=self._socket_factory,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=lim.connect_timeout, sock_read=lim.read_timeout
            ),
            headers={"User-Agent": lim.user_agent, "Accept-Encoding": "gzip, deflate"},
            cookie_jar=aiohttp.DummyCookieJar(),  # no cookies carried between hosts
            trust_env=False,  # no proxy or CA bundle from the environment
            auto_decompress=True,
        )
        self._global = asyncio.Semaphore(lim.concurrency)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- policy --

    def _problem(self, ip: IPAddress) -> str | None:
        if self._address_allowed is not None:
            return None if self._address_allowed(ip) else _refusal(ip, "not allowed")
        if self.limits.allow_private_networks:
            return None
        why = address_problem(ip)
        return _refusal(ip, why) if why else None

    def _socket_factory(self, addr_info: Any) -> socket.socket:
        """Last check at connect time, on the address actually dialled."""
        family, type_, proto, _, sockaddr = addr_info
        problem = self._problem(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
        if problem:
            raise _Refused(problem)
        return socket.socket(family=family, type=type_, proto=proto)

    def _url_problem(self, url: str) -> str | None:
        try:
            parts = urlsplit(url)
            host = parts.hostname
            _ = parts.port  # raises on a bad port
        except ValueError as e:
            return f"invalid URL: {e}"
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            return f"refused: unsupported URL scheme '{scheme or '(none)'}' (only http and https)"
        if not host:
            return "invalid URL: no host"
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return None  # a name: checked when it is resolved
        return self._problem(ip)

    # -- slots --

    async def _acquire(self, host: str) -> None:
        assert self._global is not None
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = [asyncio.Semaphore(self.limits.per_host), 0]
        slot[1] += 1
        try:
            await slot[0].acquire()  # host first: a busy host must not hold global slots
        except BaseException:
            self._drop(host)
            raise
        try:
            await self._global.acquire()
        except BaseException:
            slot[0].release()
            self._drop(host)
            raise

    def _release(self, host: str) -> None:
        assert self._global is not None
        self._global.release()
        self._hosts[host][0].release()
        self._drop(host)

    def _drop(self, host: str) -> None:
        slot = self._hosts[host]
        slot[1] -= 1
        if slot[1] == 0:
            del self._hosts[host]

    # -- public API --

    async def fetch_feed(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchedFeed:
        """GET a feed, conditionally when validators are given. Never raises for
        network or HTTP problems: see `error`."""
        started = time.monotonic()
        headers = {"Accept": _FEED_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        r = await self._request(url, headers, page=False)
        elapsed = time.monotonic() - started
        h = r.headers
        if h is None:
            return FetchedFeed(url=url, final_url=r.final_url, status=r.status, body=None,
                               etag=etag, last_modified=last_modified, error=r.error,
                               elapsed=elapsed)
        new_etag = h.get("ETag")
        new_lm = h.get("Last-Modified")
        if r.status == 304:
            new_etag = new_etag or etag
            new_lm = new_lm or last_modified
        elif r.error is not None:
            new_etag, new_lm = etag, last_modified  # an error page's validators mean nothing
        retry_after = (
            _retry_after(h.get("Retry-After"), h.get("Date")) if r.status in (429, 503) else None
        )
        error = r.error
        if error and retry_after is not None:
            error = f"{error} (retry after {retry_after:.0f} s)"
        return FetchedFeed(
            url=url,
            final_url=r.final_url,
            status=r.status,
            body=r.body if r.status != 304 else None,
            etag=new_etag,
            last_modified=new_lm,
            content_type=h.get("Content-Type"),
            permanent_redirect=r.permanent_redirect,
            retry_after=retry_after,
            max_age=_max_age(h) if r.error is None else None,
            error=error,
            elapsed=elapsed,
        )

    async def fetch_page(self, url: str) -> FetchedPage:
        """GET an article page (HTML). Other content types are skipped unread."""
        r = await self._request(url, {"Accept": _PAGE_ACCEPT}, page=True)
        content_type = r.headers.get("Content-Type") if r.headers is not None else None
        return FetchedPage(url=url, final_url=r.final_url, status=r.status, body=r.body,
                           content_type=content_type, error=r.error)

    # -- the request --

    async def _request(self, url: str, headers: dict[str, str], *, page: bool) -> _Response:
        if self._session is None:
            raise RuntimeError("Fetcher used outside 'async with'")  # a bug, not a fetch error
        problem = self._url_problem(url)
        if problem:
            return _Response(final_url=url, status=None, body=None, error=problem)
        host = (urlsplit(url).hostname or "").lower()
        if host in self._unresolvable:  # one failed lookup per name per poll is enough
            return _Response(final_url=url, status=None, body=None, error=self._unresolvable[host])
        await self._acquire(host)
        progress = _Progress(url)
        total = self.limits.total_timeout
        try:
            try:
                async with asyncio.timeout(total) as deadline:
                    return await self._follow(url, headers, page=page, progress=progress)
            except TimeoutError:
                if deadline.expired():
                    return _Response(final_url=progress.url, status=None, body=None,
                                     error=f"timed out after {total:g} s (total deadline)")
                raise
        except (aiohttp.ClientError, TimeoutError) as e:  # TimeoutError: sock_connect/sock_read
            error = self._describe(e)
            if isinstance(e, aiohttp.ClientConnectorDNSError) and progress.url == url:
                self._unresolvable[host] = error
            return _Response(final_url=progress.url, status=None, body=None, error=error)
        except OSError as e:  # _Refused from the socket factory, or a socket error
            refused = _find(e, _Refused)
            error = str(refused) if refused else f"network error: {_short(e)}"
            return _Response(final_url=progress.url, status=None, body=None, error=error)
        except ValueError as e:  # yarl/IDNA on a URL that urlsplit accepted
            return _Response(final_url=progress.url, status=None, body=None,
                             error=f"invalid URL: {_short(e)}")
        finally:
            self._release(host)

    async def _follow(
        self, url: str, headers: dict[str, str], *, page: bool, progress: _Progress
    ) -> _Response:
        assert self._session is not None
        lim = self.limits
        current = url
        hops = 0
        permanent = True
        while True:
            progress.url = current
            problem = self._url_problem(current)
            if problem:
                return _Response(final_url=current, status=None, body=None, error=problem)
            try:
                ctx = self._session.get(current, headers=headers, allow_redirects=False)
            except (ValueError, aiohttp.InvalidURL) as e:
                return _Response(final_url=current, status=None, body=None,
                                 error=f"invalid URL: {_short(e)}")
            async with ctx as resp:
                status = resp.status
                if status in _REDIRECTS and "Location" in resp.headers:
                    hops += 1
                    if hops > lim.max_redirects:
                        return _Response(final_url=current, status=status, body=None,
                                         headers=resp.headers,
                                         error=f"too many redirects (more than "
                                               f"{lim.max_redirects})")
                    permanent = permanent and status in _PERMANENT
                    try:
                        current = urljoin(str(resp.url), resp.headers["Location"].strip())
                    except ValueError:
                        return _Response(final_url=current, status=status, body=None,
                                         headers=resp.headers, error="invalid redirect Location")
                    log.debug("redirect %s %s -> %s", status, resp.url, current)
                    continue
                moved = current if hops and permanent else None
                if status == 304:
                    return _Response(final_url=current, status=304, body=None,
                                     headers=resp.headers, permanent_redirect=moved)
                if status >= 400 or status in _REDIRECTS:
                    return _Response(final_url=current, status=status, body=None,
                                     headers=resp.headers, error=_status_error(resp))
                if status < 200 or status >= 300:
                    return _Response(final_url=current, status=status, body=None,
                                     headers=resp.headers,
                                     error=f"unexpected HTTP {status} {resp.reason or ''}".strip())
                encoding = resp.headers.get("Content-Encoding", "").strip().lower()
                if encoding not in _ACCEPTED_ENCODINGS:
                    return _Response(final_url=current, status=status, body=None,
                                     headers=resp.headers,
                                     error=f"unsupported content encoding '{encoding}'")
                if page:
                    media = (resp.content_type or "").lower()
                    if "Content-Type" in resp.headers and media not in _PAGE_TYPES:
                        return _Response(final_url=current, status=status, body=None,
                                         headers=resp.headers,
                                         error=f"not a web page ({media})")
                body, error = await self._read_capped(resp)
                return _Response(final_url=current, status=status, body=body,
                                 headers=resp.headers, permanent_redirect=moved, error=error)

    async def _read_capped(self, resp: aiohttp.ClientResponse) -> tuple[bytes | None, str | None]:
        cap = self.limits.max_bytes
        too_large = f"response larger than {_size(cap)} cap"
        length = resp.content_length
        if length is not None and length > cap:
            return None, too_large  # refused before reading (H-5)
        buf = bytearray()
        async for chunk in resp.content.iter_any():
            if len(buf) + len(chunk) > cap:
                return None, too_large
            buf += chunk
        return bytes(buf), None

    def _describe(self, e: BaseException) -> str:
        """One line for the log and `monitor status`; the cause, not the stack."""
        refused = _find(e, _Refused)
        if refused is not None:
            return str(refused)
        lim = self.limits
        if isinstance(e, aiohttp.ConnectionTimeoutError):
            return f"timed out connecting after {lim.connect_timeout:g} s (connect timeout)"
        if isinstance(e, aiohttp.SocketTimeoutError):
            return f"timed out: no data for {lim.read_timeout:g} s (read timeout)"
        if isinstance(e, TimeoutError):
            return f"timed out ({_short(e) or 'timeout'})"
        if isinstance(e, aiohttp.ClientConnectorDNSError):
            return f"cannot resolve host '{e.host}': {_short(e.os_error)}"
        if isinstance(e, aiohttp.ClientConnectorCertificateError):
            return f"TLS certificate error for {e.host}: {_short(e.certificate_error)}"
        if isinstance(e, aiohttp.ClientSSLError):
            return f"TLS error: {_short(e)}"
        if isinstance(e, aiohttp.ClientConnectorError):
            return f"cannot connect to {e.host}:{e.port}: {_short(e.os_error)}"
        if isinstance(e, aiohttp.TooManyRedirects):
            return f"too many redirects (more than {lim.max_redirects})"
        if isinstance(e, aiohttp.InvalidURL):
            return f"invalid URL: {_short(e)}"
        if isinstance(e, aiohttp.ClientPayloadError):
            return f"connection broke while reading the body: {_short(e)}"
        if isinstance(e, aiohttp.ServerDisconnectedError):
            return "server closed the connection without a response"
        if isinstance(e, aiohttp.ClientResponseError):
            message = _short(Exception(e.message))
            if "content-encoding" in message.lower():
                return f"cannot decode the response's content encoding: {message}"
            return f"bad HTTP response: {message}"
        return f"{type(e).__name__}: {_short(e)}"


class _Progress:
    """Where a request has got to, for the message when the deadline strikes."""

    __slots__ = ("url",)

    def __init__(self, url: str) -> None:
        self.url = url


# --- helpers -------------------------------------------------------------------


def _find(e: BaseException | None, kind: type[BaseException]) -> BaseException | None:
    seen = 0
    while e is not None and seen < 10:
        if isinstance(e, kind):
            return e
        wrapped = getattr(e, "os_error", None)  # aiohttp's connector errors keep the cause here
        usable = isinstance(wrapped, BaseException) and wrapped is not e
        e = wrapped if usable else (e.__cause__ or e.__context__)
        seen += 1
    return None


def _short(e: BaseException | None, limit: int = 160) -> str:
    s = " ".join(str(e or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _size(n: int) -> str:
    mib = 1024 * 1024
    if n % mib == 0:
        return f"{n // mib} MB"
    if n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def _status_error(resp: aiohttp.ClientResponse) -> str:
    if resp.status == 410:
        return "HTTP 410 Gone"
    if resp.status in _REDIRECTS:
        return f"HTTP {resp.status} redirect without a Location header"
    reason = (resp.reason or "").strip()
    return f"HTTP {resp.status} {reason}".strip()


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def _server_now(date_header: str | None) -> datetime:
    """The server's idea of now (its Date header), so its clock skew cancels out."""
    return _http_date(date_header) or datetime.now(UTC)


def _retry_after(value: str | None, date_header: str | None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP-date. None if absent,
    garbage or in the past."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    when = _http_date(value)
    if when is None:
        return None
    seconds = (when - _server_now(date_header)).total_seconds()
    return seconds if seconds > 0 else None


def _max_age(headers: Any) -> float | None:
    """Freshness lifetime from Cache-Control max-age, else Expires (relative to Date)."""
    cache_control = headers.get("Cache-Control")
    if cache_control:
        directives = {}
        for part in cache_control.split(","):
            name, _, arg = part.strip().partition("=")
            directives[name.strip().lower()] = arg.strip().strip('"')
        if "no-store" in directives or "no-cache" in directives:
            return None
        arg = directives.get("max-age")
        if arg is not None:
            return float(int(arg)) if arg.isdigit() else None
    expires = headers.get("Expires")
    if expires is not None:
        when = _http_date(expires)
        if when is None:
            return 0.0  # RFC 9111: an invalid Expires means already expired
        return max(0.0, (when - _server_now(headers.get("Date"))).total_seconds())
    return None
