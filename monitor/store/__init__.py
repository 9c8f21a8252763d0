"""Storage: open the database, apply migrations, hand out sessions.

SQLite (WAL) by default, PostgreSQL by URL. The schema is owned by Alembic:
``upgrade_database`` runs at every start, so an upgrade never needs a manual
step and never loses data.
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

from monitor.errors import AlreadyRunning, StoreError

__all__ = ["Database", "StoreError", "alembic_config", "open_database"]

MIGRATION_LOCK = 0x6D6F6E69746F72  # PostgreSQL advisory lock key ("monitor") held while migrating


class Database:
    """One SQLAlchemy engine plus what monitor needs around it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._lock_file: Any = None
        kwargs: dict[str, Any] = {"pool_pre_ping": True}
        if self.is_sqlite:
            path = url.removeprefix("sqlite:///")
            if path and path != ":memory:" and url != "sqlite://":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, "check_same_thread": False}
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except Exception:
                session.rollback()
                raise

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""
        from alembic import command

        cfg = alembic_config(self.url)
        try:
            with self.engine.begin() as connection:
                if not self.is_sqlite:  # workers starting together migrate one after another
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
        except OperationalError as e:
            raise StoreError(f"cannot open database {self.display_url}: {e.orig} "
                             "(check [database].url or MONITOR_DATABASE_URL)") from e

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @property
    def display_url(self) -> str:
        """The URL without a password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    def lock_for_daemon(self) -> None:
        """On SQLite, refuse a second daemon on the same file (PostgreSQL coordinates)."""
        if not self.is_sqlite or self.url in ("sqlite://", "sqlite:///:memory:"):
            return
        path = self.url.removeprefix("sqlite:///") + ".lock"
        handle = open(path, "a+")  # noqa: SIM115 (held for the process's life)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise AlreadyRunning(
                f"another monitor daemon ({holder}) is using {path.removesuffix('.lock')}; "
                "stop it first, or use PostgreSQL to run several workers") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self._lock_file = handle  # the OS drops the lock when the process dies, even on kill -9

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str) -> Any:
    """The Alembic config for monitor's migrations (``monitor/migrations``) on ``url``."""
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", "monitor:migrations")
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_database(url: str, *, upgrade: bool = True) -> Database:
    """Open (and by default migrate) the database at ``url``."""
    try:
        database = Database(url)
        if upgrade:
            database.upgrade()
        return database
    except SQLAlchemyError as e:
        raise StoreError(f"cannot open database: {e} (check [database].url)") from e
