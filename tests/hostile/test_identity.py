"""Entry identity and dates a source gets wrong: no GUID, shared GUIDs, GUIDs that change on
every fetch; dates in the future, in the far past, out of range, or unreadable."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.hostile.kit import (
    HTML_HEADERS,
    RSS_HEADERS,
    Outcome,
    follow,
    hours_ago,
    rss,
    rss_item,
    run_hostile,
    settings_for,
    stored,
    text_for,
    update,
)
from tests.support.httpserver import LocalServer, Reply

from khabar.service import Khabar


def _serve(server: LocalServer, items: list[str]) -> None:
    server.route("/ids/feed.xml", Reply(200, rss(items), RSS_HEADERS))


def _fetch_three_times(server: LocalServer, tmp_path: Path, make_items: object) -> list[int]:
    """Serve ``make_items(round)`` and update three times; the source's article counts."""
    counts = []
    with Khabar(settings_for(tmp_path)) as service:
        source = follow(service, server.url("/ids/feed.xml"))
        for round_ in range(3):
            _serve(server, make_items(round_))  # type: ignore[operator]
            result = update(service)[source]
            assert result.error is None, result
            counts.append(len(stored(service, source)))
    return counts


def test_entries_without_guid_are_keyed_by_url(server: LocalServer, tmp_path: Path) -> None:
    def items(_: int) -> list[str]:
        return [
            rss_item(server.origin, f"/ids/{i}.html", f"بلا معرّف {i}", guid="") for i in range(3)
        ]

    assert _fetch_three_times(server, tmp_path, items) == [3, 3, 3]


def test_one_guid_for_different_urls(server: LocalServer, tmp_path: Path) -> None:
    """A CMS that gives every item the same GUID: each URL is its own article, once."""

    def items(_: int) -> list[str]:
        return [
            rss_item(server.origin, f"/ids/{i}.html", f"معرّف مكرر {i}", guid="same")
            for i in range(3)
        ]

    assert _fetch_three_times(server, tmp_path, items) == [3, 3, 3]


def test_repeated_items_are_stored_once(server: LocalServer, tmp_path: Path) -> None:
    def items(_: int) -> list[str]:
        one = rss_item(server.origin, "/ids/1.html", "خبر مكرر")
        return [one, one, one, rss_item(server.origin, "/ids/2.html", "خبر آخر")]

    assert _fetch_three_times(server, tmp_path, items) == [2, 2, 2]


def test_guids_that_change_every_fetch_do_not_pile_up(server: LocalServer, tmp_path: Path) -> None:
    def items(round_: int) -> list[str]:
        return [
            rss_item(server.origin, f"/ids/{i}.html", f"معرّف متغير {i}", guid=f"r{round_}-{i}")
            for i in range(3)
        ]

    assert _fetch_three_times(server, tmp_path, items) == [3, 3, 3]


def _dated_feed(base: str, dates: dict[str, str]) -> bytes:
    return rss([rss_item(base, f"/victim/{name}.html", name, date=d) for name, d in dates.items()])


DATES = {
    "far-past": "Thu, 01 Jan 1970 00:00:00 GMT",
    "unreadable": "البارحة عند المغرب",
    "garbage": "Mon, 32 Foo 2024 25:61:61 GMT",
    "empty": "",
    "past-the-last-datetime": "Fri, 31 Dec 9999 23:59:59 -0500",
    "before-the-first-datetime": "0001-01-01T00:00:00+05:00",
    "year-ten-thousand": "9999-12-31T23:59:59-05:00",
}


def test_odd_dates_are_stored_safely(server: LocalServer, tmp_path: Path) -> None:
    """Before: a date past 9999-12-31 once in UTC raised OverflowError out of the parser."""

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, _dated_feed(s.origin, DATES), RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        assert (outcome.result.status, outcome.result.new) == ("new", len(DATES)), outcome.result
        by_title = {a.title: a for a in outcome.articles}
        assert by_title["far-past"].published == datetime(1970, 1, 1, tzinfo=UTC)
        for name in ("unreadable", "garbage", "empty", "past-the-last-datetime"):
            assert by_title[name].published is None, (name, by_title[name].published)
        now = datetime.now(UTC)
        for article in outcome.articles:
            assert article.sort_time.tzinfo is not None
            assert article.sort_time <= now + timedelta(minutes=5), article.title

    run_hostile(server, tmp_path, hostile, check=check)


def test_a_year_one_date_fails_alone(server: LocalServer, tmp_path: Path) -> None:
    year_one = rss_item(
        server.origin, "/ids/1.html", "سنة واحد", date="Mon, 01 Jan 0001 00:00:00 GMT"
    )
    server.route("/ids/feed.xml", Reply(200, rss([year_one]), RSS_HEADERS))
    server.route("/other/feed.xml", Reply(200, rss([rss_item(server.origin, "/o/1", "آخر")])))
    with Khabar(settings_for(tmp_path)) as service:
        follow(service, server.url("/ids/feed.xml"))
        other = follow(service, server.url("/other/feed.xml"))
        assert update(service)[other].new == 1


def test_a_future_date_does_not_pin_an_article_to_the_top(
    server: LocalServer, tmp_path: Path
) -> None:
    items = [
        rss_item(
            server.origin,
            "/victim/future.html",
            "من المستقبل",
            date="Wed, 01 Jan 2099 00:00:00 GMT",
        ),
        rss_item(server.origin, "/victim/now.html", "خبر الآن", date=hours_ago(0)),
    ]
    server.route("/ids/feed.xml", Reply(200, rss(items), RSS_HEADERS))
    with Khabar(settings_for(tmp_path)) as service:
        follow(service, server.url("/ids/feed.xml"))
        update(service)
        time.sleep(1.1)  # feed dates have whole seconds: "later" must be a later second
        later = rss([rss_item(server.origin, "/victim/later.html", "خبر لاحق", date=hours_ago(0))])
        server.route("/ids/feed.xml", Reply(200, later, RSS_HEADERS))
        update(service)
        newest = service.articles(limit=1)[0]
        assert newest.title == "خبر لاحق", newest.title
        for article in service.articles(limit=10):
            assert article.sort_time <= datetime.now(UTC) + timedelta(days=1), article.title


def test_a_page_with_an_out_of_range_date_fails_alone(server: LocalServer, tmp_path: Path) -> None:
    stamp = "9999-12-31T23:59:59-05:00"
    paragraphs = "".join(f"<p>{text_for(str(i), 50)}</p>" for i in range(3))
    page = (
        f"<!doctype html><html><head><title>تاريخ</title></head><body><article><h1>تاريخ</h1>"
        f'<time datetime="{stamp}">{stamp}</time>{paragraphs}</article></body></html>'
    )
    server.route("/victim/dated.html", Reply(200, page, HTML_HEADERS))
    item = rss_item(server.origin, "/victim/dated.html", "تاريخ")  # undated: the page decides
    server.route("/ids/feed.xml", Reply(200, rss([item]), RSS_HEADERS))
    server.route("/other/feed.xml", Reply(200, rss([rss_item(server.origin, "/o/1", "آخر")])))
    with Khabar(settings_for(tmp_path, fetch_pages=True)) as service:
        dated = follow(service, server.url("/ids/feed.xml"))
        other = follow(service, server.url("/other/feed.xml"))
        results = update(service)
        assert results[other].new == 1
        assert results[dated].status in ("new", "failed")
