"""Which search engine a SQLite installation uses (the ``search_engine`` setting)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal, get_args

from khabar.errors import SettingsError

if TYPE_CHECKING:
    from khabar.storage.protocol import SearchType
    from khabar.storage.sqlite.storage import SqliteStorage

__all__ = ["DEFAULT_SEARCH_ENGINE", "SEARCH_ENGINES", "SearchEngine", "sqlite_search"]

SearchEngine = Literal["fts5", "tantivy"]
SEARCH_ENGINES: Final[tuple[SearchEngine, ...]] = get_args(SearchEngine)
DEFAULT_SEARCH_ENGINE: Final[SearchEngine] = "tantivy"  # bench/RESULTS.md: search speed


def sqlite_search(storage: SqliteStorage, engine: str) -> SearchType:
    """The search object of a SQLite storage: FTS5 in the database, or a tantivy index."""
    if engine == "fts5":
        from khabar.storage.sqlite.search import SqliteSearch

        return SqliteSearch(storage)
    if engine == "tantivy":
        # Imported here: installations on FTS5 never load tantivy.
        from khabar.search.tantivy_engine import TantivySearch

        return TantivySearch(storage)
    raise SettingsError(f"search_engine {engine!r}: use one of {', '.join(SEARCH_ENGINES)}")
