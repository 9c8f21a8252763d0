"""Storage: migrations from empty on SQLite and PostgreSQL; uniqueness that prevents duplicates."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from monitor.errors import AlreadyRunning
from monitor.store import open_database
from monitor.store.tables import ArticleRow, DigestRow, TopicRow

TABLES = {"topic", "feed", "article", "sentence", "development", "digest", "alembic_version"}
NOW = datetime(2023, 3, 20, 7, 0, tzinfo=UTC)


def test_migrations_create_every_table_and_are_idempotent(database_url: str) -> None:
    database = open_database(database_url)
    assert set(inspect(database.engine).get_table_names()) >= TABLES
    assert database.current_revision() is not None
    again = open_database(database_url)  # a second start applies nothing and loses nothing
    assert again.current_revision() == database.current_revision()


def test_an_article_is_stored_once_per_topic(database_url: str) -> None:
    database = open_database(database_url)
    with database.session() as session:
        session.add(TopicRow(id="t", name="T", created_at=NOW))
    with database.session() as session:
        session.add(ArticleRow(topic_id="t", entry_key="guid:1", content_sha256="a", fetched_at=NOW))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(ArticleRow(topic_id="t", entry_key="guid:1", content_sha256="b", fetched_at=NOW))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(ArticleRow(topic_id="t", entry_key="guid:2", content_sha256="a", fetched_at=NOW))


def test_a_digest_period_is_claimed_once(database_url: str) -> None:
    database = open_database(database_url)
    with database.session() as session:
        session.add(TopicRow(id="t", name="T", created_at=NOW))
    row = {"topic_id": "t", "period_key": "2023-03-20T07:00Z", "period_end": NOW, "created_at": NOW,
           "message_id": "<m@x>", "subject": "s", "text": "t", "html": "h"}
    with database.session() as session:
        session.add(DigestRow(**row))
    with pytest.raises(IntegrityError), database.session() as session:
        session.add(DigestRow(**row))


def test_times_come_back_aware_in_utc(database_url: str) -> None:
    database = open_database(database_url)
    with database.session() as session:
        session.add(TopicRow(id="t", name="T", created_at=NOW))
    with database.session() as session:
        assert session.get(TopicRow, "t").created_at == NOW  # type: ignore[union-attr]


def test_second_daemon_on_one_sqlite_file_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    first = open_database(url)
    first.lock_for_daemon()
    second = open_database(url)
    with pytest.raises(AlreadyRunning, match="another monitor daemon"):
        second.lock_for_daemon()
