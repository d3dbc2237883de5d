"""Short furniture blocks inside trafilatura's body are dropped; long or quoted ones stay."""

from __future__ import annotations

import pytest
import trafilatura
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv

from khabar.extract import boilerplate, extract_article
from khabar.extract.boilerplate import (
    _ANY_RULE,
    BOILERPLATE_RULES,
    MAX_BOILERPLATE_CHARS,
    drop_boilerplate,
)

SENTENCE = "The council approved the new budget for the city's hospitals on Monday evening. "
ARTICLE = [SENTENCE * 3, SENTENCE * 2 + "Officials said work starts in March.", SENTENCE * 4]


def _body(*blocks: str) -> etree._Element:
    body = etree.Element("body")
    for block in blocks:
        etree.SubElement(body, "p").text = block
    return body


@pytest.mark.parametrize(
    "furniture",
    [
        "Comments",
        "12 comments",
        "Read more: Alibaba poised to launch record-breaking listing",
        "Related: The 15 weirdest galaxies in our universe",
        "Related posts: pickled sprouts",
        "See more: Hong Kong protests",
        "More:",
        "You may also like...",
        "Don’t miss",
        "Tell us what you think...",
        "Filed under: Politics |",
        "Tags: budget, council",
        "Like this story? Share it with a friend!",
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube.",
    ],
)
def test_latin_furniture_lines_are_dropped(furniture: str) -> None:
    body = _body(ARTICLE[0], furniture, ARTICLE[1])
    drop_boilerplate(body)
    assert [p.text for p in body] == ARTICLE[:2]


@pytest.mark.parametrize(
    "text",
    [
        "Comments from residents were mostly positive, the mayor said.",
        "More than 300 people attended the meeting.",
        "Related projects will be announced next year.",
        "Read more about the plan: " + SENTENCE * 6,  # long: article text even when a rule matches
    ],
)
def test_sentences_that_merely_start_like_furniture_stay(text: str) -> None:
    assert len(text) <= MAX_BOILERPLATE_CHARS or text.startswith("Read more")
    body = _body(ARTICLE[0], text)
    drop_boilerplate(body)
    assert [p.text for p in body] == [ARTICLE[0], text]


def test_teaser_and_comments_label_never_reach_the_article_text() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    tail = "<p>Read more: Hospitals get a new wing</p><p>Comments</p>"
    html = f"<html><body><article><h1>Budget</h1>{paragraphs}{tail}</article></body></html>"
    article = extract_article(html, "https://news.example/budget")
    assert article.paragraphs == tuple(p.strip() for p in ARTICLE)


def test_trafilatura_extracts_from_a_copy_of_the_tree_it_is_given() -> None:
    """The recall retry of ``extract.article`` reuses the tree of the first pass: this holds."""
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    html = f"<html><body><nav><a href='/'>Home</a></nav><div>{paragraphs}</div></body></html>"
    tree = trafilatura.load_html(html)
    before = etree.tostring(tree)
    trafilatura.bare_extraction(tree, favor_precision=True, output_format="xml")
    assert etree.tostring(tree) == before


@pytest.mark.parametrize(
    "text",
    [
        "Comments",
        "12 COMMENTS",
        "Read more: Council approves budget",
        "related stories: x",
        "اقرأ أيضاً: عنوان آخر",
        "تابعونا على تويتر",
        "Follow NBC Latino on Facebook",
        "جميع الحقوق محفوظة 2024",
        "You may also like",
        "The council approved the budget.",
        "قال الوزير إن المستشفى جاهز",
        # anchored rules inside a block, unanchored ones anywhere
        "Der Rat sagte: Comments",
        "نص الخبر ثم اقرأ أيضاً: عنوان آخر",
        "وقال تابعونا على تويتر",
        "Then: Follow NBC Latino on Facebook",
        "If you liked it, share it with a friend today",
        "تنبيه: الآراء الواردة في التعليقات لا تعبر عن رأي الشبكة",
        "مقال. جميع الحقوق محفوظة",
    ],
)
def test_the_joined_rules_match_exactly_what_one_of_the_rules_matches(text: str) -> None:
    expected = any(pattern.search(text) for pattern, _seen in BOILERPLATE_RULES)
    assert bool(_ANY_RULE.search(text)) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"a|b", True),
        (r"share it|^\W*follow", True),
        (r"^\W*(read more|also)\s*:", False),
        (r"^[|]x", False),
        (r"^\|x", False),
        (r"^(a(b|c))d", False),
    ],
)
def test_top_level_branches_are_told_from_grouped_ones(source: str, expected: bool) -> None:
    assert boilerplate._branches(source) is expected
