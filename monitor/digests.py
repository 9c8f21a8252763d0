"""Digests: gather what is new since the last one, render it, store it, deliver it.

The outbox discipline: a digest is rendered and stored (with the sentences,
developments and articles it covers bound to it) in one transaction before any
attempt to send. Delivery then marks it sent. A crash in between resends the
same stored message with the same Message-ID; nothing is covered twice because
everything a digest covers points at it.
"""
from __future__ import annotations

import json
import logging
import os
import socket
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from monitor.config import Config, TopicConfig
from monitor.deliver import DeliveryError, Mailer, OutboxMailer, SmtpMailer, build_message
from monitor.digest import render_digest
from monitor.engine import contradicts, headline, make_engine
from monitor.poll import _owner_dead
from monitor.store import Database
from monitor.store.tables import ArticleRow, DevelopmentRow, DigestRow, FeedRow, SentenceRow, TopicRow
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

RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 48  # about two days of retries before a temporary failure becomes final


@dataclass
class Gathered:
    """A digest's content plus the rows it covers (to bind them to the stored digest)."""

    data: DigestData
    sentence_ids: list[int]
    development_ids: list[int]
    article_ids: list[int]

    @property
    def empty(self) -> bool:
        return not (self.data.developments or self.data.changed_facts)


def gather(session: Session, config: Config, topic: TopicConfig, now: datetime,
           since: datetime | None = None) -> Gathered:
    """Everything not yet covered by a digest (or, with ``since``, everything since then)."""
    articles_query = select(ArticleRow).where(ArticleRow.topic_id == topic.id)
    if since is None:
        articles_query = articles_query.where(col(ArticleRow.digest_id).is_(None))
    else:
        articles_query = articles_query.where(ArticleRow.fetched_at >= since)
    articles = {a.id: a for a in session.exec(articles_query)}
    sentences_query = (select(SentenceRow, ArticleRow).join(ArticleRow, SentenceRow.article_id == ArticleRow.id)
                       .where(ArticleRow.topic_id == topic.id, col(SentenceRow.development_id).is_not(None)))
    if since is None:
        sentences_query = sentences_query.where(col(SentenceRow.digest_id).is_(None))
    else:
        sentences_query = sentences_query.where(ArticleRow.fetched_at >= since)
    by_development: dict[int, list[tuple[SentenceRow, ArticleRow]]] = defaultdict(list)
    for sentence, article in session.exec(sentences_query):
        by_development[sentence.development_id].append((sentence, article))  # type: ignore[index]
    developments = {d.id: d for d in session.exec(
        select(DevelopmentRow).where(col(DevelopmentRow.id).in_(list(by_development))))}

    items: list[DigestDevelopment] = []
    covered_developments: list[int] = []
    followups: list[int] = []  # sentences that only repeat a development already emailed
    emailed = [d for d in by_development if since is None and developments[d].digest_id is not None]
    emailed_reports = session.exec(select(SentenceRow.development_id, SentenceRow.label, SentenceRow.text).where(
        col(SentenceRow.development_id).in_(emailed), col(SentenceRow.digest_id).is_not(None))).all() if emailed else []
    updated_before = {d for d, label, _ in emailed_reports if label == "update"}
    contradicted_before = {d for d, _, text in emailed_reports if contradicts(text)}
    for dev_id, mentions in by_development.items():
        dev = developments[dev_id]
        previously = dev_id in emailed
        mentions.sort(key=lambda m: (m[1].published_at or m[1].fetched_at, m[0].idx))
        denial = next((i for i, (s, _) in enumerate(mentions) if contradicts(s.text)), None)  # the first, if any
        changes_baseline = dev_id not in updated_before and any(s.label == "update" for s, _ in mentions)
        contradicts_it = denial is not None and dev_id not in contradicted_before
        if previously and not changes_baseline and not contradicts_it:
            # Already emailed, and these reports neither change the baseline nor first say that what was emailed is
            # wrong: not news again.
            followups.extend(s.id for s, _ in mentions if s.id is not None)
            continue
        covered_developments.append(dev_id)
        independent = {a.outlet for _, a in mentions if a.duplicate_of is None}
        first = mentions[0][1]
        label = "update" if any(s.label == "update" for s, _ in mentions) else dev.label
        fact = dev.baseline_fact or next((s.baseline_fact for s, _ in mentions if s.baseline_fact), None)
        quoted = tuple(Mention(text=s.text, outlet=a.outlet, url=a.url, title=a.title, published=a.published_at,
                               label=s.label, duplicate=a.duplicate_of is not None) for s, a in mentions)
        items.append(DigestDevelopment(
            key=dev.key, label=label, summary=headline([dev.summary, *(s.text for s, _ in mentions)]),
            first_outlet=first.outlet,
            first_seen=first.published_at or first.fetched_at,
            mentions=quoted,
            sources=max(1, len(independent)), baseline_fact=fact if label == "update" else None,
            conflict=None if denial is None else quoted[denial], previously_reported=previously))
    items.sort(key=lambda d: (-d.sources, d.first_seen or now))
    changed = tuple(d for d in items if d.label == "update")
    new = tuple(d for d in items if d.label != "update")

    updates = list(session.exec(select(DevelopmentRow).where(
        DevelopmentRow.topic_id == topic.id, DevelopmentRow.label == "update")))
    resolved_ids = {d.fact_id for d in updates if d.fact_id}
    resolved_texts = {d.baseline_fact for d in updates if d.baseline_fact}
    still_open = tuple(f.text for f in make_engine(config, topic).facts
                       if f.open and f.id not in resolved_ids and f.text not in resolved_texts)

    left_out: list[LeftOutItem] = []
    for article in sorted(articles.values(), key=lambda a: a.fetched_at):
        if not article.relevant:
            kind = "off-topic"
        elif article.duplicate_of is not None:
            kind = "near-copy"
        elif article.new_sentences == 0:
            kind = "restatement" if article.known_sentences else "background"
        else:
            continue
        left_out.append(LeftOutItem(kind=kind, title=article.title, url=article.url, outlet=article.outlet))

    feeds = tuple(FeedHealth(url=f.current_url, ok=f.last_error is None, last_success=f.last_success_at,
                             error=f.last_error)
                  for f in session.exec(select(FeedRow).where(FeedRow.topic_id == topic.id,
                                                              FeedRow.in_config == True)))  # noqa: E712
    failed = tuple(f"{d.subject} — {d.last_error}" for d in session.exec(
        select(DigestRow).where(DigestRow.topic_id == topic.id, DigestRow.status == "failed")))
    period_start = since or _previous_period_end(session, topic.id)
    data = DigestData(topic_id=topic.id, topic_name=topic.name, period_start=period_start, period_end=now,
                      developments=new, changed_facts=changed, still_open=still_open,
                      left_out=tuple(left_out), feeds=feeds,
                      per_day=_per_day(articles.values(), items), failed_deliveries=failed,
                      timezone=topic.digest.timezone)
    sentence_ids = [s.id for dev_id in covered_developments for s, _ in by_development[dev_id]] + followups
    return Gathered(data, [i for i in sentence_ids if i is not None], covered_developments,
                    [i for i in articles if i is not None])


def _previous_period_end(session: Session, topic_id: str) -> datetime | None:
    """Where this digest's period starts: the end of the last one, else when the topic began."""
    last = session.exec(select(DigestRow.period_end).where(DigestRow.topic_id == topic_id)
                        .order_by(col(DigestRow.period_end).desc())).first()
    if last is not None:
        return last
    topic = session.get(TopicRow, topic_id)
    return topic.created_at if topic else None


def _per_day(articles: object, items: list[DigestDevelopment]) -> tuple[DayCount, ...]:
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for article in articles:  # type: ignore[attr-defined]
        if article.relevant:
            day = (article.published_at or article.fetched_at).date().isoformat()
            days[day][0] += 1
    for item in items:
        if item.first_seen:
            days[item.first_seen.date().isoformat()][1] += 1
    return tuple(DayCount(day=d, articles=a, developments=n) for d, (a, n) in sorted(days.items()))


def message_id(topic_id: str, period_key: str) -> str:
    """Stable per topic and period, so a resend after a crash is recognisably the same mail."""
    safe = "".join(c if c.isalnum() or c in "-." else "-" for c in period_key)
    return f"<digest.{topic_id}.{safe}@monitor.localhost>"


def preview(database: Database, config: Config, topic: TopicConfig, now: datetime,
            since: datetime | None = None) -> tuple[Gathered, RenderedDigest]:
    """Build and render without storing or marking anything (--dry-run, --since)."""
    with database.session() as session:
        gathered = gather(session, config, topic, now, since)
        session.rollback()
    return gathered, render_digest(gathered.data, templates_dir=config.templates_dir)


def create_digest(database: Database, config: Config, topic: TopicConfig, now: datetime,
                  period_key: str) -> DigestRow | None:
    """Store the digest for one period in the outbox; None when the period was already claimed.

    The unique key (topic, period) makes the claim: whichever worker inserts first
    owns the period. A quiet period (nothing new) is recorded as 'skipped', or as a
    short note when the topic asks for one.
    """
    with database.session() as session:
        # A write on the topic row first (SQLite: the write lock; PostgreSQL: the row lock):
        # processes creating a digest of one topic take turns, so the second one gathers
        # after the first has bound its rows, and never renders the same content again.
        session.execute(update(TopicRow).where(col(TopicRow.id) == topic.id).values(name=TopicRow.name))
        if session.exec(select(DigestRow).where(DigestRow.topic_id == topic.id,
                                                DigestRow.period_key == period_key)).first():
            return None
        gathered = gather(session, config, topic, now)
        rendered = render_digest(gathered.data, templates_dir=config.templates_dir)
        quiet = gathered.empty
        status = "skipped" if quiet and topic.digest.quiet == "skip" else "pending"
        row = DigestRow(topic_id=topic.id, period_key=period_key, period_start=gathered.data.period_start,
                        period_end=now, created_at=now, message_id=message_id(topic.id, period_key),
                        subject=rendered.subject, text=rendered.text, html=rendered.html,
                        recipients=json.dumps(topic.digest.recipients),
                        new_developments=len(gathered.data.developments),
                        changed_facts=len(gathered.data.changed_facts), status=status, next_attempt_at=now)
        session.add(row)
        try:
            session.flush()
        except IntegrityError:  # another worker claimed this period a moment ago
            session.rollback()
            return None
        if status == "pending":
            _bind(session, row.id, gathered)  # type: ignore[arg-type]
        return row


def _bind(session: Session, digest_id: int, gathered: Gathered) -> None:
    for model, ids in ((SentenceRow, gathered.sentence_ids), (DevelopmentRow, gathered.development_ids),
                       (ArticleRow, gathered.article_ids)):
        for chunk in range(0, len(ids), 500):
            for row in session.exec(select(model).where(col(model.id).in_(ids[chunk:chunk + 500]))):
                if getattr(row, "digest_id", None) is None:
                    row.digest_id = digest_id


SENDING = "sending, claimed by "
SEND_LEASE = timedelta(minutes=5)  # a sender that died mid-send leaves the digest to others after this


def _claim(database: Database, row: DigestRow, now: datetime) -> bool:
    """Take one delivery attempt of ``row`` for this process; False when another process has it.

    A conditional update (same attempt count as read) lets exactly one sender win; the
    row stays pending, marked in flight until SEND_LEASE, so a kill -9 mid-send leaves it
    to be resent (same Message-ID) by the next run.
    """
    owner = f"{socket.gethostname()}:{os.getpid()}"
    with database.session() as session:
        result = session.execute(update(DigestRow).where(
            col(DigestRow.id) == row.id, col(DigestRow.status) == "pending",
            col(DigestRow.attempts) == row.attempts).values(
            attempts=DigestRow.attempts + 1, next_attempt_at=now + SEND_LEASE,
            last_error=f"{SENDING}{owner} at {now:%Y-%m-%d %H:%M:%S} UTC"))
        return result.rowcount == 1  # type: ignore[attr-defined]


def _in_flight(row: DigestRow, now: datetime) -> bool:
    """Claimed by a sender that may still be at it (its lease runs, and it is not a dead local pid)."""
    if not (row.last_error or "").startswith(SENDING) or row.next_attempt_at is None:
        return False
    if row.next_attempt_at.replace(tzinfo=row.next_attempt_at.tzinfo or UTC) <= now:
        return False
    return not _owner_dead(row.last_error[len(SENDING):].split(" at ", 1)[0])  # type: ignore[index]


def _unbind(session: Session, digest_id: int) -> None:
    """A digest that can never be delivered gives its items back: they roll over to the next one."""
    for model in (SentenceRow, DevelopmentRow, ArticleRow):
        session.execute(update(model).where(col(model.digest_id) == digest_id).values(digest_id=None))


def make_mailer(config: Config) -> Mailer:
    email = config.email
    if email.method == "smtp":
        smtp = email.smtp
        return SmtpMailer(smtp.host, smtp.port, smtp.security, smtp.username, config.smtp_password,
                          timeout=smtp.timeout)
    return OutboxMailer(config.outbox_dir)


def to_message(config: Config, topic: TopicConfig, row: DigestRow) -> EmailMessage:
    return build_message(RenderedDigest(row.subject, row.text, row.html), sender=config.email.sender,
                         sender_name=topic.digest.sender_name or config.email.sender_name,
                         recipients=json.loads(row.recipients) or [config.email.sender],
                         message_id=row.message_id, date=row.created_at)


def deliver_pending(database: Database, config: Config, now: datetime | None = None,
                    topic_ids: set[str] | None = None, mailer: Mailer | None = None, *,
                    due_only: bool = True) -> list[str]:
    """Send every stored digest that is due (or, ``due_only=False``, every pending one, as
    `monitor digest` does: the operator asks now, backoff or not); one line per attempt."""
    now = now or datetime.now(UTC)
    mailer = mailer or make_mailer(config)
    topics = {t.id: t for t in config.topic}
    lines = []
    with database.session() as session:
        query = select(DigestRow).where(DigestRow.status == "pending")
        if due_only:
            query = query.where(col(DigestRow.next_attempt_at) <= now)
        due = [r for r in session.exec(query.order_by(DigestRow.id)) if due_only or not _in_flight(r, now)]
    for row in due:
        topic = topics.get(row.topic_id)
        if topic is None or (topic_ids and row.topic_id not in topic_ids):
            continue
        if not _claim(database, row, now):
            continue  # another process (a worker, `monitor digest`) is sending it right now
        try:
            mailer.send(to_message(config, topic, row))
        except (DeliveryError, ValueError) as e:
            permanent = getattr(e, "permanent", True)
            with database.session() as session:
                stored = session.get(DigestRow, row.id)
                assert stored is not None
                stored.last_error = str(e)  # the attempt was counted when it was claimed
                if permanent or stored.attempts >= MAX_ATTEMPTS:
                    stored.status = "failed"
                    _unbind(session, stored.id)  # type: ignore[arg-type]
                    line = (f"digest {row.message_id} failed for good: {e}; "
                            "its items go into the next digest")
                else:
                    stored.next_attempt_at = now + min(RETRY_BASE * 2 ** (stored.attempts - 1), RETRY_CAP)
                    line = f"digest {row.message_id} not sent: {e} (retry at {stored.next_attempt_at:%H:%M:%S} UTC)"
            log.warning(line)
            lines.append(line)
            continue
        with database.session() as session:
            stored = session.get(DigestRow, row.id)
            assert stored is not None
            stored.status, stored.sent_at = "sent", datetime.now(UTC)
            stored.last_error = None
        line = f"digest sent: {row.subject} ({row.message_id})"
        log.info(line)
        lines.append(line)
    return lines
