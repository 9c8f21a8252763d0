"""The daemon: APScheduler wiring only; each job calls one step of poll.py or digests.py.

One tick job polls the feeds that are due (each feed's next poll time is data
in the database, so backoff and Retry-After survive restarts) and retries
pending deliveries. One cron job per topic creates and sends its digest in the
topic's time zone. APScheduler's in-memory job store is used on purpose: the
schedule is the config and the state is in our tables, so nothing of
APScheduler's is shared between processes.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel import col, select

from monitor.config import Config, TopicConfig, load_config, parse_duration
from monitor.digests import create_digest, deliver_pending
from monitor.errors import ConfigError, MonitorError
from monitor.poll import poll_topic, sync_topics
from monitor.schedule import LocalCronTrigger, latest_slot, slot_key
from monitor.store import Database
from monitor.store.tables import DigestRow, TopicRow

log = logging.getLogger(__name__)

CLAIM_BATCH_PER_SLOT = 8  # a worker claims at most [fetch] concurrency * this many due feeds at once
MAX_POLL_STEP = 60.0  # seconds of batches in one tick before other work gets a turn

def digest_trigger(topic: TopicConfig) -> LocalCronTrigger:
    return LocalCronTrigger(topic.digest.schedule, topic.digest.timezone)


def sync_topics_retrying(database: Database, config: Config, now: datetime, attempts: int = 3) -> None:
    """sync_topics, again when another worker inserted the same topic or feed rows a moment ago.

    Workers started together on an empty PostgreSQL database all insert the
    config's rows; the unique keys let one win, and the others' second attempt
    finds the rows there.
    """
    for attempt in range(attempts):
        try:
            sync_topics(database, config, now)
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            log.info("topic/feed rows were being created by another worker; syncing again")


class Daemon:
    """Owns the scheduler, the current config and the database."""

    def __init__(self, config: Config, database: Database,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.clock = clock
        self.config = config
        self.database = database
        self.config_mtime = _mtime(config.path)
        self.stop_event = threading.Event()
        self.lock = threading.Lock()  # one step at a time: polls and digests never overlap
        self.digest_waiting = threading.Event()  # a poll backlog gives way to a digest that is due
        self.scheduler = BackgroundScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": None})

    # --- jobs ---------------------------------------------------------------

    def tick(self) -> None:
        """Reload an edited config, poll what is due, retry pending deliveries."""
        if self.stop_event.is_set():
            return
        with self.lock:
            self._maybe_reload()
            now = self.clock()
            try:
                sync_topics_retrying(self.database, self.config, now)
                for topic in self.config.topic:
                    if self.stop_event.is_set():
                        return
                    self._poll_due(topic, now)
                deliver_pending(self.database, self.config, self.clock())
            except (SQLAlchemyError, MonitorError) as e:
                log.error("tick failed, will retry next tick: %s", _one_line(e))

    def _poll_due(self, topic: TopicConfig, now: datetime) -> None:
        """Poll the topic's due feeds a batch at a time until none is due, so that workers
        sharing a database split a backlog instead of one of them claiming all of it. A long
        backlog gives way to a digest that is due, and after a minute to the next topic and
        to pending deliveries; the next tick goes on with it."""
        batch = self.config.fetch.concurrency * CLAIM_BATCH_PER_SLOT
        started = time.monotonic()
        while not (self.stop_event.is_set() or self.digest_waiting.is_set()):
            report = poll_topic(self.database, self.config, topic, now=now, only_due=True, batch=batch)
            if report.feeds:
                log.info("poll topic=%s feeds=%d failed=%d relevant=%d new_developments=%d in %.1fs",
                         topic.id, len(report.feeds), len(report.failed), report.articles_analysed,
                         report.new_developments, report.seconds)
            if len(report.feeds) < batch or time.monotonic() - started > MAX_POLL_STEP:
                return
            now = self.clock()

    def digest(self, topic_id: str) -> None:
        """Create the digest of the slot that just came due, then deliver."""
        self.digest_waiting.set()
        with self.lock:
            self.digest_waiting.clear()
            topic = next((t for t in self.config.topic if t.id == topic_id), None)
            if topic is None:
                return
            now = self.clock()
            slot = latest_slot(digest_trigger(topic), now, timedelta(days=1)) or now
            self._create_and_send(topic, slot, now)

    def catch_up(self) -> None:
        """At start: a slot missed while the daemon was down is sent once, covering the gap."""
        with self.lock:
            now = self.clock()
            for topic in self.config.topic:
                slot = latest_slot(digest_trigger(topic), now)
                if slot is None:
                    continue
                try:
                    with self.database.session() as session:
                        topic_row = session.get(TopicRow, topic.id)
                        newest = session.exec(select(DigestRow).where(
                            DigestRow.topic_id == topic.id, ~col(DigestRow.period_key).startswith("manual-"))
                            .order_by(col(DigestRow.period_end).desc())).first()
                except SQLAlchemyError as e:
                    log.error("catch-up failed, will retry: %s", _one_line(e))
                    self._retry_catch_up()
                    return
                if topic_row is None or slot <= topic_row.created_at:
                    continue  # the topic did not exist yet at that slot: nothing was missed
                if newest is None or newest.period_key < slot_key(slot):
                    log.info("topic %s: digest slot %s was missed while stopped; sending it now",
                             topic.id, slot_key(slot))
                    self._create_and_send(topic, slot, now)

    def _create_and_send(self, topic: TopicConfig, slot: datetime, now: datetime) -> None:
        try:
            row = create_digest(self.database, self.config, topic, now, slot_key(slot))
            if row is not None:
                log.info("digest %s for %s: %s (%s)", row.status, topic.id, row.subject, row.period_key)
            deliver_pending(self.database, self.config, now, {topic.id})
        except (SQLAlchemyError, MonitorError) as e:
            log.error("digest for %s failed, will retry: %s", topic.id, _one_line(e))
            self._retry_catch_up()  # the slot is not claimed yet: catch-up creates it next time

    def _retry_catch_up(self) -> None:
        """Run catch-up again a tick from now (a database hiccup must not lose a slot)."""
        self.scheduler.add_job(self.catch_up, "date", id="catch-up", replace_existing=True,
                               run_date=datetime.now(UTC) + timedelta(seconds=self.tick_seconds()))

    # --- config reload --------------------------------------------------------

    def _maybe_reload(self) -> None:
        mtime = _mtime(self.config.path)
        if mtime == self.config_mtime:
            return
        self.config_mtime = mtime
        self.reload()

    def reload(self) -> None:
        try:
            config = load_config(self.config.path)
        except ConfigError as e:
            log.error("config change ignored, still running the last good config: %s", _one_line(e))
            return
        if config.database_url != self.config.database_url:
            log.warning("[database] changes take effect after a restart")
        self.config = config
        self._schedule_digests()
        log.info("config reloaded from %s", config.path)

    # --- running --------------------------------------------------------------

    def _schedule_digests(self) -> None:
        for job in self.scheduler.get_jobs():
            if job.id.startswith("digest:"):
                job.remove()
        for topic in self.config.topic:
            self.scheduler.add_job(self.digest, digest_trigger(topic), args=[topic.id],
                                   id=f"digest:{topic.id}", name=f"digest {topic.id}")

    def tick_seconds(self) -> float:
        shortest = min((parse_duration(t.poll_every) for t in self.config.topic), default=timedelta(minutes=1))
        return max(5.0, min(60.0, shortest.total_seconds() / 2))

    def run(self) -> None:
        """Block until SIGTERM/SIGINT; the step in progress finishes, then return."""
        def stop(signum: int, _frame: Any) -> None:
            log.info("received %s: finishing the current step, then exiting", signal.Signals(signum).name)
            self.stop_event.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGHUP, lambda *_: self.scheduler.add_job(self._reload_locked))
        self.scheduler.add_listener(_log_job_error, EVENT_JOB_ERROR)
        self.scheduler.add_job(self.tick, "interval", seconds=self.tick_seconds(), id="tick",
                               next_run_time=datetime.now(UTC))
        self._schedule_digests()
        self.scheduler.add_job(self.catch_up, id="catch-up")
        self.scheduler.start()
        log.info("monitor running: %d topic(s), tick every %.0fs; SIGTERM or Ctrl-C stops",
                 len(self.config.topic), self.tick_seconds())
        while not self.stop_event.wait(1.0):
            pass
        self.scheduler.shutdown(wait=True)
        log.info("monitor stopped")

    def _reload_locked(self) -> None:
        with self.lock:
            self.config_mtime = _mtime(self.config.path)
            self.reload()


def _log_job_error(event: JobExecutionEvent) -> None:
    log.critical("bug in job %s: %r", event.job_id, event.exception, exc_info=event.exception)


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:500]
