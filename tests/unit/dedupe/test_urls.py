"""URL variants of one article fold to one canonical key (invented outlet URLs)."""

from __future__ import annotations

import pytest

from khabar.dedupe.urls import canonical_url, load_url_rules, same_article_url

BASE = "https://example-news.sa/local/2024/05/01/%D8%A7%D9%84%D9%85%D8%B7%D8%B1"


@pytest.mark.parametrize(
    "variant",
    [
        "https://example-news.sa/local/2024/05/01/المطر",
        "HTTP://Example-News.SA:80/local/2024/05/01/المطر/",
        "https://www.example-news.sa/local/2024/05/01/المطر?utm_source=twitter&utm_medium=social",
        "https://example-news.sa/local/2024/05/01/المطر?fbclid=IwAR0abc&gclid=xyz#comments",
        "https://m.example-news.sa/local/2024/05/01/%d8%a7%d9%84%d9%85%d8%b7%d8%b1",
        "https://amp.example-news.sa/local/2024/05/01/المطر",
        "https://example-news.sa/amp/local/2024/05/01/المطر",
        "https://example-news.sa/local/2024/05/01/المطر/amp",
        "https://example-news.sa/local/2024/05/01/المطر?amp",
        "https://example-news.sa/local/2024/05/01/المطر?amp=1&ref=home",
        "https://example-news.sa/local/2024/05/01/المطر?live",
        "https://example-news.sa/local/2024/05/01/المطر?print=1",
        "https://example-news.sa:443/local/2024/05/01/المطر/print",
        "example-news.sa/local/2024/05/01/المطر",
    ],
)
def test_variants_meet(variant: str) -> None:
    assert canonical_url(variant) == BASE


def test_amp_html_suffix_and_index_document() -> None:
    assert canonical_url("https://akhbar.example/news/123.amp.html") == canonical_url(
        "https://akhbar.example/news/123.html"
    )
    assert canonical_url("https://akhbar.example/news/index.html") == "https://akhbar.example/news"


def test_article_parameters_stay_and_are_sorted() -> None:
    key = canonical_url("https://akhbar.example/news.php?id=77&cat=2&utm_campaign=x")
    assert key == "https://akhbar.example/news.php?cat=2&id=77"
    assert not same_article_url(
        "https://akhbar.example/news.php?id=77", "https://akhbar.example/news.php?id=78"
    )


def test_other_ports_and_hosts_stay_apart() -> None:
    assert canonical_url("http://akhbar.example:8080/a") == "https://akhbar.example:8080/a"
    assert not same_article_url("https://sport.akhbar.example/a", "https://akhbar.example/a")


def test_short_host_keeps_its_name() -> None:
    # "m.tld" is the whole site name, not a mobile prefix
    assert canonical_url("https://m.sa/a") == "https://m.sa/a"


def test_non_utf8_escapes_survive() -> None:
    # windows-1256 percent-escapes are not UTF-8: kept byte for byte, one case of hex
    assert canonical_url("https://akhbar.example/%c7%e1%e3%d8%d1") == (
        "https://akhbar.example/%C7%E1%E3%D8%D1"
    )


def test_unparsable_is_returned_stripped() -> None:
    assert canonical_url("  http://[bad  ") == "http://[bad"


def test_rules_load_from_data() -> None:
    rules = load_url_rules()
    assert "fbclid" in rules.tracking_params
    assert "utm_" in rules.tracking_prefixes
    assert rules.drops_param("UTM_Source")
    assert not rules.drops_param("id")
