"""Migrations on SQLite and PostgreSQL: from empty, from the previous revision with rows kept,
the models matching the newest revision exactly, and `monitor db upgrade` on the command line."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

import monitor.store.tables  # noqa: F401  (the models on the metadata)
from monitor.store import alembic_config, open_database
from tests.support.servers import BASELINE

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2023, 3, 20, 7, 0, tzinfo=UTC)


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def upgrade_to(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        cfg = alembic_config(url)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
    engine.dispose()


def test_revisions_form_one_line() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert revisions()[0] == "0001" and len(revisions()) >= 2


def test_models_match_the_newest_migration(database_url: str) -> None:
    """What `alembic revision --autogenerate` would find: nothing, so no change is unmigrated."""
    database = open_database(database_url)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    assert database.current_revision() == revisions()[-1]


def test_upgrade_from_the_previous_revision_keeps_every_row(database_url: str) -> None:
    previous = revisions()[-2]
    upgrade_to(database_url, previous)
    engine = create_engine(database_url)
    with engine.begin() as c:
        c.execute(text("INSERT INTO topic (id, name, baseline_sha256, engine_state, created_at) "
                       "VALUES ('t', 'T', 'abc', '{\"k\": 1}', :now)"), {"now": NOW})
        for i in range(3):
            c.execute(text(
                "INSERT INTO feed (topic_id, url, current_url, title, next_poll_at, error_streak, entries_seen, "
                "in_config, etag, lease_owner, lease_expires_at) VALUES ('t', :u, :u, 'F', :now, 0, 5, :yes, "
                "'\"e\"', 'host:1', :now)"), {"u": f"http://feeds.example/{i}.xml", "now": NOW, "yes": True})
        c.execute(text(
            "INSERT INTO article (topic_id, feed_id, entry_key, content_sha256, url, title, summary, body, "
            "body_source, outlet, fetched_at, candidate, relevant, new_sentences, known_sentences) "
            "VALUES ('t', 1, 'guid:1', 'h1', 'http://a', 'A', 's', 'b', 'feed', 'O', :now, :yes, :yes, 1, 0)"),
            {"now": NOW, "yes": True})
        c.execute(text(
            "INSERT INTO digest (topic_id, period_key, period_end, created_at, message_id, subject, text, html, "
            "recipients, new_developments, changed_facts, status, attempts) "
            "VALUES ('t', '20230320T0700Z', :now, :now, '<m@x>', 'S', 'T', 'H', '[]', 0, 0, 'sent', 1)"),
            {"now": NOW})
    engine.dispose()

    database = open_database(database_url)  # what every start does: upgrade to the newest revision
    assert database.current_revision() == revisions()[-1]
    with database.engine.connect() as c:
        assert c.execute(text("SELECT engine_state FROM topic")).scalar_one() == '{"k": 1}'
        feeds = c.execute(text("SELECT url, etag, entries_seen, lease_owner FROM feed ORDER BY id")).all()
        assert [tuple(f) for f in feeds] == [(f"http://feeds.example/{i}.xml", '"e"', 5, "host:1")
                                            for i in range(3)]
        assert c.execute(text("SELECT title FROM article")).scalar_one() == "A"
        assert c.execute(text("SELECT status FROM digest")).scalar_one() == "sent"
    indexes = {ix["name"] for ix in inspect(database.engine).get_indexes("feed")}
    assert "ix_feed_topic_next_poll" in indexes and "ix_feed_next_poll_at" not in indexes


def test_every_revision_applies_step_by_step_from_empty(database_url: str) -> None:
    for revision in revisions():
        upgrade_to(database_url, revision)
        assert open_database(database_url, upgrade=False).current_revision() == revision


def _write_config(tmp_path: Path, url: str) -> Path:
    (tmp_path / "baseline.txt").write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "monitor.toml"
    path.write_text(f"""
[database]
url = "{url}"
[[topic]]
id = "t"
name = "T"
baseline = "baseline.txt"
feeds = ["http://127.0.0.1:9/rss.xml"]  # never fetched: private addresses are refused
""", encoding="utf-8")
    return path


def _monitor(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=120)


def test_db_upgrade_command_from_empty_and_from_previous(database_url: str, tmp_path: Path) -> None:
    config = _write_config(tmp_path, database_url)
    result = _monitor("--config", str(config), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"at revision {revisions()[-1]}" in result.stdout
    # Back to the previous revision by hand, then the command brings it forward again.
    engine = create_engine(database_url)
    with engine.begin() as connection:
        cfg = alembic_config(database_url)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, revisions()[-2])
    engine.dispose()
    assert open_database(database_url, upgrade=False).current_revision() == revisions()[-2]
    result = _monitor("--config", str(config), "db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert f"at revision {revisions()[-1]}" in result.stdout


@pytest.mark.postgres
def test_workers_starting_together_migrate_once(postgres_url: str) -> None:
    """Several workers opening an empty database at once: one migrates, the others wait and find it done."""
    code = ("import sys; from monitor.store import open_database; "
            "print(open_database(sys.argv[1]).current_revision())")
    procs = [subprocess.Popen([sys.executable, "-c", code, postgres_url], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert {out.strip() for out, _ in outs} == {revisions()[-1]}
