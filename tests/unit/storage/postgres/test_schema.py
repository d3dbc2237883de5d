"""A database at schema version N means the same thing on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from khabar.storage.postgres import schema as postgres_schema
from khabar.storage.sqlite import schema as sqlite_schema


def test_both_backends_have_the_same_migrations() -> None:
    assert len(postgres_schema.MIGRATIONS) == len(sqlite_schema.MIGRATIONS)


def _objects(script: str) -> set[str]:
    """Tables, indexes, triggers and added columns a migration creates."""
    found = re.findall(
        r"CREATE (?:VIRTUAL )?(?:TABLE|INDEX|TRIGGER) (\w+)|ADD COLUMN (\w+)", script
    )
    return {name for pair in found for name in pair if name}


# Each backend indexes some things its own way; every such object is named here.
POSTGRES_ONLY = {
    "article_terms_search",  # the GIN index of the tsvector; FTS5 needs none
    "articles_by_categories",  # tags: a GIN index on the text[] column...
}
SQLITE_ONLY = {  # ...where SQLite, whose categories are JSON text, keeps a table by trigger
    "article_tags",
    "article_tags_by_article",
    "article_tags_inserted",
    "article_tags_updated",
}


def test_each_migration_creates_the_same_tables_indexes_and_columns() -> None:
    for number, (sqlite, postgres) in enumerate(
        zip(sqlite_schema.MIGRATIONS, postgres_schema.MIGRATIONS, strict=True), start=1
    ):
        assert _objects(sqlite) - SQLITE_ONLY == _objects(postgres) - POSTGRES_ONLY, number
