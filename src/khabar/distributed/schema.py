"""The tables distributed work needs, created idempotently by whoever starts first.

Two groups, both outside Khabar's numbered migrations (they hold coordination state, not
data: dropping them loses nothing a worker cannot rebuild):

- procrastinate's job queue (``procrastinate_*``), applied from procrastinate's own schema
  file when absent;
- ``khabar_host_gates`` (per-host politeness shared by every worker, :mod:`.hostgate`) and
  ``khabar_write_log`` (one row per write, so a worker knows which stories others changed,
  :mod:`.writelock`).

Workers starting together take a transaction-level advisory lock and create what is missing
one after the other.
"""

from __future__ import annotations

from typing import Any

import psycopg

__all__ = ["SCHEMA_LOCK", "ensure_coordination_tables", "ensure_schema", "has_queue"]

SCHEMA_LOCK = (0x6B68, 9)  # (classid, objid): Khabar's migration lock is (0x6B68, 1)

COORDINATION_TABLES = """
CREATE TABLE IF NOT EXISTS khabar_host_gates (
    host text PRIMARY KEY,
    next_start timestamptz,
    cool_until timestamptz
);
CREATE TABLE IF NOT EXISTS khabar_write_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_seq bigint NOT NULL,
    story_id bigint
);
"""


def has_queue(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
    return bool(row and row[0])


def ensure_coordination_tables(conn: psycopg.Connection[Any]) -> None:
    """Create the host gates and the write log if absent (``conn`` in autocommit mode).

    Every writer on PostgreSQL needs the write log — ``khabar update``/``run``/``import``
    too, not only workers — so they create it without the queue."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", SCHEMA_LOCK)
        conn.execute(COORDINATION_TABLES)


def ensure_schema(url: str) -> None:
    """Create the queue and the coordination tables in the database at ``url`` if absent."""
    with psycopg.connect(url, autocommit=True) as conn, conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", SCHEMA_LOCK)
        conn.execute(COORDINATION_TABLES)
        if not has_queue(conn):
            # Imported here: ``khabar update`` on PostgreSQL needs the write log, not the queue.
            from procrastinate.schema import SchemaManager

            conn.execute(SchemaManager.get_schema())
