"""The nh3 policy: safe tags survive, every active payload goes."""

from __future__ import annotations

import pytest

from khabar.extract.sanitize import sanitize_html

BASE = "https://news.example/2024/05/story.html"

PAYLOADS = """
<p onclick="steal()" style="color:red" class="x">نص <b>غامق</b> و<em>مائل</em></p>
<script>alert(1)</script><style>p{display:none}</style>
<img src="x.jpg" onerror="alert(2)" alt="صورة">
<img src="javascript:alert(3)"><img src="data:image/png;base64,AAAA">
<a href="javascript:alert(4)">js</a><a href=" JaVaScRiPt:alert(5)">js2</a>
<a href="/related" target="_blank" onmouseover="x()">رابط</a>
<iframe src="https://evil.example/"></iframe><form action="/x"><input></form>
<h1>عنوان كبير</h1><h3>عنوان فرعي</h3><ul><li>بند</li></ul>
<table><tr><td colspan="2" onclick="x()">خلية</td></tr></table>
<svg onload="alert(6)"><circle/></svg>
"""


@pytest.fixture(scope="module")
def clean() -> str:
    return sanitize_html(PAYLOADS, BASE)


@pytest.mark.parametrize(
    "forbidden",
    ["<script", "alert(", "onerror", "onclick", "onmouseover", "onload", "style=", "class=",
     "javascript:", "data:", "<iframe", "<form", "<input", "<svg", "target="],
)  # fmt: skip
def test_active_content_is_gone(clean: str, forbidden: str) -> None:
    assert forbidden.lower() not in clean.lower()


def test_safe_structure_survives(clean: str) -> None:
    for kept in ("<p>نص <b>غامق</b> و<em>مائل</em></p>", "<h3>عنوان فرعي</h3>", "<li>بند</li>"):
        assert kept in clean
    assert '<td colspan="2">خلية</td>' in clean
    assert "عنوان كبير" in clean  # h1 is not allowed, its text is kept


def test_relative_urls_are_resolved_and_links_get_rel(clean: str) -> None:
    assert '<a href="https://news.example/related" rel="noopener nofollow">' in clean
    assert '<img src="https://news.example/2024/05/x.jpg" alt="صورة">' in clean


def test_relative_urls_are_dropped_without_a_usable_base() -> None:
    assert "href" not in sanitize_html('<a href="/x">x</a>', "not a url")


def test_empty_input() -> None:
    assert sanitize_html("  ", BASE) == ""
