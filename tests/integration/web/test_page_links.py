"""What the page showed besides the text — read-also and related links, embedded posts — on
the article page and in the API."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from khabar.service import Khabar
from khabar.types import Embed, PageLink

from .conftest import add_article, add_source


def test_a_read_also_link_we_hold_points_to_our_copy(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    held = add_article(service, source, 1, title="الخبر المرتبط")
    links = (
        PageLink("read_also", "الخبر المرتبط كما عنونه الموقع", "https://a.example/1?utm_medium=x"),
        PageLink("related", "خبر لا نملكه", "https://other.example/9"),
    )
    article = add_article(service, source, 2, links=links)

    html = client.get(f"/articles/{article}").text
    section = html[html.index('id="page-links"') :]
    assert "اقرأ أيضاً" in section and "ذات صلة" in section
    assert f'href="/articles/{held}"' in section
    assert 'href="https://other.example/9" rel="noopener noreferrer nofollow"' in section
    assert 'href="https://a.example/1?utm_medium=x"' not in section

    body = client.get(f"/api/v1/articles/{article}").json()
    assert [(x["kind"], x["article_id"]) for x in body["links"]] == [
        ("read_also", held),
        ("related", None),
    ]
    assert 'id="page-links"' not in client.get(f"/articles/{held}").text
    assert client.get(f"/api/v1/articles/{held}").json()["links"] == []


def test_a_link_to_a_script_is_never_a_link(client: TestClient, service: Khabar) -> None:
    source = add_source(service)
    links = (PageLink("related", "خبيث", "javascript:alert(1)"),)
    article = add_article(service, source, 1, links=links)
    html = client.get(f"/articles/{article}").text
    assert "javascript:" not in html and 'href="#"' in html


def test_an_embedded_tweet_is_shown_as_a_quote_and_in_the_api(
    client: TestClient, service: Khabar
) -> None:
    source = add_source(service)
    tweet = Embed(
        "tweet", "https://x.com/a_b/status/1", "نص التغريدة", "a_b", date(2024, 3, 5), "ar"
    )
    video = Embed("youtube", "javascript:alert(1)", "عنوان الفيديو")
    article = add_article(service, source, 1, embeds=(tweet, video))

    html = client.get(f"/articles/{article}").text
    section = html[html.index('class="embeds"') :]
    assert '<blockquote class="embed tweet" cite="https://x.com/a_b/status/1">' in section
    assert "نص التغريدة" in section and "@a_b" in section and "٥ مارس ٢٠٢٤" in section
    assert "فيديو على يوتيوب" in section and "javascript:" not in html

    body = client.get(f"/api/v1/articles/{article}").json()
    assert body["embeds"][0] == {
        "kind": "tweet", "url": "https://x.com/a_b/status/1", "text": "نص التغريدة",
        "author": "a_b", "published": "2024-03-05", "language": "ar",
    }  # fmt: skip
    assert [e["kind"] for e in body["embeds"]] == ["tweet", "youtube"]
