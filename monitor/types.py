"""Records passed between the pipeline's stages.

Contains no business logic. Each stage module takes and returns these plain,
frozen values, so a stage can be tested without the others. Datetimes are
timezone-aware and in UTC.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# --- fetch -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchedFeed:
    """What one HTTP request for a feed returned (or why it failed)."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int | None  # HTTP status, None when no response came
    body: bytes | None  # None on 304 and on errors
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    permanent_redirect: str | None = None  # new URL after a 301/308 chain
    retry_after: float | None = None  # seconds the server asked us to wait
    max_age: float | None = None  # Cache-Control max-age / Expires, seconds
    error: str | None = None  # one line, for the log and `monitor status`
    elapsed: float = 0.0

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """An article page fetched to get its full text."""

    url: str
    final_url: str
    status: int | None
    body: bytes | None
    content_type: str | None = None
    error: str | None = None


# --- parse -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed, normalised whichever parser read it."""

    guid: str | None
    link: str | None
    title: str
    summary: str  # plain text, tags stripped
    content: str  # plain text of the full content when the feed carries it, else ""
    published: datetime | None
    author: str = ""
    source: str = ""  # the outlet named by the item itself (RSS <source>, Atom <source><title>)


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    link: str | None
    entries: tuple[FeedEntry, ...]
    ttl_minutes: int | None = None  # RSS <ttl>
    parser: str = ""  # which parser read it ("fast" or "feedparser")
    warning: str | None = None  # non-fatal problem (e.g. recovered encoding error)


# --- digest ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mention:
    """One sentence of one article that reports a development."""

    text: str
    outlet: str
    url: str
    title: str
    published: datetime | None
    label: str  # "new" or "update"
    duplicate: bool = False  # the article is a near-copy of an earlier one


@dataclass(frozen=True, slots=True)
class DigestDevelopment:
    key: str
    label: str  # "new" or "update"
    summary: str  # the representative sentence
    first_outlet: str
    first_seen: datetime | None
    mentions: tuple[Mention, ...]
    sources: int  # independent outlets (near-copies counted once)
    baseline_fact: str | None = None  # for updates: the baseline sentence it changes
    conflict: Mention | None = None  # a report of it that says another report is wrong (a denial, a retraction)
    previously_reported: bool = False  # an update to a development already emailed

    @property
    def conflicting(self) -> bool:
        """Its reports disagree (`conflict`); kept for templates written against the earlier flag."""
        return self.conflict is not None


@dataclass(frozen=True, slots=True)
class LeftOutItem:
    kind: str  # "restatement" | "near-copy" | "background" | "off-topic"
    title: str
    url: str
    outlet: str


@dataclass(frozen=True, slots=True)
class FeedHealth:
    url: str
    ok: bool
    last_success: datetime | None
    error: str | None


@dataclass(frozen=True, slots=True)
class DayCount:
    day: str  # ISO date
    articles: int
    developments: int


@dataclass(frozen=True, slots=True)
class DigestData:
    """Everything a digest shows; built from the store, rendered by digest.py."""

    topic_id: str
    topic_name: str
    period_start: datetime | None
    period_end: datetime
    developments: tuple[DigestDevelopment, ...]  # new developments, most corroborated first
    changed_facts: tuple[DigestDevelopment, ...]  # label "update", with baseline_fact
    still_open: tuple[str, ...]  # open baseline facts nothing resolved yet
    left_out: tuple[LeftOutItem, ...]
    feeds: tuple[FeedHealth, ...]
    per_day: tuple[DayCount, ...] = field(default_factory=tuple)
    failed_deliveries: tuple[str, ...] = field(default_factory=tuple)
    timezone: str = "UTC"  # the topic's digest time zone: times are shown in it


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    subject: str
    text: str
    html: str
