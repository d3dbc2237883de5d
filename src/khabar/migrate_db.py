"""``khabar migrate-db``: move an installation from SQLite to PostgreSQL, ids and all.

Both databases are first brought to the current schema (their own numbered migrations, the
same version on both). Then every data table is copied row for row — sources, articles with
their dedupe fields (fingerprints, copy groups, originals) and story ids, LSH bands, related
features, stories with their resumable state, and rules/alerts when the schema has them —
keeping every id, so links between rows (``group_id``, ``copy_of``, ``story_id`` …) and
URLs of the reader stay valid. Values are converted by the target column's type (ISO text →
``timestamptz``, JSON text → ``text[]``, 0/1 → ``boolean``, NUL characters dropped as the
PostgreSQL backend does). Identity sequences continue after the highest id copied.

All or nothing: the copy is one PostgreSQL transaction; a failure leaves the target as it
was. A target that already holds sources or articles is refused unless ``force`` (which
empties it first, in the same transaction). The full-text index is backend-specific: it is
rebuilt from the copied articles after the commit (:meth:`SearchType.update`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg

from khabar.errors import InvalidInputError, StorageError
from khabar.storage.open import sqlite_path
from khabar.storage.postgres.convert import clean_text
from khabar.storage.postgres.storage import PostgresStorage
from khabar.storage.sqlite.storage import SqliteStorage

__all__ = ["TABLES", "MigrationReport", "TargetNotEmptyError", "migrate_db"]

# Copy order: every table after the tables its rows point to.
TABLES: tuple[str, ...] = (
    "sources",
    "articles",
    "article_bands",
    "article_features",
    "entities",
    "article_entities",
    "article_keywords",
    "article_links",
    "article_embeds",
    "stories",
    "rules",
    "rule_hits",
    "alerts",
)
# Tables emptied by --force; the search index and its tombstones are rebuilt, not copied.
_DERIVED = ("article_terms", "deleted_articles")
_BATCH = 2000

Convert = Callable[[Any], Any]


class TargetNotEmptyError(InvalidInputError):
    """The target database already holds an installation."""


@dataclass(frozen=True, slots=True)
class MigrationReport:
    """Rows copied per table (in copy order) and search rows indexed afterwards."""

    copied: dict[str, int] = field(default_factory=dict)
    indexed: int = 0


def migrate_db(
    source_url: str,
    target_url: str,
    *,
    force: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> MigrationReport:
    """Copy the SQLite installation at ``source_url`` into the PostgreSQL ``target_url``."""
    if not target_url.startswith(("postgresql://", "postgres://")):
        raise InvalidInputError(f"--to must be a postgresql:// URL, not {target_url!r}")
    path = sqlite_path(source_url)
    if not Path(path).is_file():
        raise InvalidInputError(f"--from: no SQLite database at {path}")
    SqliteStorage(path).close()  # brings the file to the current schema
    target = PostgresStorage(target_url)
    try:
        with _read_only(path) as source:
            copied = _copy_all(source, target, force=force, progress=progress)
        indexed = target.search.update()
    finally:
        target.close()
    return MigrationReport(copied, indexed)


class _read_only:
    """The SQLite file opened read-only (the copy never writes to it)."""

    def __init__(self, path: str) -> None:
        self._path = path

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._conn = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open {self._path}: {exc}") from exc
        return self._conn

    def __exit__(self, *exc: object) -> None:
        self._conn.close()


def _copy_all(
    source: sqlite3.Connection,
    target: PostgresStorage,
    *,
    force: bool,
    progress: Callable[[str, int], None] | None,
) -> dict[str, int]:
    conn = target.connection
    tables = [t for t in TABLES if _has_table(source, t) and _pg_columns(conn, t)]
    copied: dict[str, int] = {}
    try:
        with conn.transaction():
            _check_empty(conn, tables, force=force, where=target.where)
            for table in tables:
                copied[table] = _copy_table(source, conn, table)
                if progress is not None:
                    progress(table, copied[table])
            _finish(source, conn, tables)
    except psycopg.Error as exc:
        raise StorageError(f"copy into {target.where} failed, nothing was kept: {exc}") from exc
    return copied


def _check_empty(
    conn: psycopg.Connection[Any], tables: Sequence[str], *, force: bool, where: str
) -> None:
    held = {t: _pg_count(conn, t) for t in tables}
    if not any(held.values()):
        return
    if not force:
        rows = ", ".join(f"{t} {n}" for t, n in held.items() if n)
        raise TargetNotEmptyError(
            f"{where} is not empty ({rows}); use --force to replace what it holds"
        )
    names = ", ".join([*tables, *_DERIVED])
    conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


def _copy_table(source: sqlite3.Connection, conn: psycopg.Connection[Any], table: str) -> int:
    targets = _pg_columns(conn, table)
    columns = [c for c in _sqlite_columns(source, table) if c in targets]
    converters = [_converter(targets[c]) for c in columns]
    names = ", ".join(columns)
    count = 0
    with conn.cursor().copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in _rows(source, f"SELECT {names} FROM {table}"):
            copy.write_row([convert(v) for convert, v in zip(converters, row, strict=True)])
            count += 1
    return count


def _rows(source: sqlite3.Connection, sql: str) -> Iterator[tuple[Any, ...]]:
    cursor = source.execute(sql)
    while batch := cursor.fetchmany(_BATCH):
        yield from batch


def _finish(
    source: sqlite3.Connection, conn: psycopg.Connection[Any], tables: Sequence[str]
) -> None:
    """Identity sequences after the highest id; change counters and search state reset."""
    for table in tables:
        if _identity(conn, table):
            conn.execute(
                f"""SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id))
                    FROM {table} HAVING max(id) IS NOT NULL"""
            )
    row = source.execute("SELECT value FROM counters WHERE name = 'article_seq'").fetchone()
    conn.execute(
        """UPDATE counters SET value = greatest(%s, (SELECT coalesce(max(seq), 0) FROM articles))
           WHERE name = 'article_seq'""",
        (int(row[0]) if row else 0,),
    )
    conn.execute("UPDATE counters SET value = 0 WHERE name = 'deleted_seq'")
    conn.execute("UPDATE search_state SET value = 0 WHERE name IN ('indexed_seq', 'deleted_seq')")


# --- catalog and conversion -------------------------------------------------------------


def _has_table(source: sqlite3.Connection, table: str) -> bool:
    row = source.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def _sqlite_columns(source: sqlite3.Connection, table: str) -> list[str]:
    return [str(r[1]) for r in source.execute(f"PRAGMA table_info({table})")]


def _pg_columns(conn: psycopg.Connection[Any], table: str) -> dict[str, str]:
    """Column name → type (``udt_name``: timestamptz, _text, bool, bytea, jsonb …)."""
    rows = conn.execute(
        """SELECT column_name, udt_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND table_name = %s""",
        (table,),
    ).fetchall()
    return {_field(r, 0): _field(r, 1) for r in rows}


def _identity(conn: psycopg.Connection[Any], table: str) -> bool:
    row = conn.execute(
        """SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
           AND table_name = %s AND column_name = 'id' AND is_identity = 'YES'""",
        (table,),
    ).fetchone()
    return row is not None


def _pg_count(conn: psycopg.Connection[Any], table: str) -> int:
    row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(_field(row, 0)) if row is not None else 0


def _field(row: Any, index: int) -> Any:
    return list(row.values())[index] if isinstance(row, dict) else row[index]


def _converter(pg_type: str) -> Convert:
    return _CONVERTERS.get(pg_type, _same)


def _same(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _timestamp(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _text_array(value: Any) -> list[str | None] | None:
    return None if value is None else [clean_text(str(v)) for v in json.loads(value)]


def _boolean(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _bytes(value: Any) -> bytes | None:
    return None if value is None else bytes(value)


_CONVERTERS: dict[str, Convert] = {
    "timestamptz": _timestamp,
    "_text": _text_array,
    "bool": _boolean,
    "bytea": _bytes,
}
