"""Feed bytes → ParsedFeed: fastfeedparser first, feedparser in a sandbox as a fallback.

Both parsers' output goes through the same normalisation (`_entry`), so a feed
gives the same FeedEntry values whichever parser read it; tests/fetch checks
this on RSS 2.0, Atom 1.0 and RSS 1.0 feeds.

Untrusted input is made safe *before* either parser sees it: a DOCTYPE with an
internal subset is removed (so no entity is ever expanded and no external
entity is ever resolved), the bytes are decoded with a checked encoding and
re-encoded as UTF-8, and a body made of huge numbers of undefined entity
references is refused outright (it costs fastfeedparser ~700 MB and feedparser's
loose parser ~45 s). feedparser itself only ever runs in a child process with
CPU, memory and wall-clock limits (`_parse_worker.py`).

Normalised fields (both parsers):

- guid: the entry's id (RSS guid, Atom id, RDF about), else its link.
- link: the entry's link resolved against the feed URL, else the guid when that
  is an http(s) URL; only http(s) links are kept.
- title: plain text on one line (tags stripped, entities decoded, whitespace
  collapsed).
- summary: plain text of the summary / description; when the item carries only
  a content element, the plain text of that content.
- content: plain text of content:encoded / Atom content when it says more than
  the summary, else "".
- published: published, else updated, as an aware UTC datetime (whole seconds).
- author: the author's name ("bob@x.test (Bob)" → "Bob").

Contains no I/O except the fallback's child process.
"""
from __future__ import annotations

import codecs
import html
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from html.entities import html5 as _HTML5_ENTITIES
from typing import Any
from urllib.parse import urljoin

from monitor.types import FeedEntry, ParsedFeed

log = logging.getLogger(__name__)

# Caps per feed (reliability.md §1.12, P2): a hostile or broken feed cannot make
# the rest of the pipeline do unbounded work.
MAX_ENTRIES = 500
MAX_TITLE_CHARS = 512
MAX_SUMMARY_CHARS = 20_000
MAX_CONTENT_CHARS = 200_000

# Fallback sandbox (reliability.md §1.3: feedparser's loose parser took 44 s and
# 817 MiB on 13 MiB of entity references).
FALLBACK_MAX_BYTES = 4 * 1024 * 1024
FALLBACK_TIMEOUT_S = 20.0
FALLBACK_CPU_S = 20
FALLBACK_MEMORY_BYTES = 768 * 1024 * 1024

# More undefined named entity references than this is garbage or an attack.
MAX_UNDEFINED_ENTITY_REFS = 20_000


class ParseError(Exception):
    """A feed body that cannot be read as a feed. str(e) is one line for the log."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(url, message)  # both in args, so it pickles across processes
        self.url = url
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- entry point -----------------------------------------------------------


def parse_feed(
    body: bytes,
    url: str,
    *,
    content_type: str | None = None,
    fallback_timeout: float = FALLBACK_TIMEOUT_S,
) -> ParsedFeed:
    """Parse one feed body. Raises ParseError on input that is not a readable feed.

    A top-level function with plain arguments so the daemon can run it in a
    thread or process pool.
    """
    prepared, warnings = _prepare(body, url, content_type)
    fast_problem: str | None
    try:
        parsed = _parse_fast(prepared, url)
    except _NotAFeed as e:
        raise ParseError(url, str(e)) from None
    except Exception as e:  # fastfeedparser raises ValueError and friends; any of them → fallback
        if prepared[:1] == b"{":  # feedparser cannot read JSON Feed: no fallback
            why = _one_line(str(e), 120)
            raise ParseError(url, f"not a feed: unreadable JSON ({why})") from None
        fast_problem = f"{type(e).__name__}: {_one_line(str(e))}"
    else:
        fast_problem = _fast_result_problem(parsed, prepared)
        if fast_problem is None:
            if prepared[:1] != b"{" and not _ROOT_CLOSED.search(prepared[-1024:]):
                warnings.append(
                    f"the document is cut short (truncated?); kept the {len(parsed.entries)}"
                    " entries before the cut"
                )
            return _with_warnings(parsed, warnings)
    log.debug("fastfeedparser could not read %s (%s); trying feedparser", url, fast_problem)
    parsed = _parse_with_feedparser_sandboxed(prepared, url, timeout=fallback_timeout)
    return _with_warnings(parsed, warnings)


def _with_warnings(parsed: ParsedFeed, warnings: list[str]) -> ParsedFeed:
    if parsed.warning:
        warnings = [*warnings, parsed.warning]
    if not warnings:
        return parsed
    return ParsedFeed(
        title=parsed.title,
        link=parsed.link,
        entries=parsed.entries,
        ttl_minutes=parsed.ttl_minutes,
        parser=parsed.parser,
        warning="; ".join(warnings),
    )


def _one_line(s: str, limit: int = 200) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


# --- input preparation: emptiness, HTML, DOCTYPE, encoding, entities ---------


class _NotAFeed(Exception):
    """Raised inside this module for input that is clearly no feed (no fallback)."""


_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?\?>", re.S)
_XML_DECL_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_DOCTYPE = re.compile(rb"<!DOCTYPE\s", re.I)
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_SAFE_ENTITY_DECL = re.compile(
    rb"""<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"(&\#x?[0-9A-Fa-f]{1,6};|[^"&%<]{0,8})"|'(&\#x?[0-9A-Fa-f]{1,6};|[^'&%<]{0,8})')\s*>"""
)
_NAMED_REF = re.compile(rb"&([A-Za-z_][A-Za-z0-9._-]{0,31});")
_XML_PREDEFINED = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})


def _prepare(body: bytes, url: str, content_type: str | None) -> tuple[bytes, list[str]]:
    """Return safe UTF-8 bytes for the parsers, and warnings about what was repaired."""
    if not body or not body.strip():
        raise ParseError(url, "empty response")
    warnings: list[str] = []
    text, encoding_warning = _decode(body, content_type)
    if encoding_warning:
        warnings.append(encoding_warning)
    data = text.encode("utf-8", "surrogatepass")
    if data.lstrip()[:1] == b"{":
        return data.lstrip(), warnings  # JSON Feed: fastfeedparser reads it; no XML hazards
    # Declaration rewritten to what the bytes now are.
    m = _XML_DECL.match(data)
    if m:
        data = data[m.end():]
    data = b'<?xml version="1.0" encoding="utf-8"?>' + data.lstrip()

    try:
        data, doctype_warning = _strip_doctype(data)
    except _NotAFeed as e:
        raise ParseError(url, str(e)) from None
    if doctype_warning:
        warnings.append(doctype_warning)

    root = _first_element(data)
    media_type = _media_type(content_type)
    if root in ("html", "head", "body") or (root == "" and b"<html" in data[:4096].lower()):
        raise ParseError(url, f"not a feed: got an HTML page ({media_type or 'no content type'})")
    if root and root not in _FEED_ROOTS:
        if media_type == "text/html":
            raise ParseError(url, "not a feed: got an HTML page (text/html)")
        raise ParseError(url, f"not a feed: the document's root element is <{root}>")
    if not root:
        what = media_type or "no content type"
        raise ParseError(url, f"not a feed: no XML element found ({what})")
    data = _fix_entities(data, url)
    return data, warnings


def _media_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def _charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", content_type, re.I)
    return m.group(1) if m else None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """Decode with the first encoding that fits: BOM, XML declaration, HTTP charset,
    UTF-8, windows-1252. Returns (text, warning when the declared one was wrong).

    Latin-1 and windows-1252 decode any bytes, so a feed that declares one of
    them but is valid UTF-8 with non-ASCII characters is read as UTF-8 (the
    usual misconfiguration); feedparser would produce mojibake there.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"),
                     (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                     (codecs.BOM_UTF16_BE, "utf-16-be")):
        if body.startswith(bom):
            return body[len(bom):].decode(enc, "replace"), None
    head = body[:1024]
    m = _XML_DECL.match(head)
    declared_xml = None
    if m:
        em = _XML_DECL_ENCODING.search(m.group(0))
        declared_xml = em.group(1).decode("ascii") if em else None
    declared_http = _charset(content_type)
    declared = _codec(declared_xml) or _codec(declared_http)
    declared_name = declared_xml or declared_http
    if declared in (None, "utf-8"):
        try:
            return body.decode("utf-8"), None
        except UnicodeDecodeError as e:
            text = body.decode("cp1252", "replace")
            what = f"declared {declared_name}" if declared_name else "no encoding declared"
            return text, (f"{what} but the bytes are not UTF-8 (byte {e.start});"
                          " read as windows-1252")
    if declared in ("latin-1", "iso8859-1", "cp1252", "ascii") and not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, f"declared {declared_name} but the bytes are UTF-8; read as UTF-8"
    try:
        return body.decode(declared), None
    except UnicodeDecodeError as e:
        try:
            text = body.decode("utf-8")
            return text, f"declared {declared_name} but the bytes are UTF-8; read as UTF-8"
        except UnicodeDecodeError:
            text = body.decode(declared, "replace")
            return text, f"bytes invalid in the declared {declared_name} (byte {e.start}); replaced"
    except LookupError:  # codec without a decoder
        return body.decode("utf-8", "replace"), f"unusable encoding {declared_name}; read as UTF-8"


def _strip_doctype(data: bytes) -> tuple[bytes, str | None]:
    """Remove the DOCTYPE. Entities declared in it never reach a parser, so
    nothing is expanded (billion laughs, quadratic blowup) and no external
    entity or DTD is fetched (file://, http://).

    A few harmless declarations (a character reference or ≤ 8 plain characters,
    e.g. <!ENTITY nbsp "&#160;">) are kept by substituting them as text: each
    reference grows by at most a few bytes, so this cannot blow up.
    """
    m = _DOCTYPE.search(data, 0, 65536)
    if not m:
        return data, None
    start = m.start()
    end = _doctype_end(data, m.end())
    if end < 0:
        raise _NotAFeed("not a feed: malformed DOCTYPE (no closing '>')")
    doctype = data[start:end]
    out = data[:start] + data[end:]
    if b"<!ENTITY" not in doctype and b"<!entity" not in doctype:
        return out, None
    safe: dict[bytes, bytes] = {}
    for em in _SAFE_ENTITY_DECL.finditer(doctype):
        value = em.group(2) if em.group(2) is not None else em.group(3)
        safe[em.group(1)] = value
    declared = len(re.findall(rb"<!ENTITY", doctype, re.I))
    if safe:
        def sub(mm: re.Match[bytes]) -> bytes:
            return safe.get(mm.group(1), mm.group(0))
        out = _NAMED_REF.sub(sub, out)
    return out, f"removed a DOCTYPE declaring {declared} entit{'y' if declared == 1 else 'ies'}"


def _doctype_end(data: bytes, pos: int) -> int:
    """Index after the '>' closing a DOCTYPE, skipping an internal subset [...]."""
    depth = 0
    quote = 0
    n = len(data)
    while pos < n:
        c = data[pos]
        if quote:
            if c == quote:
                quote = 0
        elif c in (0x22, 0x27):  # " '
            quote = c
        elif c == 0x5B:  # [
            depth += 1
        elif c == 0x5D:  # ]
            depth -= 1
        elif c == 0x3E and depth <= 0:  # >
            return pos + 1
        pos += 1
    return -1


def _first_element(data: bytes) -> str:
    """Lower-cased local name of the first element, skipping prolog constructs."""
    pos = 0
    head = data[:65536]
    while True:
        start = head.find(b"<", pos)
        if start < 0:
            return ""
        if head.startswith(b"<!--", start):
            end, width = head.find(b"-->", start + 4), 3
        elif head.startswith(b"<?", start):
            end, width = head.find(b"?>", start + 2), 2
        elif head.startswith(b"<!", start):
            end, width = head.find(b">", start + 2), 1
        else:
            m = _FIRST_ELEMENT.match(head, start)
            return m.group(2).decode("ascii").lower() if m else ""
        if end < 0:
            return ""
        pos = end + width


def _fix_entities(data: bytes, url: str) -> bytes:
    """Turn HTML named entities (&nbsp; &mdash; …), which XML does not define, into
    character references so strict XML parsers read them; refuse a body that
    is mostly undefined references (measured: 13 MB of them cost
    fastfeedparser 2.3 s and 730 MB, feedparser 44 s and 817 MB).
    """
    if not _OTHER_REF.search(data):
        return data  # the usual case: only &amp; &lt; &gt; &quot; &apos; and &#...;
    amps = data.count(b"&")
    predefined = sum(data.count(b"&" + name + b";") for name in _XML_PREDEFINED)
    others = amps - predefined - data.count(b"&#")
    if others <= 0:
        return data
    if others > MAX_UNDEFINED_ENTITY_REFS:
        undefined = 0
        for m in _NAMED_REF.finditer(data):
            if m.group(1) not in _XML_PREDEFINED:
                undefined += 1
                if undefined > MAX_UNDEFINED_ENTITY_REFS:
                    raise ParseError(
                        url,
                        f"refused: more than {MAX_UNDEFINED_ENTITY_REFS} undefined entity"
                        " references (malformed or hostile feed)",
                    )

    def sub(m: re.Match[bytes]) -> bytes:
        name = m.group(1)
        if name in _XML_PREDEFINED:
            return m.group(0)
        chars = _HTML5_ENTITIES.get(name.decode("ascii") + ";")
        if chars is None:
            return m.group(0)
        return "".join(f"&#{ord(c)};" for c in chars).encode("ascii")

    return _NAMED_REF.sub(sub, data)


_OTHER_REF = re.compile(rb"&(?!amp;|lt;|gt;|quot;|apos;|#)")
_TTL = re.compile(rb"<ttl>\s*(\d{1,7})\s*</ttl>", re.I)
_FIRST_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")


def _ttl_minutes(data: bytes) -> int | None:
    """RSS <ttl> of the channel (before the first item), in minutes."""
    m = _FIRST_ITEM.search(data)
    head = data[: m.start()] if m else data[:65536]
    t = _TTL.search(head)
    if not t:
        return None
    value = int(t.group(1))
    return value if value > 0 else None


# --- plain text --------------------------------------------------------------

_DROP_ELEMENTS = re.compile(
    r"<(script|style|noscript|template|iframe|object|svg)\b[^>]*>.*?</\1\s*>", re.I | re.S
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|pre|tr|td|th|table|section|article|header|footer"
    r"|figure|figcaption|hr|dd|dt|dl|aside|nav|main|address)\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"</?[A-Za-z!][^>]*>")
# C0 controls except \t \n \r, DEL, and bidi / zero-width format characters (F-7, F-20).
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069]"
)


def html_to_text(value: str | None, *, is_html: bool = True) -> str:
    """Plain text of an HTML fragment: one line per paragraph, spaces collapsed."""
    if not value:
        return ""
    s = value
    if is_html and ("<" in s or "&" in s):
        if "<" in s:
            s = _DROP_ELEMENTS.sub(" ", s)
            s = _COMMENT.sub(" ", s)
            s = _BLOCK_TAG.sub("\n", s)
            s = _TAG.sub("", s)
        s = html.unescape(s)
    if _CONTROL.search(s):
        s = _CONTROL.sub("", s)
    if "\n" not in s and "\r" not in s:
        return " ".join(s.split())
    lines = (" ".join(line.split()) for line in s.splitlines())
    return "\n".join(line for line in lines if line)


def _one_line_text(value: str | None) -> str:
    text = html_to_text(value)
    return text if "\n" not in text else " ".join(text.split())


def _cap(s: str, limit: int) -> str:
    return s if len(s) <= limit else s[:limit].rstrip() + "…"


_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((.+)\)\s*$")


def _author(value: str | None) -> str:
    """'bob@example.com (Bob Smith)' → 'Bob Smith'; otherwise the plain text."""
    if not value:
        return ""
    m = _EMAIL_NAME.match(value)
    if m:
        value = m.group(1)
    return _cap(_one_line_text(value), MAX_TITLE_CHARS)


def _http_url(base: str, value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if not value:
        return None
    if value.startswith(("https://", "http://")) and " " not in value:
        return value  # already absolute: what urljoin would return, at a fraction of the cost
    try:
        full = urljoin(base, value)
    except ValueError:
        return None
    return full if full.lower().startswith(("http://", "https://")) else None


def _utc_from_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0)


def _utc_from_struct(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


def _entry(
    base: str,
    *,
    guid: str | None,
    link: str | None,
    title: str | None,
    summary_html: str | None,
    content_html: str | None,
    content_is_html: bool,
    published: datetime | None,
    author: str | None,
    source: str | None = None,
) -> FeedEntry:
    """The normalisation both parsers' output goes through (see the module docstring)."""
    guid = (guid or "").strip() or None
    link_url = _http_url(base, link)
    if link_url is None and guid and guid.lower().startswith(("http://", "https://")):
        link_url = guid
    if guid is None or (link and guid == link.strip()):
        guid = link_url or guid  # the link doubles as the id: resolved like the link
    content = html_to_text(content_html, is_html=content_is_html)
    summary = html_to_text(summary_html) if summary_html is not None else content
    if content == summary:
        content = ""
    return FeedEntry(
        guid=guid[:2048] if guid else None,
        link=link_url,
        title=_cap(_one_line_text(title), MAX_TITLE_CHARS),
        summary=_cap(summary, MAX_SUMMARY_CHARS),
        content=_cap(content, MAX_CONTENT_CHARS),
        published=published,
        author=_author(author),
        source=_cap(_one_line_text(source), MAX_TITLE_CHARS),
    )


# --- fast path: fastfeedparser ------------------------------------------------


def _parse_fast(data: bytes, url: str) -> ParsedFeed:
    import fastfeedparser  # imported here: the worker process only needs feedparser

    try:
        d = fastfeedparser.parse(data)  # bytes: never a URL, so it never fetches anything
    except ValueError as e:
        msg = str(e)
        if "HTML" in msg:
            raise _NotAFeed("not a feed: got an HTML page") from None
        if msg.startswith("Received ") or "sitemap" in msg:
            raise _NotAFeed(f"not a feed: {_one_line(msg, 120)}") from None
        raise
    feed = d.get("feed") or {}
    raw_entries = (d.get("entries") or [])[:MAX_ENTRIES]
    sources = _item_sources(data, len(d.get("entries") or ()))
    entries = tuple(
        _fast_entry(e, url, sources[i] if sources else None) for i, e in enumerate(raw_entries)
    )
    return ParsedFeed(
        title=_cap(_one_line_text(feed.get("title")), MAX_TITLE_CHARS),
        link=_http_url(url, feed.get("link")),
        entries=entries,
        ttl_minutes=_ttl_minutes(data),
        parser="fast",
    )


def _fast_summary_is_synthesized(e: Mapping[str, Any]) -> bool:
    """fastfeedparser makes up a description from the content when an item has none."""
    description = e.get("description")
    content = e.get("content")
    if not description or not content:
        return False
    raw = content[0].get("value") or ""
    if description == raw.strip():
        return False  # the description itself, or content copied from it
    try:
        from fastfeedparser.main import _synthesize_entry_description
    except ImportError:  # pragma: no cover - a changed private API: assume genuine
        return False
    probe: dict[str, Any] = {"content": content}
    _synthesize_entry_description(probe)  # type: ignore[arg-type]
    return probe.get("description") == description


_ITEM_START = re.compile(rb"<(?:item|entry)[\s>]")
_SOURCE = re.compile(rb"<source\b[^>]*>(.*?)</source\s*>", re.S)
_SOURCE_TITLE = re.compile(rb"<title\b[^>]*>(.*?)</title\s*>", re.S)
_CDATA = re.compile(rb"<!\[CDATA\[(.*?)\]\]>", re.S)


def _item_sources(data: bytes, count: int) -> list[str | None] | None:
    """Per item, the text of its <source> (RSS) or <source><title> (Atom).

    fastfeedparser does not report <source>; a regex over the item boundaries
    finds it. Used only if the items found line up with the parser's entries.
    """
    if b"<source" not in data:
        return None
    starts = [m.start() for m in _ITEM_START.finditer(data)]
    if len(starts) != count:
        return None
    out: list[str | None] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(data)
        segment = data[start:end]
        if b"<![CDATA[" in segment:  # HTML payloads may hold <source> media tags
            segment = _CDATA.sub(lambda c: b"" if b"<" in c.group(1) else c.group(0), segment)
        m = _SOURCE.search(segment)
        if not m:
            out.append(None)
            continue
        inner = m.group(1)
        t = _SOURCE_TITLE.search(inner)
        if t:
            inner = t.group(1)
        cdata = _CDATA.search(inner)
        text = cdata.group(1).decode("utf-8", "replace") if cdata else html.unescape(
            inner.decode("utf-8", "replace"))
        out.append(text)
    return out


def _fast_entry(e: Mapping[str, Any], url: str, source: str | None = None) -> FeedEntry:
    content = e.get("content")
    content_html = None
    content_is_html = True
    if content:
        c0 = content[0]
        content_html = c0.get("value")
        content_is_html = (c0.get("type") or "html").lower() not in ("text", "text/plain")
    summary_html = e.get("description")
    if summary_html == "" or _fast_summary_is_synthesized(e):
        summary_html = None
    published = _utc_from_iso(e.get("published")) or _utc_from_iso(e.get("updated"))
    return _entry(
        url,
        guid=e.get("id"),
        link=e.get("link"),
        title=e.get("title"),
        summary_html=summary_html,
        content_html=content_html,
        content_is_html=content_is_html,
        published=published,
        author=e.get("author"),
        source=source,
    )


_ROOT_CLOSED = re.compile(
    rb"</(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF|rdf|channel)\s*>\s*(?:<!--.*?-->\s*)*\Z", re.S
)
_ITEM_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>]")


def _fast_result_problem(parsed: ParsedFeed, data: bytes) -> str | None:
    """Why fastfeedparser's result is not to be trusted, or None if it is."""
    if not parsed.entries:
        if _ITEM_TAG.search(data):
            return "no entries although the document has items"
        return None
    if any(not e.title for e in parsed.entries) and b"xhtml" in data:
        return "empty titles in a feed with XHTML constructs"  # fastfeedparser drops xhtml titles
    return None


# --- fallback: feedparser in a sandboxed child process -------------------------


def _from_feedparser(data: bytes, url: str) -> ParsedFeed:
    """Run feedparser on prepared bytes and normalise. Runs in the worker process."""
    import feedparser

    d = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    version = d.get("version") or ""
    entries_in = d.get("entries") or []
    if not version and not entries_in:
        exc = d.get("bozo_exception")
        why = f" ({_one_line(str(exc), 120)})" if exc else ""
        raise ParseError(url, f"not a feed: unrecognised format{why}")
    feed = d.get("feed") or {}
    entries = tuple(_fp_entry(e, url) for e in entries_in[:MAX_ENTRIES])
    warning = None
    if d.get("bozo"):
        exc = d.get("bozo_exception")
        why = f"{type(exc).__name__}: {_one_line(str(exc), 120)}"
        warning = f"malformed feed, read leniently ({why})"
    return ParsedFeed(
        title=_cap(_one_line_text(feed.get("title")), MAX_TITLE_CHARS),
        link=_http_url(url, feed.get("link")),
        entries=entries,
        ttl_minutes=_ttl_minutes(data),
        parser="feedparser",
        warning=warning,
    )


def _fp_entry(e: Mapping[str, Any], url: str) -> FeedEntry:
    content = e.get("content")
    content_html = None
    content_is_html = True
    if content:
        c0 = content[0]
        content_html = c0.get("value")
        content_is_html = (c0.get("type") or "text/html").lower() != "text/plain"
    summary_html = e.get("summary")
    if summary_html == "" or (content_html is not None and summary_html == content_html):
        summary_html = None  # feedparser copies the content into summary when there is none
    link = e.get("link")
    guid = e.get("id")
    if e.get("guidislink") and link == guid and link and not link.lower().startswith(("http://", "https://")):
        link = None  # feedparser's guess that a non-URL guid is the permalink
    detail = e.get("author_detail") or {}
    author = detail.get("name") or e.get("author")
    published = (_utc_from_struct(e.get("published_parsed"))
                 or _utc_from_struct(e.get("updated_parsed")))
    source = e.get("source")
    return _entry(
        url,
        guid=guid,
        link=link,
        title=e.get("title"),
        summary_html=summary_html,
        content_html=content_html,
        content_is_html=content_is_html,
        published=published,
        author=author,
        source=source.get("title") if isinstance(source, Mapping) else None,
    )


def _feed_to_json(parsed: ParsedFeed) -> dict[str, Any]:
    return {
        "title": parsed.title,
        "link": parsed.link,
        "ttl_minutes": parsed.ttl_minutes,
        "parser": parsed.parser,
        "warning": parsed.warning,
        "entries": [
            [e.guid, e.link, e.title, e.summary, e.content,
             e.published.isoformat() if e.published else None, e.author, e.source]
            for e in parsed.entries
        ],
    }


def _feed_from_json(d: dict[str, Any]) -> ParsedFeed:
    entries = tuple(
        FeedEntry(guid=g, link=lk, title=t, summary=s, content=c,
                  published=datetime.fromisoformat(p) if p else None, author=a, source=src)
        for g, lk, t, s, c, p, a, src in d["entries"]
    )
    return ParsedFeed(title=d["title"], link=d["link"], entries=entries,
                      ttl_minutes=d["ttl_minutes"], parser=d["parser"], warning=d["warning"])


def _worker_command() -> list[str]:
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = (f"import sys; sys.path.insert(0, {package_parent!r}); "
            "from monitor._parse_worker import main; main()")
    return [sys.executable, "-I", "-c", code]


def _parse_with_feedparser_sandboxed(
    data: bytes,
    url: str,
    *,
    timeout: float = FALLBACK_TIMEOUT_S,
    cpu_seconds: int = FALLBACK_CPU_S,
    memory_bytes: int = FALLBACK_MEMORY_BYTES,
    max_bytes: int = FALLBACK_MAX_BYTES,
) -> ParsedFeed:
    """feedparser in a child process with RLIMIT_CPU, RLIMIT_AS and a wall timeout.

    A fresh process per call (~0.2 s of start-up): the fallback is rare, and a
    child that hit a limit is simply gone. subprocess, not multiprocessing, so
    it is safe to call from threads and from pool workers alike.
    """
    if len(data) > max_bytes:
        raise ParseError(
            url, f"malformed feed of {len(data) / 1e6:.1f} MB: too large for the lenient parser"
        )
    header = json.dumps({"url": url, "cpu": cpu_seconds, "mem": memory_bytes}).encode() + b"\n"
    try:
        proc = subprocess.run(
            _worker_command(), input=header + data, capture_output=True, timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ParseError(url, f"too costly: lenient parse took longer than {timeout:g} s") from None
    if proc.returncode != 0:
        if proc.returncode in (-24, -9):  # SIGXCPU, or SIGKILL at the hard CPU limit
            raise ParseError(
                url, f"too costly: lenient parse used more than {cpu_seconds} s of CPU"
            )
        tail = _one_line(proc.stderr.decode("utf-8", "replace")[-300:], 160)
        if "MemoryError" in tail or proc.returncode == -6:
            raise ParseError(
                url, f"too costly: lenient parse needed more than {memory_bytes >> 20} MB"
            )
        raise ParseError(url, f"lenient parser failed (exit {proc.returncode}): {tail}")
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        raise ParseError(url, "lenient parser returned no result") from None
    if "error" in result:
        raise ParseError(url, result["error"])
    return _feed_from_json(result)
