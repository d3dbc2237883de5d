"""The article/not-an-article rules on extracted bodies."""

from __future__ import annotations

from khabar.extract.body import Body
from khabar.extract.quality import MIN_TEXT_CHARS, page_problem, rejection_reason

ARTICLE = ("وقال المتحدث باسم الوزارة إن المفاوضات ستستأنف الأسبوع المقبل في العاصمة. " * 3,)


def test_real_article_passes() -> None:
    assert rejection_reason(Body(ARTICLE, "", link_share=0.1)) is None


def test_short_text_is_rejected_with_its_size() -> None:
    reason = rejection_reason(Body(("قصير",), "", link_share=0.0))
    assert reason == f"page had too little article text (4 characters, fewer than {MIN_TEXT_CHARS})"


def test_link_heavy_text_is_a_menu() -> None:
    reason = rejection_reason(Body(ARTICLE, "", link_share=0.9))
    assert reason is not None and "mostly links (90% of it)" in reason


def test_html_pages_have_no_page_problem() -> None:
    assert page_problem("<!doctype html><html><body><p>x</p></body></html>") is None
