"""Hot queries written for speed, where the ORM's per-call overhead shows in a big poll."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlmodel import Session

CHUNK = 400  # bound parameters per statement (SQLite allows 32,766; PostgreSQL 65,535)


def find_seen(session: Session, topic_id: str, keys: Sequence[str], hashes: Sequence[str]) -> set[str]:
    """The entry keys and content hashes among these that the topic has already stored.

    Called once per changed feed: with thousands of feeds, building and compiling an
    ORM ``IN`` query each time cost more than the lookups themselves, so this is
    plain SQL on the session's own connection (same transaction, both databases).
    """
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    seen: set[str] = set()
    for column, values in (("entry_key", keys), ("content_sha256", hashes)):
        for start in range(0, len(values), CHUNK):
            chunk = list(values[start:start + CHUNK])
            sql = (f"SELECT {column} FROM article WHERE topic_id = {mark} "  # the names are ours
                   f"AND {column} IN ({', '.join([mark] * len(chunk))})")
            seen.update(row[0] for row in connection.exec_driver_sql(sql, (topic_id, *chunk)))
    return seen


def insert_many(connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert plain rows in one executemany, with each column's own bind processing.

    Used for the tens of thousands of unanalysed entries of a big poll, where SQLAlchemy's
    per-row parameter handling cost more than SQLite's own insert. Values are converted
    exactly as the ORM would (the column types' bind processors for this dialect).
    """
    if not rows:
        return
    dialect = connection.dialect
    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {table.name} ({', '.join(names)}) "  # the names are ours
           f"VALUES ({', '.join([mark] * len(names))})")
    # Each processed column keeps a memo of the values it has converted: a poll's rows share
    # their fetch time and many share their flags and publication times, and converting a
    # datetime for SQLite costs more than inserting it.
    converted = [(i, process, {}) for i, process in enumerate(processors) if process is not None]
    params = []
    for row in rows:
        values = [row[name] for name in names]
        for i, process, memo in converted:
            value = values[i]
            try:
                values[i] = memo[value]
            except KeyError:
                values[i] = memo[value] = process(value)
        params.append(tuple(values))
    connection.exec_driver_sql(sql, params)
