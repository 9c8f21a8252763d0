"""Render a DigestData into the three parts of a digest email.

The one module that imports jinja2 and css_inline. It renders and never
sends: deliver.py turns the RenderedDigest into a message. Everything that
comes from feeds is data to the templates, so the HTML template is
autoescaped and links are checked here (http/https only) rather than trusted.
"""

from __future__ import annotations

import functools
import logging
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import css_inline
import jinja2

from monitor.types import (
    DayCount,
    DigestData,
    DigestDevelopment,
    FeedHealth,
    LeftOutItem,
    Mention,
    RenderedDigest,
)

log = logging.getLogger(__name__)

EN_DASH = "\u2013"
WIDTH = 78  # plain-text line length (RFC 5322 §2.1.1 recommends 78)
MAX_DEVELOPMENTS = 200  # per section; the rest become "and N more" (fault E-12)
MAX_ATTRIBUTIONS = 8  # outlets listed under one quoted sentence
MAX_LEFT_OUT_LINKS = 200
MAX_SUBJECT = 200

SUBJECT_TEMPLATE = "digest/subject.txt.j2"
TEXT_TEMPLATE = "digest/body.txt.j2"
HTML_TEMPLATE = "digest/body.html.j2"

# How each LeftOutItem.kind is counted in the digest, in display order.
LEFT_OUT_KINDS: tuple[tuple[str, str, str], ...] = (
    ("restatement", "restatement of the baseline", "restatements of the baseline"),
    ("near-copy", "near-copy", "near-copies"),
    ("background", "background", "background"),
    ("off-topic", "off-topic", "off-topic"),
)

_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp", "Cs"})
# Bidi embeddings, overrides and isolates (can make a line read differently
# from what it is), and the BOM. Joiners (ZWJ/ZWNJ) stay: scripts need them.
_STRIPPED_FORMAT_CHARS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in _CONTROL_CATEGORIES or char in _STRIPPED_FORMAT_CHARS


_URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)


def default_templates_dir() -> Path:
    """The templates shipped with monitor.

    In a checkout (and an editable install) they sit at the repo root, beside
    the package; a wheel carries a copy inside the package instead.
    """
    here = Path(__file__).resolve().parent
    repo = here.parent / "templates"
    if (repo / "digest").is_dir():
        return repo
    return here / "templates"


# --- helpers exposed to the templates --------------------------------------


def clean_text(value: object) -> str:
    """One line of feed text: control chars, line separators and bidi
    overrides become spaces, runs of whitespace one space.

    Feed text may carry newlines, NULs and bidi overrides; none of them belong
    in a digest line or a subject.
    """
    text = "" if value is None else str(value)
    chars = [" " if _is_control(c) else c for c in text]
    return " ".join("".join(chars).split())


def http_url(value: object) -> str | None:
    """The URL if it is an absolute http(s) URL, else None.

    Autoescaping does not make href="javascript:..." safe, so every href in
    the HTML goes through this.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or any(c.isspace() or _is_control(c) for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def format_time(value: datetime | None, zone: str = "UTC") -> str:
    """A readable time in the topic's zone: '20 Mar 2023 09:12 UTC', '20 Mar 2023 09:12 GMT'."""
    if value is None:
        return "time unknown"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(_zone(zone))
    return f"{value.day} {value:%b %Y %H:%M} {_zone_label(value, zone)}"


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _zone_label(value: datetime, name: str) -> str:
    """'UTC', or the zone's abbreviation at that moment ('BST', 'CET'), else its offset."""
    if name == "UTC":
        return "UTC"
    abbreviation = value.strftime("%Z")
    return abbreviation if abbreviation.isalpha() else value.strftime("UTC%z")


@jinja2.pass_context
def _format_time_in_zone(context: Any, value: datetime | None) -> str:
    return format_time(value, context.get("timezone", "UTC"))


def format_day(value: str) -> str:
    """'2023-03-20' -> '20 Mar'; anything unparseable is shown as given."""
    try:
        day = datetime.strptime(value, "%Y-%m-%d")
    except (TypeError, ValueError):
        return clean_text(value)
    return f"{day.day} {day:%b}"


def _local(value: datetime | None, zone: str) -> datetime | None:
    return value.astimezone(_zone(zone)) if value is not None else None


def format_period(start: datetime | None, end: datetime) -> str:
    """The period as people write it: '20-21 Mar 2023', '30 Mar - 2 Apr 2023'
    (with an en dash, as in print); in the zone of ``end``."""
    if start is not None and end.time() == time(0) and end - start >= timedelta(days=1):
        end -= timedelta(microseconds=1)  # a period ending at midnight ends the day before
    if start is None:
        return f"until {end.day} {end:%b %Y}"
    start = start.astimezone(end.tzinfo)
    if start.date() == end.date():
        return f"{end.day} {end:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{EN_DASH}{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} {EN_DASH} {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} {EN_DASH} {end.day} {end:%b %Y}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 source', '3 sources'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def wrap(
    value: object, initial: str = "", subsequent: str | None = None, width: int = WIDTH
) -> str:
    """Wrap one paragraph for the plain-text part.

    Words are never split (quoted sentences stay verbatim, URLs stay
    clickable), so the only line that can pass `width` is a single long word;
    a long URL is then put on a line of its own without indent.
    """
    text = clean_text(value)
    if subsequent is None:
        subsequent = " " * len(initial)
    if not text:
        return initial.rstrip()
    lines = textwrap.wrap(
        text,
        width=width,
        initial_indent=initial,
        subsequent_indent=subsequent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    out: list[str] = []
    for i, line in enumerate(lines):
        indent = initial if i == 0 else subsequent
        if len(line) <= width or not line.startswith(indent):
            out.append(line)
            continue
        word = line[len(indent) :]  # textwrap puts an over-long word on a line of its own
        if _URL_RE.match(word):
            if indent.strip():  # keep a marker such as "1. " on its own line
                out.append(indent.rstrip())
            out.append(word)
            continue
        # One huge non-URL token (feed junk): cut it rather than overflow.
        room = max(width - len(subsequent), 20)
        chunks = [word[j : j + room] for j in range(0, len(word), room)]
        out.append(indent + chunks[0])
        out.extend(subsequent + chunk for chunk in chunks[1:])
    return "\n".join(out)


def link_line(url: object, indent: str = "", width: int = WIDTH) -> str:
    """A URL on its own line; unindented when the indent would push it past `width`.

    Only http(s) URLs are shown: a javascript: or data: "link" from a feed is
    junk at best, and some clients make anything URL-shaped clickable.
    """
    text = http_url(url)
    if not text:
        return indent + "(no web link)"
    if len(indent) + len(text) > width:
        return text
    return indent + text


def underline(value: str, char: str = "-") -> str:
    return value + "\n" + char * len(value)


def bar_pct(count: int, largest: int) -> int:
    """Width of a chart bar in percent; a non-zero count always shows."""
    try:
        n: int = max(int(count), 0)
    except (TypeError, ValueError):
        return 0
    if n == 0 or largest <= 0:
        return 0
    return min(max(round(n * 100 / largest), 1), 100)


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """One quoted sentence and every outlet that reported it in those words."""

    text: str
    mentions: tuple[Mention, ...]  # original reports
    copies: tuple[Mention, ...]  # near-copies of an earlier article


def by_sentence(mentions: Iterable[Mention]) -> list[QuoteGroup]:
    """Group a development's mentions by sentence, so a wire story carried by
    ten outlets is quoted once with ten attributions, in first-seen order."""
    order: list[str] = []
    groups: dict[str, tuple[list[Mention], list[Mention]]] = {}
    for m in mentions:
        key = clean_text(m.text)
        if key not in groups:
            groups[key] = ([], [])
            order.append(key)
        groups[key][1 if m.duplicate else 0].append(m)
    out = []
    for key in order:
        originals, copies = groups[key]
        if not originals:  # only copies carried it: quote it anyway
            originals, copies = copies[:1], copies[1:]
        out.append(QuoteGroup(key, tuple(originals), tuple(copies)))
    return out


def most_corroborated(developments: Sequence[DigestDevelopment]) -> list[DigestDevelopment]:
    """Most independent sources first; a stable sort keeps the builder's order on ties."""
    return sorted(developments, key=lambda d: -d.sources)


def left_out_counts(data: DigestData) -> list[tuple[str, int, str]]:
    """(kind, count, label) for each kind of left-out item; unknown kinds count as 'other'."""
    counts: dict[str, int] = {}
    for item in data.left_out:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    rows = []
    for kind, one, many in LEFT_OUT_KINDS:
        n = counts.pop(kind, 0)
        rows.append((kind, n, one if n == 1 else many))
    other = sum(counts.values())
    if other:
        rows.append(("other", other, "other"))
    return rows


def subject_line(value: object) -> str:
    """The subject as one line of bounded length."""
    text = clean_text(value)
    if len(text) > MAX_SUBJECT:
        text = text[: MAX_SUBJECT - 1].rstrip() + "…"
    return text


# --- environment and rendering ---------------------------------------------


def make_environment(templates_dir: Path | None = None) -> jinja2.Environment:
    """One Environment: user templates first, then the shipped ones.

    select_autoescape matches the end of the template name, so `.html.j2` must
    be listed explicitly (`['html']` alone leaves `body.html.j2` unescaped).
    """
    search: list[str] = []
    if templates_dir is not None:
        search.append(str(templates_dir))
    search.append(str(default_templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2", "htm.j2", "xml.j2"),
            disabled_extensions=("txt", "txt.j2"),
            default_for_string=True,
            default=True,
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        clean=clean_text,
        http_url=http_url,
        utc=_format_time_in_zone,
        day=format_day,
        wrap78=wrap,
        link_line=link_line,
        underline=underline,
        by_sentence=by_sentence,
        most_corroborated=most_corroborated,
    )
    env.globals.update(plural=plural, format_period=format_period, bar_pct=bar_pct)
    return env


@functools.lru_cache(maxsize=8)
def _cached_environment(templates_dir: str | None) -> jinja2.Environment:
    """One Environment per templates folder for the life of the process; its
    loader still notices edited template files (auto_reload)."""
    return make_environment(None if templates_dir is None else Path(templates_dir))


def check_templates(templates_dir: Path | None = None) -> None:
    """Render a small sample digest, so a broken or misspelled template fails
    at startup (`monitor check`) instead of when a digest is due.

    Raises jinja2.TemplateError.
    """
    now = datetime(2023, 3, 21, 7, 0, tzinfo=UTC)
    mention = Mention("Sample sentence.", "Outlet", "https://example.org/a", "Title", now, "new")
    dev = DigestDevelopment("k", "new", "Sample sentence.", "Outlet", now, (mention,), 1)
    upd = DigestDevelopment(  # with a conflict, so that every branch of a template is rendered
        "u", "update", "Sample update.", "Outlet", now, (mention,), 1, baseline_fact="Before.", conflict=mention
    )
    sample = DigestData(
        topic_id="sample",
        topic_name="Sample topic",
        period_start=now - timedelta(days=1),
        period_end=now,
        developments=(dev,),
        changed_facts=(upd,),
        still_open=("Open question.",),
        left_out=(LeftOutItem("restatement", "Title", "https://example.org/b", "Outlet"),),
        feeds=(FeedHealth("https://example.org/rss", False, None, "HTTP 500"),),
        per_day=(DayCount("2023-03-20", 3, 1),),
        failed_deliveries=("someone@example.org: 550 rejected",),
    )
    render_digest(sample, templates_dir=templates_dir)


def _context(data: DigestData) -> dict[str, Any]:
    developments = most_corroborated(data.developments)
    changed = list(data.changed_facts)
    max_articles = max((d.articles for d in data.per_day), default=0)
    max_devs = max((d.developments for d in data.per_day), default=0)
    return {
        "data": data,
        "topic_name": clean_text(data.topic_name),
        "timezone": data.timezone,
        "period": format_period(_local(data.period_start, data.timezone), _local(data.period_end, data.timezone)),
        "period_start": format_time(data.period_start, data.timezone) if data.period_start else None,
        "period_end": format_time(data.period_end, data.timezone),
        "developments": developments[:MAX_DEVELOPMENTS],
        "developments_hidden": max(len(developments) - MAX_DEVELOPMENTS, 0),
        "changed": changed[:MAX_DEVELOPMENTS],
        "changed_hidden": max(len(changed) - MAX_DEVELOPMENTS, 0),
        "n_developments": len(developments),
        "n_changed": len(changed),
        "left_out_counts": left_out_counts(data),
        "left_out_links": data.left_out[:MAX_LEFT_OUT_LINKS],
        "left_out_hidden": max(len(data.left_out) - MAX_LEFT_OUT_LINKS, 0),
        "feeds_ok": [f for f in data.feeds if f.ok],
        "feeds_failing": [f for f in data.feeds if not f.ok],
        "chart_max": max(max_articles, max_devs, 1),
        "max_attributions": MAX_ATTRIBUTIONS,
    }


def _tidy_text(text: str) -> str:
    """Strip trailing spaces and keep at most one blank line in a row, so the
    template can be written for readability rather than exact whitespace."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def render_digest(data: DigestData, *, templates_dir: Path | None = None) -> RenderedDigest:
    """Render subject, plain text and HTML.

    Raises jinja2.TemplateError (UndefinedError, TemplateSyntaxError, ...) for a
    broken template before anything is stored or sent.
    """
    env = _cached_environment(None if templates_dir is None else str(templates_dir))
    ctx = _context(data)
    subject = subject_line(env.get_template(SUBJECT_TEMPLATE).render(ctx))
    ctx["subject"] = subject
    text = _tidy_text(env.get_template(TEXT_TEMPLATE).render(ctx))
    html = env.get_template(HTML_TEMPLATE).render(ctx)
    html = _INLINER.inline(html)
    log.debug(
        "digest_rendered topic=%s developments=%d changed=%d text_chars=%d html_chars=%d",
        data.topic_id,
        ctx["n_developments"],
        ctx["n_changed"],
        len(text),
        len(html),
    )
    return RenderedDigest(subject=subject, text=text, html=html)
