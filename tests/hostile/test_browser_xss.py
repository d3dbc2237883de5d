"""Stored XSS in real Chromium: a hostile outlet's feed and pages go through the real pipeline,
then the reader's pages are opened. No script may run, no dialog open, no markup from the
outlet become live elements, and no request leave for another host: article images come
through Khabar's image proxy (CSP ``img-src 'self' data:``)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import uvicorn
from tests.hostile.kit import follow, settings_for, stored, update
from tests.hostile.payloads import MARKER, MARKUP, serve_outlet
from tests.support.httpserver import LocalServer

from khabar.service import Khabar
from khabar.web.app import create_app

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Live markup the reader itself never renders inside content; each found one is a failure.
LIVE_MARKUP = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) found.push(el.tagName + '[' + attr.name + ']');
      const value = attr.value.trim().toLowerCase();
      if ((attr.name === 'href' || attr.name === 'src' || attr.name === 'action'
           || attr.name === 'xlink:href' || attr.name === 'data')
          && (value.startsWith('javascript:') || value.startsWith('data:text'))) {
        found.push(el.tagName + '[' + attr.name + '=' + value.slice(0, 30) + ']');
      }
    }
  }
  const selector = 'iframe, object, embed, svg, math, base, meta[http-equiv], template, '
    + 'main style, main link';
  for (const el of document.querySelectorAll(selector)) found.push(el.tagName);
  for (const el of document.querySelectorAll('form')) {
    const action = el.getAttribute('action') || '';
    if (!action.startsWith('/')) found.push('form:' + action);
  }
  for (const el of document.querySelectorAll('script')) {
    if (!el.src || !el.src.endsWith('/static/khabar.js')) {
      found.push('script:' + (el.src || el.textContent.slice(0, 40)));
    }
  }
  return found;
}"""


@dataclass
class Reader:
    url: str
    service: Khabar
    source_id: int


@dataclass
class Watch:
    dialogs: list[str] = field(default_factory=list)
    outbound: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    tmp = tmp_path_factory.mktemp("xss")
    with LocalServer() as outlet:
        feed_url = serve_outlet(outlet)
        service = Khabar(settings_for(tmp, fetch_pages=True, max_entries_per_update=100))
        source_id = follow(service, feed_url)
        result = update(service)[source_id]
        assert result.new == len(MARKUP), result
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        server = uvicorn.Server(
            uvicorn.Config(create_app(service.settings, service), log_level="warning")
        )
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield Reader(f"http://127.0.0.1:{port}", service, source_id)
        server.should_exit = True
        thread.join(timeout=10)
        service.close()


@pytest.fixture(scope="module")
def browser(reader: Reader) -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("KHABAR_TEST_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} but KHABAR_TEST_REQUIRE_BROWSER is set")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _page(browser: Any, app: str, watch: Watch) -> Any:
    context = browser.new_context(locale="ar", java_script_enabled=True)
    app_origin = urlsplit(app).netloc

    def route(request_route: Any) -> None:
        request = request_route.request
        if urlsplit(request.url).netloc == app_origin:
            request_route.continue_()
            return
        watch.outbound.append(f"{request.resource_type} {request.url}")
        request_route.abort()  # nothing ever leaves this machine

    context.route("**/*", route)
    page = context.new_page()

    def dialog(opened: Any) -> None:
        watch.dialogs.append(opened.message)
        opened.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))

    def console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            watch.csp.append(message.text[:200])

    page.on("console", console)
    return page


def test_no_payload_runs_in_the_reader(browser: Any, reader: Reader) -> None:
    articles = stored(reader.service, reader.source_id)
    paths = [
        "/",
        f"/search?q={quote(MARKER)}",
        f"/search?q={quote(MARKER)}&sort=date",
        "/sources",
        f"/sources/{reader.source_id}",
    ]
    # The HTML view shows everything the text view does plus the sanitized body; the text view
    # differs only in how paragraphs are written, so a sample of it is enough.
    paths += [f"/articles/{article.id}?view=html" for article in articles]
    paths += [f"/articles/{article.id}" for article in articles[::4]]
    stories = sorted({a.story_id for a in articles if a.story_id is not None})
    paths += [f"/stories/{story}" for story in stories[:6]]
    watch = Watch()
    page = _page(browser, reader.url, watch)
    live: dict[str, list[str]] = {}
    for path in paths:
        response = page.goto(reader.url + path, wait_until="domcontentloaded")
        assert response is not None and response.status == 200, (path, response and response.status)
        found = page.evaluate(LIVE_MARKUP)
        if found:
            live[path] = found
    page.wait_for_timeout(300)  # late handlers (onload of images, ontoggle) would fire by now
    shown = page.goto(reader.url + "/", wait_until="load")
    assert shown is not None
    assert page.locator(f"a:has-text('{MARKER}')").count() >= 10, "the payload articles are shown"
    assert watch.dialogs == [], watch.dialogs
    assert live == {}, live
    assert watch.outbound == [], watch.outbound
    assert watch.csp == [], watch.csp
    assert watch.errors == [], watch.errors


def test_api_docs_work_under_the_strict_policy(browser: Any, reader: Reader) -> None:
    """Swagger UI, served by Khabar itself, renders the API under the same CSP as every page:
    no CSP violation, no request to another host, every operation listed."""
    watch = Watch()
    page = _page(browser, reader.url, watch)
    shown = page.goto(reader.url + "/api/docs", wait_until="load")
    assert shown is not None and shown.status == 200
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 10, "the operations are listed"
    assert watch.outbound == [], watch.outbound
    assert watch.csp == [], watch.csp
