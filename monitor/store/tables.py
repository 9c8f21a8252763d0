"""The database tables (SQLModel). Rows live here and only here.

Contains no business logic. Times are timezone-aware and come back in UTC
(SQLModel's UTCDateTime). Schema changes go through an Alembic migration in
``monitor/migrations/versions``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class TopicRow(SQLModel, table=True):
    __tablename__ = "topic"

    id: str = Field(primary_key=True, max_length=64)
    name: str
    baseline_sha256: str = ""
    # The diff engine's memory between polls (developments, article fingerprints), JSON.
    engine_state: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    created_at: datetime


class FeedRow(SQLModel, table=True):
    __tablename__ = "feed"
    __table_args__ = (
        UniqueConstraint("topic_id", "url", name="uq_feed_topic_url"),
        # The due-feed query of every tick of every worker: a topic's feeds by next poll time.
        Index("ix_feed_topic_next_poll", "topic_id", "next_poll_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    topic_id: str = Field(foreign_key="topic.id", index=True, max_length=64)
    url: str  # as written in the config
    current_url: str  # after a permanent redirect
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None  # an identical 200 body is not parsed again
    last_status: int | None = None
    last_error: str | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    next_poll_at: datetime | None = None
    error_streak: int = 0
    entries_seen: int = 0
    disabled_reason: str | None = None  # set on 410 Gone; polling stops
    in_config: bool = True  # false once removed from the config; kept for history
    # Claimed by one worker (host:pid) until then; an expired lease is free (poll.claim_feeds).
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None


class ArticleRow(SQLModel, table=True):
    __tablename__ = "article"
    __table_args__ = (
        UniqueConstraint("topic_id", "entry_key", name="uq_article_topic_entry"),
        UniqueConstraint("topic_id", "content_sha256", name="uq_article_topic_content"),
    )

    id: int | None = Field(default=None, primary_key=True)
    topic_id: str = Field(foreign_key="topic.id", index=True, max_length=64)
    feed_id: int | None = Field(default=None, foreign_key="feed.id")
    entry_key: str  # the entry's guid, else its link, else a hash of title+summary
    content_sha256: str
    url: str = ""
    title: str = ""
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    body_source: str = "feed"  # feed | page | summary
    outlet: str = ""
    published_at: datetime | None = None
    fetched_at: datetime = Field(index=True)
    candidate: bool = False  # passed the cheap relevance gate
    relevant: bool = False
    duplicate_of: int | None = Field(default=None, foreign_key="article.id")
    new_sentences: int = 0
    known_sentences: int = 0
    digest_id: int | None = Field(default=None, foreign_key="digest.id", index=True)


class DevelopmentRow(SQLModel, table=True):
    __tablename__ = "development"
    __table_args__ = (UniqueConstraint("topic_id", "key", name="uq_development_topic_key"),)

    id: int | None = Field(default=None, primary_key=True)
    topic_id: str = Field(foreign_key="topic.id", index=True, max_length=64)
    key: str  # the engine's id, e.g. "d-7"
    label: str  # new | update
    summary: str = Field(sa_column=Column(Text, nullable=False))
    fact_id: str | None = None
    baseline_fact: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    first_seen_at: datetime | None = None
    first_article_id: int | None = Field(default=None, foreign_key="article.id")
    digest_id: int | None = Field(default=None, foreign_key="digest.id")  # first emailed in


class SentenceRow(SQLModel, table=True):
    __tablename__ = "sentence"
    __table_args__ = (Index("ix_sentence_article_idx", "article_id", "idx", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id")
    idx: int
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    label: str
    development_id: int | None = Field(default=None, foreign_key="development.id", index=True)
    fact_id: str | None = None
    baseline_fact: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    digest_id: int | None = Field(default=None, foreign_key="digest.id", index=True)


class DigestRow(SQLModel, table=True):
    """The outbox: a digest is stored, rendered, before any attempt to send it."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("topic_id", "period_key", name="uq_digest_topic_period"),)

    id: int | None = Field(default=None, primary_key=True)
    topic_id: str = Field(foreign_key="topic.id", index=True, max_length=64)
    period_key: str  # the schedule slot (UTC) it covers, or "manual-<time>"
    period_start: datetime | None = None
    period_end: datetime
    created_at: datetime
    message_id: str
    subject: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    html: str = Field(sa_column=Column(Text, nullable=False))
    recipients: str = "[]"  # JSON list
    new_developments: int = 0
    changed_facts: int = 0
    status: str = Field(default="pending", index=True)  # pending | sent | failed | skipped
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
