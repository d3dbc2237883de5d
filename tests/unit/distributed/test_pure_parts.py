"""The pure parts of distributed work: the politeness decision, job arguments, cron lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from khabar.distributed.app import _cron
from khabar.distributed.codec import entry_from_json, entry_to_json, page_lock
from khabar.distributed.hostgate import plan_turn
from khabar.errors import InvalidInputError, SettingsError
from khabar.types import FeedEntry

NOW = datetime(2025, 1, 1, 12, tzinfo=UTC)


def test_a_host_never_asked_goes_now() -> None:
    turn = plan_turn(NOW, None, None, 0.5)
    assert turn.wait == 0 and turn.next_start == NOW + timedelta(seconds=0.5)


def test_a_busy_host_waits_for_its_next_start() -> None:
    turn = plan_turn(NOW, NOW + timedelta(seconds=2), None, 0.5)
    assert turn.wait == 2.0 and turn.next_start == NOW + timedelta(seconds=2.5)


def test_a_host_idle_for_a_while_goes_now() -> None:
    turn = plan_turn(NOW, NOW - timedelta(hours=1), NOW - timedelta(minutes=1), 0.5)
    assert turn.wait == 0 and turn.cooling == 0


def test_a_cooling_host_is_refused_without_a_reservation() -> None:
    turn = plan_turn(NOW, NOW + timedelta(seconds=1), NOW + timedelta(seconds=90), 0.5)
    assert turn.cooling == 90 and turn.next_start == NOW + timedelta(seconds=1)


def test_feed_entries_survive_the_job_queue() -> None:
    entry = FeedEntry(
        url="https://a.example/1",
        guid="g-1",
        title="عنوان",
        summary="ملخص",
        published=datetime(2025, 1, 1, 9, 30, tzinfo=UTC),
        categories=("سياسة", "عالم"),
        language="ar",
    )
    assert entry_from_json(entry_to_json(entry)) == entry
    assert entry_from_json(entry_to_json(FeedEntry(url="https://a.example/2"))).key.endswith("/2")
    with pytest.raises(InvalidInputError):
        entry_from_json({"title": "no url"})


def test_page_locks_are_per_source_and_key() -> None:
    assert page_lock(1, "k") == page_lock(1, "k")
    assert len({page_lock(1, "k"), page_lock(2, "k"), page_lock(1, "k2")}) == 3
    assert len(page_lock(1, "x" * 5000)) < 40


def test_ticks_become_cron_lines() -> None:
    assert _cron(10) == "* * * * * */10"
    assert _cron(120) == "*/2 * * * *"
    with pytest.raises(SettingsError):
        _cron(0)
