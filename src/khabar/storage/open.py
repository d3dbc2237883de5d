"""Open the storage backend named by a database URL."""

from __future__ import annotations

from khabar.errors import SettingsError
from khabar.search.engines import DEFAULT_SEARCH_ENGINE
from khabar.storage.protocol import StorageType
from khabar.storage.sqlite.storage import SqliteStorage

__all__ = ["open_storage", "sqlite_path"]


def sqlite_path(url: str) -> str:
    """The file path of a ``sqlite:///PATH`` URL (``sqlite:///:memory:`` allowed)."""
    if not url.startswith("sqlite:///"):
        raise SettingsError(f"database_url {url!r}: expected sqlite:///PATH")
    path = url.removeprefix("sqlite:///")
    if not path:
        raise SettingsError(f"database_url {url!r}: the path is empty")
    return path


def open_storage(url: str, *, search_engine: str = DEFAULT_SEARCH_ENGINE) -> StorageType:
    """``sqlite:///PATH`` or ``postgresql://USER@HOST:PORT/DB`` (``postgres://`` too).

    ``search_engine`` (``fts5`` or ``tantivy``) picks the search of a SQLite database;
    PostgreSQL always searches with its own full-text index."""
    if url.startswith("sqlite:"):
        return SqliteStorage(sqlite_path(url), search_engine=search_engine)
    if url.startswith(("postgresql://", "postgres://")):
        # Imported here: psycopg is only loaded by installations that use PostgreSQL.
        from khabar.storage.postgres.storage import PostgresStorage

        return PostgresStorage(url)
    raise SettingsError(
        f"database_url {url!r}: unknown scheme (use sqlite:///PATH or postgresql://…)"
    )
