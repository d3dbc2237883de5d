"""The image proxy (``/img``): outlets' images reach the reader through Khabar, signed, guarded
against SSRF, capped, and never as SVG; pages load images only from Khabar itself."""

from __future__ import annotations

import struct
import warnings
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from starlette.exceptions import StarletteDeprecationWarning
from tests.hostile.kit import settings_for
from tests.support.httpserver import LocalServer, Reply

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.types import ArticleDraft, NewSource
from khabar.web import create_app
from khabar.web.images import IMAGE_MAX_BYTES, PLACEHOLDER, ImageSigner

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

TOKEN = "a-long-random-admin-token-for-tests"


def png() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.fixture
def images() -> Iterator[LocalServer]:
    with LocalServer() as server:
        server.route("/robots.txt", Reply(200, "User-agent: *\nDisallow:\n"))
        server.route("/photo.png", Reply(200, png(), {"Content-Type": "image/png"}))
        server.route("/evil.svg", Reply(200, SVG, {"Content-Type": "image/svg+xml"}))
        server.route("/page.html", Reply(200, b"<p>hi</p>", {"Content-Type": "text/html"}))
        big = b"\x89PNG" + b"\x00" * (IMAGE_MAX_BYTES + 10)
        server.route("/huge.png", Reply(200, big, {"Content-Type": "image/png"}))
        server.route("/gone.png", Reply(404, b"", {"Content-Type": "image/png"}))
        yield server


def _client(settings: Settings) -> Iterator[tuple[TestClient, Khabar]]:
    with (
        Khabar(settings) as service,
        TestClient(create_app(settings, service), raise_server_exceptions=False) as client,
    ):
        yield client, service


@pytest.fixture
def allowed(tmp_path: Path) -> Iterator[tuple[TestClient, Khabar]]:
    yield from _client(settings_for(tmp_path, admin_token=TOKEN))


def _signed(settings: Settings, url: str) -> str:
    return ImageSigner.for_settings(settings).link(url)


def test_an_image_comes_through_the_proxy(
    allowed: tuple[TestClient, Khabar], images: LocalServer
) -> None:
    client, service = allowed
    answer = client.get(_signed(service.settings, images.url("/photo.png")))
    assert answer.status_code == 200
    assert answer.content == png()
    assert answer.headers["content-type"] == "image/png"
    assert "max-age" in answer.headers["cache-control"]
    assert answer.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/evil.svg", "/page.html", "/huge.png", "/gone.png"])
def test_what_is_not_a_safe_image_is_a_placeholder(
    allowed: tuple[TestClient, Khabar], images: LocalServer, path: str
) -> None:
    client, service = allowed
    answer = client.get(_signed(service.settings, images.url(path)))
    assert answer.status_code == 404, path
    assert answer.content == PLACEHOLDER and answer.headers["content-type"] == "image/gif"


def test_a_wrong_signature_is_refused_and_nothing_fetched(
    allowed: tuple[TestClient, Khabar], images: LocalServer
) -> None:
    client, service = allowed
    url = images.url("/photo.png")
    good = _signed(service.settings, url)
    for link in (
        good.replace("s=", "s=x"),
        f"/img?u={url}",
        f"/img?u={url}&s={ImageSigner(b'another key').sign(url)}",
        good.replace("photo", "evil"),
    ):
        assert client.get(link).status_code == 403, link
    assert images.hits("/photo.png") == 0 and images.hits("/evil.svg") == 0


def test_ssrf_guard_refuses_loopback_unless_allowed(tmp_path: Path, images: LocalServer) -> None:
    settings = settings_for(tmp_path, admin_token=TOKEN).replace(allow_hosts=())
    for client, service in _client(settings):
        for target in (images.url("/photo.png"), "http://169.254.169.254/latest/meta-data"):
            answer = client.get(_signed(service.settings, target))
            assert answer.status_code == 404 and answer.content == PLACEHOLDER, target
    assert images.hits("/photo.png") == 0, "the refused address was never contacted"


def test_pages_load_images_only_through_the_proxy(
    allowed: tuple[TestClient, Khabar], images: LocalServer
) -> None:
    client, service = allowed
    source = service.storage.add_source(NewSource(url="https://a.example/rss", title="مصدر"))
    outlet_image = images.url("/photo.png")
    article = service.storage.upsert_article(
        ArticleDraft(
            source_id=source.id,
            key="k",
            url="https://a.example/1",
            title="عنوان",
            text="نص",
            html=f'<p>نص</p><img src="{outlet_image}?a=1&amp;b=2" alt="صورة">',
            image=outlet_image,
        )
    ).article
    page = client.get(f"/articles/{article.id}?view=html")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "img-src 'self' data:;" in csp and "https:" not in csp
    assert images.origin not in page.text.replace(outlet_image.replace("/", "%2F"), "")
    lead = client.get(_signed(service.settings, outlet_image))
    assert lead.status_code == 200 and lead.content == png()
    links = [p.split('"')[0].replace("&amp;", "&") for p in page.text.split('src="/img?')[1:]]
    assert len(links) == 2, page.text
    for link in links:
        query = parse_qs(urlsplit("/img?" + link).query)
        assert query["u"][0].startswith(outlet_image)
        assert client.get("/img?" + link).status_code == 200
