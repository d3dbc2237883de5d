"""``khabar demo --no-serve``: the whole offline demo, printing its counts as JSON."""

from __future__ import annotations

import json

from tests.integration.cli.conftest import DemoRun
from tests.integration.cli.helpers import sqlite_url

from khabar.storage import ArticleFilter, open_storage


def test_demo_no_serve_prints_counts(demo_run: DemoRun) -> None:
    result = demo_run.wait()
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["sources"] == 5
    assert summary["articles"] >= 400
    assert summary["new"] == summary["articles"]
    assert summary["failed_sources"] == []
    assert summary["mirror"].startswith("http://127.0.0.1:")
    assert "demo: " in result.stderr  # messages go to stderr; stdout is only the JSON
    assert demo_run.db_file.exists()


def test_demo_read_also_links_lead_to_our_copies(demo_run: DemoRun) -> None:
    """The mirror's pages link other mirror articles in read-also boxes and related lists:
    through extraction and storage, those links find the stored articles."""
    assert demo_run.wait().returncode == 0
    storage = open_storage(sqlite_url(demo_run.db_file))
    try:
        articles = storage.list_articles(ArticleFilter(limit=20, fold_copies=False))
        links = [(a.id, link) for a in articles for link in storage.article_links(a.id)]
    finally:
        storage.close()
    resolved = [(own, link) for own, link in links if link.article_id is not None]
    assert {link.kind for _, link in links} == {"read_also", "related"}
    assert len(links) >= 5 * len(articles) and len(resolved) >= 0.9 * len(links)
    assert all(link.article_id != own for own, link in resolved)
