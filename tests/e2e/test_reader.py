"""The reader in real Chromium: home, an article and a search, right to left."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SCREENSHOTS

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
