"""Storage backends. ``open_storage(url)`` picks one from a database URL."""

from khabar.storage.open import open_storage
from khabar.storage.protocol import ArticleFilter, SearchType, StorageType, UpsertOutcome

__all__ = ["ArticleFilter", "SearchType", "StorageType", "UpsertOutcome", "open_storage"]
