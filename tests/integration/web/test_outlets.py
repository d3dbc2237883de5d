"""Listing pages name each article's outlet from ``Khabar.outlets``: a short-lived copy of the
sources (listing them counts every article per source), never missing a source it needs."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient

from khabar import service as service_module
from khabar.service import OUTLETS_MAX_AGE, Khabar
from khabar.types import NewSource

from .conftest import add_article, add_source


class Clock:
    """A ``time`` stand-in for the service: seconds move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(service_module, "time", fake)
    return fake


def test_a_source_added_elsewhere_is_named_on_the_next_page(
    client: TestClient, service: Khabar, clock: Clock
) -> None:
    add_article(service, add_source(service), 1)
    assert "الجزيرة" in client.get("/").text
    # Another process follows a new outlet (straight into storage): no time passes here.
    other = service.storage.add_source(
        NewSource(url="https://b.example/rss", title="Second Desk", language="en")
    )
    add_article(service, other, 3)
    page = client.get("/").text
    # The outlet's language comes from the source itself (an article alone would say "ar").
    assert f'<a class="outlet" href="/sources/{other.id}" lang="en"' in page


def test_other_changes_show_once_the_copy_is_older_than_its_limit(
    service: Khabar, clock: Clock
) -> None:
    source = add_source(service)
    assert service.outlets()[source.id].paused is False
    service.storage.set_source_paused(source.id, True)  # another process pauses it
    clock.now += OUTLETS_MAX_AGE / 2
    assert service.outlets()[source.id].paused is False  # the copy is still young
    clock.now += OUTLETS_MAX_AGE
    assert service.outlets()[source.id].paused is True


def test_changes_made_through_the_service_show_at_once(service: Khabar, clock: Clock) -> None:
    source = add_source(service)
    assert service.outlets()[source.id].paused is False
    service.pause_source(source.id)
    assert service.outlets()[source.id].paused is True
    service.delete_source(source.id)
    assert source.id not in service.outlets()


def test_pages_about_sources_are_never_behind(
    client: TestClient, service: Khabar, clock: Clock
) -> None:
    source = add_source(service)
    add_article(service, source, 1)
    client.get("/")  # fills the copy
    add_article(service, source, 2)
    assert service.sources()[0].article_count == 2


def test_a_title_learned_by_an_update_here_shows_at_once(
    client: TestClient, service: Khabar, clock: Clock, feed_server: str
) -> None:
    source = service.storage.add_source(NewSource(url=f"{feed_server}/rss"))
    add_article(service, source, 1)
    assert "صحيفة محلية" not in client.get("/").text  # no title yet: named by its URL
    asyncio.run(service.update(source.id))  # the feed's title is learned
    assert "صحيفة محلية" in client.get("/").text
