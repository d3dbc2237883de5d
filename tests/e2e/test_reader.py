"""The reader in real Chromium: every page, the shortcuts and settings, desktop and phone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import SCREENSHOTS, Reader

pytestmark = pytest.mark.e2e


def _page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="ar")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return page


def test_home_article_and_search_in_chromium(browser: Any, reader_url: str) -> None:
    page = _page(browser)
    page.goto(reader_url + "/")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    links = page.locator("a[href^='/articles/']")
    assert links.count() >= 20
    first_title = links.first.inner_text().strip()
    assert any("\u0600" <= ch <= "\u06ff" for ch in first_title), first_title
    page.screenshot(path=str(SCREENSHOTS / "home.png"), full_page=False)

    links.first.click()
    page.wait_for_url("**/articles/*")
    heading = page.locator("h1").first
    assert heading.inner_text().strip() == first_title
    assert heading.get_attribute("dir") == "auto"
    body = page.locator("article p")
    assert body.count() >= 3
    assert page.locator("a[href^='http://127.0.0.1']").count() >= 1  # link to the original
    box = heading.bounding_box()
    assert box is not None and box["x"] + box["width"] > 1200 * 0.6  # text starts on the right
    page.screenshot(path=str(SCREENSHOTS / "article.png"), full_page=False)

    word = next(w for w in first_title.split() if len(w) >= 4)
    page.goto(reader_url + "/")
    page.keyboard.press("/")
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?*")
    assert page.locator("mark").count() >= 1
    assert page.locator(f"a:has-text('{first_title[:20]}')").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=False)
    assert page.errors == []


# --- the whole walk: every page, the shortcuts, the settings, desktop and phone ------------

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
DOCS_ENV = "KHABAR_DOCS_SCREENSHOTS"
"""Set to 1 to refresh the committed screenshots in docs/screenshots/ from this walk."""
DOCS_SET = ("home", "story", "article", "entity", "search", "home-dark")


def _shoot(page: Any, name: str, width: str) -> None:
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=False)
    keep = (width == "desktop" and name in DOCS_SET) or (width == "phone" and name == "home")
    if keep and os.environ.get(DOCS_ENV) == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS / path.name)


def _context(browser: Any, viewport: dict[str, int], scheme: str = "light") -> Any:
    return browser.new_context(viewport=viewport, locale="ar", color_scheme=scheme)


def _tracked(context: Any) -> Any:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.errors = errors
    return page


def _assert_reader_page(page: Any) -> None:
    """Right to left, and every headline link is user content with a language and dir=auto."""
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    links = page.locator("li.entry .entry-link")
    for n in range(min(links.count(), 5)):
        assert links.nth(n).get_attribute("dir") == "auto"
        assert links.nth(n).get_attribute("lang")


def _background(page: Any) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def _story_id(reader: Reader) -> int:
    stories = reader.service.storage.list_stories(min_size=2, limit=1)
    assert stories, "the demo data forms no story of two articles"
    return stories[0].id


def test_walk_every_page_with_shortcuts_and_settings(browser: Any, reader: Reader) -> None:
    base = reader.url
    story_id = _story_id(reader)
    page = _tracked(_context(browser, DESKTOP))
    visited: dict[str, str] = {}

    # home: section tabs, then a story (from the top stories when the home page has some)
    page.goto(base + "/")
    _assert_reader_page(page)
    assert page.locator("nav.tabs a").count() == 9
    _shoot(page, "home", "desktop")
    visited["home"] = page.url
    if page.locator(".top-stories a").count():
        page.locator(".top-stories a").first.click()
    else:
        page.goto(f"{base}/stories/{story_id}")
    page.wait_for_url("**/stories/*")
    assert page.locator(".timeline .entry").count() >= 2
    _assert_reader_page(page)
    _shoot(page, "story", "desktop")
    visited["story"] = page.url

    # story → article: o opens the entry j selected
    page.keyboard.press("j")
    assert "is-current" in (page.locator(".timeline .entry").first.get_attribute("class") or "")
    page.keyboard.press("o")
    page.wait_for_url("**/articles/*")
    heading = page.locator("h1").first
    assert heading.get_attribute("dir") == "auto"
    assert page.locator("article p[dir='auto']").count() >= 1
    _shoot(page, "article", "desktop")
    visited["article"] = page.url

    # article → entity (with its chart) and back → tag (with its chart)
    page.locator("a.entity").first.click()
    page.wait_for_url("**/entities/*")
    assert page.locator("figure.trend svg rect").count() >= 1
    assert page.locator(".entry").count() >= 1
    _shoot(page, "entity", "desktop")
    visited["entity"] = page.url
    page.goto(visited["article"])
    tag = page.locator(".tags a").first
    tag_text = tag.inner_text().strip()
    tag.click()
    page.wait_for_url("**/tags/*")
    assert page.locator("h1").first.inner_text().strip() == tag_text
    assert page.locator("figure.trend svg rect").count() >= 1
    assert page.locator(".entry").count() >= 1
    _shoot(page, "tag", "desktop")
    visited["tag"] = page.url

    # home → a section tab; j/k move the selection
    page.goto(base + "/")
    page.locator("nav.tabs a[href='/sections/economy']").click()
    page.wait_for_url("**/sections/economy")
    assert page.locator("nav.tabs a[aria-current='page']").inner_text() == "اقتصاد"
    entries = page.locator(".entry")
    assert entries.count() >= 10
    for key in ("j", "j", "j", "k"):
        page.keyboard.press(key)
    assert "is-current" in (entries.nth(1).get_attribute("class") or "")
    assert page.locator(".entry.is-current").count() == 1
    _assert_reader_page(page)
    _shoot(page, "section", "desktop")
    visited["section"] = page.url

    # ? shows the help, Esc closes it; / jumps to search; then a section filter
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    word = next(w for w in entries.first.inner_text().split() if len(w) >= 5)
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?*")
    page.locator("details.filters summary").click()
    page.select_option("select[name='section']", "economy")
    page.locator("form.search-page button[type='submit']").click()
    page.wait_for_url("**section=economy*")
    assert "section:economy" in page.locator("#q2").input_value()
    assert page.locator(".entries li").count() >= 1 and page.locator("mark").count() >= 1
    _shoot(page, "search", "desktop")
    visited["search"] = page.url
    assert page.errors == []


def test_theme_switch_follows_the_system_and_is_remembered(browser: Any, reader: Reader) -> None:
    light = _tracked(_context(browser, DESKTOP, "light"))
    light.goto(reader.url + "/")
    day = _background(light)
    light.locator("#theme-toggle").click()
    night = _background(light)
    assert night != day
    assert light.evaluate("document.documentElement.dataset.theme") == "dark"
    assert light.locator("#theme-toggle").get_attribute("aria-pressed") == "true"
    light.reload()
    assert _background(light) == night  # kept in localStorage
    _shoot(light, "home-dark", "desktop")
    light.keyboard.press("t")  # the shortcut switches back
    assert _background(light) == day

    dark = _tracked(_context(browser, DESKTOP, "dark"))
    dark.goto(reader.url + "/")
    assert _background(dark) == night  # prefers-color-scheme: dark by default
    assert light.errors == [] and dark.errors == []


def test_hijri_dates_setting(browser: Any, reader: Reader) -> None:
    page = _tracked(_context(browser, DESKTOP))
    page.goto(reader.url + "/")
    hijri = page.locator(".entry .hijri").first
    assert not hijri.is_visible()  # Gregorian only by default
    page.locator("#calendar-toggle").click()
    assert hijri.is_visible() and hijri.inner_text().strip().endswith("هـ")
    assert page.locator("#calendar-toggle").get_attribute("aria-pressed") == "true"
    page.reload()
    assert page.locator(".entry .hijri").first.is_visible()  # remembered
    page.locator("#calendar-toggle").click()
    assert not page.locator(".entry .hijri").first.is_visible()
    assert page.errors == []


def test_phone_width_pages_fit(browser: Any, reader: Reader) -> None:
    base = reader.url
    page = _tracked(_context(browser, PHONE))
    article = reader.service.articles(section="economy", limit=1)[0]
    tag = quote(article.categories[0])
    paths = {
        "home": "/",
        "story": f"/stories/{_story_id(reader)}",
        "article": f"/articles/{article.id}",
        "tag": f"/tags/{tag}",
        "section": "/sections/economy",
        "search": "/search?q=" + quote(article.title.split()[0]) + "&section=economy",
    }
    for name, path in paths.items():
        page.goto(base + path)
        _assert_reader_page(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, overflow)
        _shoot(page, name, "phone")
    assert page.errors == []
