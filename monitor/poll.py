"""One poll of a topic's feeds: fetch → parse → new entries → gate → full text → diff → store.

Only this module and ``digests.py`` wire stages together. Fetching runs
concurrently (aiohttp, with global and per-host limits); analysis runs in
publication order because the diff engine learns from every article it sees.
Everything a poll learns (feed validators, articles, sentences, developments,
the engine's memory) is committed in one transaction at the end, so a crash
mid-poll loses only that poll and the next one redoes it.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import multiprocessing
import os
import random
import socket
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, or_, select

from monitor.config import Config, TopicConfig, parse_duration
from monitor.engine import ArticleIn, ArticleResult, Engine, make_engine
from monitor.extract import extract_main_text
from monitor.fetch import Fetcher, FetchLimits
from monitor.parse import ParseError, parse_feed
from monitor.store import Database
from monitor.store.queries import find_seen, insert_many
from monitor.store.tables import ArticleRow, DevelopmentRow, FeedRow, SentenceRow, TopicRow
from monitor.types import FeedEntry, FetchedFeed, ParsedFeed

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=24)
PARSE_PROCESSES_FROM = 50  # feeds in one poll from which parsing goes to worker processes
LEASE = timedelta(minutes=15)  # a poll that takes longer than this may be repeated by another worker
MIN_TEXT_FOR_BODY = 400  # characters of feed content below which the page is fetched


@dataclass
class FeedResult:
    """What one feed gave in one poll; becomes one log line and one status row."""

    url: str
    status: str  # ok | not-modified | unchanged | error | gone | disabled
    http_status: int | None = None
    entries: int = 0
    new_entries: int = 0
    relevant: int = 0
    developments: int = 0
    error: str | None = None

    def log_line(self) -> str:
        text = (f"feed_polled url={self.url} status={self.status} new={self.new_entries} "
                f"relevant={self.relevant} developments={self.developments}")
        return text + (f" error={self.error!r}" if self.error else "")


@dataclass
class PollReport:
    topic_id: str
    feeds: list[FeedResult] = field(default_factory=list)
    articles_analysed: int = 0
    new_developments: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[FeedResult]:
        return [f for f in self.feeds if f.status in ("error", "gone")]


@dataclass
class _NewEntry:
    feed: FeedRow
    result: FeedResult
    entry: FeedEntry
    outlet: str
    key: str
    content_sha256: str
    candidate: bool
    body: str = ""
    body_source: str = "summary"


# --- topics and feeds --------------------------------------------------------


def sync_topics(database: Database, config: Config, now: datetime) -> None:
    """Make the topic and feed rows match the config (feeds removed stay, unpolled)."""
    with database.session() as session:
        for topic in config.topic:
            baseline = config.resolve(topic.baseline).read_bytes()
            row = session.get(TopicRow, topic.id)
            digest = hashlib.sha256(baseline).hexdigest()
            if row is None:
                session.add(TopicRow(id=topic.id, name=topic.name, baseline_sha256=digest,
                                     created_at=now))
            else:
                if row.baseline_sha256 != digest:  # a new baseline: start the engine afresh
                    log.warning("topic %s: baseline changed; the diff engine starts afresh", topic.id)
                    row.engine_state = "{}"
                    row.baseline_sha256 = digest
                row.name = topic.name
            session.flush()
            existing = {f.url: f for f in session.exec(select(FeedRow).where(FeedRow.topic_id == topic.id))}
            for url in topic.feeds:
                if url in existing:
                    existing.pop(url).in_config = True
                else:
                    session.add(FeedRow(topic_id=topic.id, url=url, current_url=url, next_poll_at=now))
            for gone in existing.values():
                gone.in_config = False


# --- the poll ----------------------------------------------------------------


def poll_topic(database: Database, config: Config, topic: TopicConfig, *, now: datetime | None = None,
               only_due: bool = False, progress: Callable[[int, int], None] | None = None,
               batch: int | None = None) -> PollReport:
    """Poll the topic's feeds (all, or only those due; at most ``batch``, most overdue first)
    once and store what they bring."""
    started = datetime.now(UTC)
    now = now or started
    report = PollReport(topic.id)
    feeds = claim_feeds(database, topic, now, only_due=only_due,
                        lease=parse_duration(config.database.lease), limit=batch)
    if not feeds:
        return report
    clock = _PhaseClock()
    with database.session() as session, session.no_autoflush:
        # The engine's memory is loaded only after the fetch, under the topic lock; the
        # gate it offers for new entries does not depend on it.
        engine = make_engine(config, topic)
        stored = {f.id: f for f in session.exec(select(FeedRow).where(col(FeedRow.id).in_([f.id for f in feeds])))}
        to_analyse: list[_NewEntry] = []
        rejected: list[dict[str, object]] = []  # the gate's rejects, stored unanalysed
        taken: set[str] = set()  # keys and content hashes of this poll's earlier feeds

        def on_feed(claimed: FeedRow, fetched: FetchedFeed, body_hash: str | None,
                    parsed: PreparedFeed | None) -> list[_NewEntry]:
            """Record one feed's answer as soon as it is in; return the entries worth a page fetch."""
            feed = stored[claimed.id]
            feed.lease_owner, feed.lease_expires_at = None, None
            result = _apply_fetch(feed, fetched, body_hash, parsed.parsed if parsed else None, topic, now)
            report.feeds.append(result)
            if parsed is None:
                return []
            fresh = _new_entries(session, feed, result, parsed, topic, taken)
            candidates = [e for e in fresh if e.candidate]
            to_analyse.extend(candidates)
            rejected.extend(_article_values(topic, e, now) for e in fresh if not e.candidate)
            if database.is_sqlite:
                # The gate's rejects (most entries at scale) are stored now, while the other feeds
                # are in flight and this process would otherwise wait on the network. Not on
                # PostgreSQL: there another worker inserting the same entry would wait for this
                # transaction while it waits for the topic lock below (a deadlock).
                insert_many(session.connection(), ArticleRow.__table__, rejected)  # type: ignore[attr-defined]
                rejected.clear()
            return candidates

        asyncio.run(_fetch_all(config, feeds, progress, on_feed, engine.gate))
        clock.lap("fetch, parse, select new, full text")
        # Lock the topic row: workers analysing the same topic take turns, so the
        # engine's memory is never overwritten by a concurrent poll (PostgreSQL).
        topic_row = session.get(TopicRow, topic.id, with_for_update=not database.is_sqlite)
        assert topic_row is not None, "sync_topics runs before a poll"
        insert_many(session.connection(), ArticleRow.__table__, rejected)  # type: ignore[attr-defined]
        if to_analyse:
            state = json.loads(topic_row.engine_state or "{}")
            if state:
                engine.load_state(state)
            _analyse_and_store(session, engine, topic, to_analyse, now, report)
            topic_row.engine_state = json.dumps(engine.export_state())
            clock.lap("analyse")
    clock.lap("commit")
    log.debug("poll %s phases: %s", topic.id, clock)
    for result in report.feeds:
        (log.warning if result.error else log.info)(result.log_line())
    report.seconds = (datetime.now(UTC) - started).total_seconds()
    return report


class _PhaseClock:
    """Wall and this process's CPU time per phase of a poll, for `monitor -vv poll`
    (where did the time go, and was this process busy or waiting?)."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.last_cpu = time.process_time()
        self.laps: list[tuple[str, float, float]] = []

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.laps.append((name, now - self.last, cpu - self.last_cpu))
        self.last, self.last_cpu = now, cpu

    def __str__(self) -> str:
        return ", ".join(f"{name} {wall:.2f}s ({cpu:.2f}s CPU here)" for name, wall, cpu in self.laps)


def claim_feeds(database: Database, topic: TopicConfig, now: datetime, *, only_due: bool,
                lease: timedelta = LEASE, limit: int | None = None) -> list[FeedRow]:
    """Lease the topic's feeds (all, or those due) to this process for ``lease``.

    On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` lets several workers claim disjoint
    sets at once; a worker that dies leaves leases that simply expire. The lease
    is released when the poll's results are committed.
    """
    owner = f"{socket.gethostname()}:{os.getpid()}"
    with database.session() as session:
        free = or_(col(FeedRow.lease_expires_at).is_(None), col(FeedRow.lease_expires_at) < now)
        if database.is_sqlite:  # one machine: a lease whose process is gone (kill -9) is free now
            dead = [o for o in session.exec(select(FeedRow.lease_owner).distinct().where(
                FeedRow.topic_id == topic.id, col(FeedRow.lease_owner).is_not(None))) if _owner_dead(o)]
            if dead:
                free = or_(free, col(FeedRow.lease_owner).in_(dead))
        query = select(FeedRow).where(
            FeedRow.topic_id == topic.id, FeedRow.in_config == True,  # noqa: E712
            col(FeedRow.disabled_reason).is_(None), free)
        if only_due:
            query = query.where(or_(col(FeedRow.next_poll_at).is_(None), col(FeedRow.next_poll_at) <= now))
        if not database.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        if limit is not None:  # a share at a time, so several workers split a backlog
            query = query.order_by(col(FeedRow.next_poll_at).asc().nulls_first()).limit(limit)
        feeds = list(session.exec(query.order_by(FeedRow.id)))
        for feed in feeds:
            feed.lease_owner, feed.lease_expires_at = owner, now + lease
    return feeds


def _owner_dead(owner: str | None) -> bool:
    """True when a lease owner "host:pid" is a process of this host that no longer exists."""
    host, _, pid = (owner or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # EPERM: alive, another user's
        return False
    return False


def _fetch_limits(config: Config) -> FetchLimits:
    fetch = config.fetch
    return FetchLimits(concurrency=fetch.concurrency, per_host=fetch.per_host,
                       total_timeout=fetch.timeout, max_bytes=fetch.max_bytes,
                       allow_private_networks=fetch.allow_private_networks,
                       user_agent=fetch.user_agent)


async def _fetch_all(config: Config, feeds: Sequence[FeedRow], progress: Callable[[int, int], None] | None,
                     on_feed: Callable[[FeedRow, FetchedFeed, str | None, PreparedFeed | None], list[_NewEntry]],
                     gate: Any) -> None:
    """Fetch every feed concurrently, parse the changed ones off the event loop, hand each
    to ``on_feed`` as soon as it is in, and fetch the pages of the entries it returns
    while the other feeds are still coming in."""
    done = 0
    pages: list[asyncio.Task[None]] = []

    async def one(fetcher: Fetcher, feed: FeedRow) -> None:
        nonlocal done
        fetched = await fetcher.fetch_feed(feed.current_url, etag=feed.etag, last_modified=feed.last_modified)
        parsed = None
        body_hash = hashlib.sha256(fetched.body).hexdigest() if fetched.body is not None else None
        if fetched.status == 200 and body_hash is not None and not fetched.error:
            if body_hash != feed.body_sha256:
                try:
                    parsed = await asyncio.get_running_loop().run_in_executor(
                        parsers, prepare_feed, fetched.body, fetched.final_url, fetched.content_type, gate)
                except ParseError as e:
                    fetched = _with_error(fetched, str(e))
        for item in on_feed(feed, fetched, body_hash, parsed):
            pages.append(asyncio.create_task(_fetch_full_text(config, fetcher, item)))
        done += 1
        if progress:
            progress(done, len(feeds))

    # Parsing is the CPU cost of a big poll: with many feeds it runs in worker processes
    # (one per core) so that it uses both cores and leaves the event loop free to fetch.
    parsers: Executor
    if len(feeds) >= PARSE_PROCESSES_FROM and (os.cpu_count() or 1) > 1:
        parsers = ProcessPoolExecutor(max_workers=min(os.cpu_count() or 1, 4),
                                      mp_context=multiprocessing.get_context("forkserver"))
    else:
        parsers = ThreadPoolExecutor(max_workers=1)
    try:
        async with Fetcher(_fetch_limits(config)) as fetcher:
            await asyncio.gather(*(one(fetcher, f) for f in feeds))
            feeds_done = time.perf_counter()
            await asyncio.gather(*pages)
            log.debug("article pages: %d fetched, %.2fs after the last feed", len(pages),
                      time.perf_counter() - feeds_done)
    finally:
        parsers.shutdown(wait=False, cancel_futures=True)


def _with_error(fetched: FetchedFeed, error: str) -> FetchedFeed:
    from dataclasses import replace

    return replace(fetched, error=error)


def _apply_fetch(feed: FeedRow, fetched: FetchedFeed, body_hash: str | None, parsed: ParsedFeed | None,
                 topic: TopicConfig, now: datetime) -> FeedResult:
    """Update the feed's HTTP state and schedule; return what happened.

    ``body_hash`` is the SHA-256 of the body (None when there is none): an identical
    200 body was not parsed, and the hash is kept to recognise the next one."""
    result = FeedResult(url=feed.current_url, status="ok", http_status=fetched.status)
    feed.last_polled_at = now
    feed.last_status = fetched.status
    interval = parse_duration(topic.poll_every)
    if fetched.status == 410:
        feed.disabled_reason = f"410 Gone at {now:%Y-%m-%d %H:%M} UTC"
        feed.last_error = "410 Gone: the server says this feed is gone for good; polling stopped"
        result.status, result.error = "gone", feed.last_error
        return result
    if fetched.error:
        feed.error_streak += 1
        feed.last_error = fetched.error
        backoff = min(interval * (2 ** min(feed.error_streak, 16)), MAX_BACKOFF)
        feed.next_poll_at = now + _jitter(backoff, floor=fetched.retry_after)
        result.status, result.error = "error", fetched.error
        return result
    if fetched.permanent_redirect and fetched.permanent_redirect != feed.current_url:
        log.warning("feed moved permanently: %s -> %s (config not rewritten)",
                    feed.current_url, fetched.permanent_redirect)
        feed.current_url = fetched.permanent_redirect
    feed.error_streak = 0
    feed.last_error = None
    feed.last_success_at = now
    feed.etag = fetched.etag
    feed.last_modified = fetched.last_modified
    floor = max(fetched.retry_after or 0, fetched.max_age or 0,
                (parsed.ttl_minutes * 60) if parsed and parsed.ttl_minutes else 0)
    feed.next_poll_at = now + _jitter(max(interval, timedelta(seconds=floor)), floor=fetched.retry_after)
    if fetched.status == 304:
        result.status = "not-modified"
        return result
    if body_hash is not None:
        if parsed is None and body_hash == feed.body_sha256:
            result.status = "unchanged"
            return result
        feed.body_sha256 = body_hash
    if parsed is not None:
        feed.title = parsed.title[:300]
        result.entries = len(parsed.entries)
    return result


def _jitter(wait: timedelta, floor: float | None = None) -> timedelta:
    """Spread polls by ±10 % so that feeds of one host drift apart, but never sooner than the server's Retry-After
    (`floor`, seconds): the spread may not cut the wait a server asked for."""
    return max(wait * random.uniform(0.9, 1.1), timedelta(seconds=floor or 0))


def entry_key(entry: FeedEntry) -> str:
    """A stable identity for an entry: its guid, else its link, else its text."""
    if entry.guid:
        return "guid:" + entry.guid[:900]
    if entry.link:
        return "link:" + entry.link[:900]
    return "hash:" + hashlib.sha256((entry.title + "\n" + entry.summary).encode()).hexdigest()


def content_hash(entry: FeedEntry) -> str:
    text = " ".join((entry.title + "\n" + entry.summary + "\n" + entry.content).split()).lower()
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class PreparedFeed:
    """A parsed feed with each entry's identity and gate verdict, computed where it was parsed."""

    parsed: ParsedFeed
    keys: tuple[str, ...]
    hashes: tuple[str, ...]
    candidates: tuple[bool, ...]


def prepare_feed(body: bytes, url: str, content_type: str | None, gate: Any) -> PreparedFeed:
    """Parse, and compute what deduplication and the gate need. Runs in a parse worker
    process on big polls, so that this CPU work uses the other core."""
    parsed = parse_feed(body, url, content_type=content_type)
    return PreparedFeed(
        parsed,
        tuple(entry_key(e) for e in parsed.entries),
        tuple(content_hash(e) for e in parsed.entries),
        tuple(gate.is_candidate(e.title, e.summary + " " + e.content[:2000]) for e in parsed.entries))


def _new_entries(session: Session, feed: FeedRow, result: FeedResult, prepared: PreparedFeed,
                 topic: TopicConfig, taken: set[str]) -> list[_NewEntry]:
    """Entries not seen before (by key or by content), with the gate's verdict."""
    parsed = prepared.parsed
    feed_name = parsed.title or urlsplit(feed.current_url).hostname or feed.current_url
    candidates: dict[str, tuple[FeedEntry, str, bool]] = {}
    for entry, key, digest, candidate in zip(parsed.entries, prepared.keys, prepared.hashes,
                                             prepared.candidates, strict=True):
        candidates.setdefault(key, (entry, digest, candidate))
    if not candidates:
        return []
    seen = find_seen(session, topic.id, list(candidates), [h for _, h, _ in candidates.values()])
    fresh = []
    for key, (entry, digest, candidate) in candidates.items():
        if key in seen or digest in seen or key in taken or digest in taken:
            continue  # seen before, or carried by another feed of this poll (syndicated copies)
        seen.add(digest)
        taken.update((key, digest))
        fresh.append(_NewEntry(feed=feed, result=result, entry=entry, outlet=entry.source or feed_name, key=key,
                               content_sha256=digest, candidate=candidate))
    result.new_entries = len(fresh)
    feed.entries_seen += len(fresh)
    return fresh


async def _fetch_full_text(config: Config, fetcher: Fetcher, item: _NewEntry) -> None:
    """The article's text: the feed's content when it has enough, else the page's main text."""
    entry = item.entry
    if len(entry.content) >= MIN_TEXT_FOR_BODY:
        item.body, item.body_source = entry.content, "feed"
        return
    item.body, item.body_source = entry.content or entry.summary, "summary"
    if not (config.fetch.full_text and entry.link):
        return
    page = await fetcher.fetch_page(entry.link)
    if page.body and not page.error:
        text = await asyncio.to_thread(extract_main_text, page.body, page.final_url)
        if text and len(text) > len(item.body):
            item.body, item.body_source = text, "page"
    elif page.error:
        log.info("article page not fetched: %s: %s (using the feed's summary)", entry.link, page.error)


def _analyse_and_store(session: Session, engine: Engine, topic: TopicConfig,
                       entries: list[_NewEntry], now: datetime, report: PollReport) -> None:
    """Run the diff engine over the gate's candidates, oldest first, and store the results.

    Candidates the engine finds irrelevant are stored in bulk, as a record that they
    were seen and for the digest's off-topic count (the gate's rejects were stored as
    their feeds came in). Only relevant articles go through the ORM, because their
    sentences and developments need ids.
    """
    far_past = datetime(1970, 1, 1, tzinfo=UTC)
    entries.sort(key=lambda e: e.entry.published or now)
    connection = session.connection()
    analysed = [(item, _analyse(engine, item, far_past)) for item in entries]
    ids_by_hash: dict[str, int] = {}
    developments: dict[str, DevelopmentRow] = {}
    irrelevant = []
    for item, result in analysed:
        values = _article_values(topic, item, now)
        if result is None:
            irrelevant.append(values)
            continue
        values["relevant"] = result.relevant
        values["duplicate_of"] = _original_id(session, topic, result.duplicate_of, ids_by_hash)
        if not result.relevant:
            irrelevant.append(values)
            continue
        row = ArticleRow(**values)
        session.add(row)
        session.flush()
        assert row.id is not None
        ids_by_hash[item.content_sha256] = row.id
        report.articles_analysed += 1
        item.result.relevant += 1
        _store_sentences(session, topic, row, result.sentences, developments,
                         item.entry.published or now, report, item.result)
    insert_many(connection, ArticleRow.__table__, irrelevant)  # type: ignore[attr-defined]


def _analyse(engine: Engine, item: _NewEntry, far_past: datetime) -> ArticleResult | None:
    """The engine's verdict on one candidate; None (stored unanalysed) if the engine fails."""
    entry = item.entry
    try:
        return engine.analyse(ArticleIn(
            id=ENGINE_ID_PREFIX + item.content_sha256, url=entry.link or "", title=entry.title,
            summary=entry.summary, body=item.body, published=entry.published or far_past,
            source=item.outlet), sentences=False)  # irrelevant articles' sentences are not stored
    except Exception:  # a bug in the engine must not lose the poll's other articles
        log.exception("diff engine failed on %s; article stored unanalysed", entry.link)
        return None


ENGINE_ID_PREFIX = "h-"  # the engine knows an article by its content hash, stable across polls


def _original_id(session: Session, topic: TopicConfig, engine_id: str | None,
                 ids_by_hash: dict[str, int]) -> int | None:
    """The stored id of the article a near-copy copies (this poll's, or an earlier poll's)."""
    if not engine_id or not engine_id.startswith(ENGINE_ID_PREFIX):
        return None
    digest = engine_id.removeprefix(ENGINE_ID_PREFIX)
    if digest in ids_by_hash:
        return ids_by_hash[digest]
    return session.exec(select(ArticleRow.id).where(ArticleRow.topic_id == topic.id,
                                                    ArticleRow.content_sha256 == digest)).first()


def _store_sentences(session: Session, topic: TopicConfig, row: ArticleRow, sentences: Sequence[Any],
                     developments: dict[str, DevelopmentRow], seen_at: datetime, report: PollReport,
                     feed_result: FeedResult) -> None:
    """Store an article's labelled sentences and open or extend their developments."""
    for idx, sentence in enumerate(sentences):
        development_id = None
        if sentence.development and sentence.label in ("new", "update"):
            dev = developments.get(sentence.development) or session.exec(
                select(DevelopmentRow).where(DevelopmentRow.topic_id == topic.id,
                                             DevelopmentRow.key == sentence.development)).first()
            if dev is None:
                dev = DevelopmentRow(topic_id=topic.id, key=sentence.development, label=sentence.label,
                                     summary=sentence.text, fact_id=sentence.fact_id,
                                     baseline_fact=sentence.baseline_fact, first_seen_at=seen_at,
                                     first_article_id=row.id)
                session.add(dev)
                session.flush()
                report.new_developments += 1
                feed_result.developments += 1
            elif sentence.label == "update" and dev.label != "update":
                dev.label, dev.fact_id, dev.baseline_fact = "update", sentence.fact_id, sentence.baseline_fact
            developments[sentence.development] = dev
            development_id = dev.id
        if sentence.label in ("new", "update"):
            row.new_sentences += 1
        elif sentence.label == "known":
            row.known_sentences += 1
        session.add(SentenceRow(article_id=row.id, idx=idx, start=sentence.start, end=sentence.end,
                                text=sentence.text, label=sentence.label, development_id=development_id,
                                fact_id=sentence.fact_id, baseline_fact=sentence.baseline_fact))


def _article_values(topic: TopicConfig, item: _NewEntry, now: datetime) -> dict[str, object]:
    entry = item.entry
    return {"topic_id": topic.id, "feed_id": item.feed.id, "entry_key": item.key,
            "content_sha256": item.content_sha256, "url": entry.link or "", "title": entry.title[:1000],
            "summary": entry.summary[:5000], "body": item.body if item.candidate else "",
            "body_source": item.body_source, "outlet": item.outlet[:300], "published_at": entry.published,
            "fetched_at": now, "candidate": item.candidate, "relevant": False, "duplicate_of": None,
            "new_sentences": 0, "known_sentences": 0}
