"""A read-only database and a full disk (issue 8, faults): a clear error, nothing stored lost,
and the web stays up for reading.

Tests run as root here, which file permissions do not stop, so the read-only database is
opened the way an operator would on a read-only mount: ``sqlite:///PATH?mode=ro``. A full
disk is SQLite's own ``max_page_count`` limit on a real file: writes fail with SQLITE_FULL,
exactly as when the disk runs out of space.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning
from tests.hostile.kit import RSS_HEADERS, good_feed, settings_for
from tests.support.httpserver import LocalServer, Reply

import khabar.storage.sqlite.storage as sqlite_storage
from khabar.errors import DatabaseFullError, DatabaseReadOnlyError
from khabar.service import Khabar
from khabar.types import NewSource
from khabar.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

TOKEN = "a-long-random-admin-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        running.route("/robots.txt", Reply(200, "User-agent: *\nDisallow:\n"))
        running.route("/a/feed.xml", Reply(200, good_feed(running, "a", count=2), RSS_HEADERS))
        running.route("/b/feed.xml", Reply(200, good_feed(running, "b", count=2), RSS_HEADERS))
        yield running


@pytest.fixture
def filled(server: LocalServer, tmp_path: Path) -> Path:
    """A database with one source and its two articles, closed."""
    with Khabar(settings_for(tmp_path)) as service:
        service.storage.add_source(NewSource(url=server.url("/a/feed.xml")))
        asyncio.run(service.update())
        assert service.count_articles() == 2
    return tmp_path / "khabar.db"


def _read_only(tmp_path: Path, db: Path) -> Khabar:
    settings = settings_for(tmp_path, admin_token=TOKEN).replace(
        database_url=f"sqlite:///{db}?mode=ro"
    )
    return Khabar(settings)


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert match, "no csrf field"
    return match.group(1)


def test_read_only_database_serves_pages_and_refuses_writes_clearly(
    server: LocalServer, filled: Path, tmp_path: Path
) -> None:
    with (
        _read_only(tmp_path, filled) as service,
        TestClient(create_app(service.settings, service), raise_server_exceptions=False) as client,
    ):
        article = service.articles()[0]
        for path in (
            "/",
            "/sources",
            f"/articles/{article.id}",
            "/search?q=خبر",
            "/api/v1/articles",
        ):
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
        api = client.post("/api/v1/sources", json={"url": server.url("/b/feed.xml")}, headers=AUTH)
        assert api.status_code == 503, api.text
        assert api.json()["error"]["code"] == "database_read_only"
        assert "read-only" in api.json()["error"]["message_en"]
        gone = client.delete(f"/api/v1/sources/{article.source_id}", headers=AUTH)
        assert gone.status_code == 503 and gone.json()["error"]["code"] == "database_read_only"

        login = client.post(
            "/login", data={"token": TOKEN, "csrf": _csrf(client.get("/login").text)}
        )
        assert login.status_code == 200, login.text[:300]  # login writes nothing
        csrf = _csrf(client.get("/sources").text)
        page = client.post("/sources", data={"url": server.url("/b/feed.xml"), "csrf": csrf})
        assert page.status_code == 503
        assert "قاعدة البيانات للقراءة فقط" in page.text and "Traceback" not in page.text
        paused = client.post(f"/sources/{article.source_id}/pause", data={"csrf": csrf})
        assert paused.status_code == 503 and "قاعدة البيانات للقراءة فقط" in paused.text
        assert len(service.sources()) == 1 and service.count_articles() == 2


def test_update_on_a_read_only_database_is_one_clear_line(filled: Path, tmp_path: Path) -> None:
    khabar = Path(sys.executable).parent / "khabar"
    done = subprocess.run(
        [str(khabar), "update", "--db", f"sqlite:///{filled}?mode=ro"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "KHABAR_ALLOW_HOSTS": "127.0.0.1", "HOME": str(tmp_path)},
    )
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "read-only" in lines[0], done.stderr
    assert "Traceback" not in done.stderr + done.stdout


class _Disk:
    """A disk that fills up for every connection the storage opens (one per thread):
    SQLite's ``max_page_count`` set on each of them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.conns: list[sqlite3.Connection] = []
        self.pages: int | None = None
        real = sqlite_storage._connect

        def connect(path: str, timeout: float, *, read_only: bool) -> sqlite3.Connection:
            conn = real(path, timeout, read_only=read_only)
            self.conns.append(conn)
            self._limit(conn)
            return conn

        monkeypatch.setattr(sqlite_storage, "_connect", connect)

    def fill(self, pages: int) -> None:
        self.pages = pages
        for conn in self.conns:
            self._limit(conn)

    def _limit(self, conn: sqlite3.Connection) -> None:
        if self.pages is not None:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed with its thread
                conn.execute(f"PRAGMA max_page_count = {self.pages}")


def test_a_full_disk_is_a_clear_error_and_loses_nothing(
    server: LocalServer, filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = _Disk(monkeypatch)
    with Khabar(settings_for(tmp_path, admin_token=TOKEN)) as service:
        before = {a.id: a.title for a in service.articles(limit=100)}
        conn = service.storage.connection  # type: ignore[attr-defined]
        pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
        disk.fill(pages)  # no room left to grow
        b = service.storage.add_source(NewSource(url=server.url("/b/feed.xml")))
        result = {r.source_id: r for r in asyncio.run(service.update())}[b.id]
        assert result.status == "failed"
        assert "قاعدة البيانات ممتلئة / database or disk is full" in (result.error or "")
        assert {a.id: a.title for a in service.articles(limit=100)} == before, "nothing lost"
        assert service.source(b.id).error_count == 0, "the database's fault, not the source's"
        with pytest.raises(DatabaseFullError, match="database or disk is full"):
            for i in range(200):
                service.storage.add_source(NewSource(url=f"https://c{i}.example/{'x' * 2000}"))
        with TestClient(
            create_app(service.settings, service), raise_server_exceptions=False
        ) as client:
            assert client.get("/").status_code == 200, "the web still reads"
            assert client.get("/api/v1/articles").json()["articles"]
            full = client.post(
                "/api/v1/sources",
                json={"url": server.url("/b/feed.xml") + "?x=" + "y" * 3000},
                headers=AUTH,
            )
            assert full.status_code == 507 and full.json()["error"]["code"] == "database_full"
        disk.fill(pages * 100)  # space is freed
        result = {r.source_id: r for r in asyncio.run(service.update())}[b.id]
        assert result.new == 2 and result.error is None, "the next update does the work"


def test_read_only_storage_error_class(filled: Path, tmp_path: Path) -> None:
    with (
        _read_only(tmp_path, filled) as service,
        pytest.raises(DatabaseReadOnlyError, match="read-only"),
    ):
        service.storage.add_source(NewSource(url="https://c.example/rss"))
