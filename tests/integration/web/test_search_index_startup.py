"""The server brings the search index up to date when it starts: a lost index directory is
rebuilt from the database without waiting for the next update."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.web import create_app

from .conftest import TestClient, add_article, add_source


def test_a_lost_index_is_rebuilt_when_the_server_starts(settings: Settings, tmp_path: Path) -> None:
    with Khabar(settings) as service:
        source = add_source(service, "الجزيرة", "https://a.example/rss")
        article = add_article(service, source, 1, title="أسعار النفط في الخليج")
        service.storage.search.update()
        assert service.search("النفط").total == 1
    shutil.rmtree(tmp_path / "web.db.tantivy")
    with Khabar(settings) as service:
        assert service.search("النفط").total == 0, "the index is gone"
        with TestClient(create_app(settings, service)) as client:
            deadline = time.monotonic() + 10
            found: list[int] = []
            while not found and time.monotonic() < deadline:
                hits = client.get("/api/v1/search", params={"q": "النفط"}).json()["hits"]
                found = [h["article"]["id"] for h in hits]
                time.sleep(0.05)
        assert found == [article]
