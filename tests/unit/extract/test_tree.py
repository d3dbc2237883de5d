"""The page parser's repairs match trafilatura's ``repair_faulty_html`` on every kind of input."""

from __future__ import annotations

import pytest
import trafilatura
from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv
from trafilatura.utils import repair_faulty_html

from khabar.extract import tree as page_tree
from khabar.extract.tree import parse_page

ARTICLE = "<body><article><p>" + "نص المقال الكامل هنا. " * 30 + "</p></article></body>"

NEEDING_REPAIR = {
    "plain": f"<html>{ARTICLE}</html>",
    "doctype with a slash": (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"'
        ' "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        f"<html>{ARTICLE}</html>"
    ),
    "doctype on one line with the page": f"<!DOCTYPE html><html>{ARTICLE}</html>",
    "self-closing html": f'<!DOCTYPE html>\n<html lang="ar"/>\n{ARTICLE}',
    "self-closing html, no doctype": f'<html lang="ar" dir="rtl" />\n{ARTICLE}',
    "control characters": "<html>" + ARTICLE.replace("نص", "ن\x0bص\x1f", 2) + "</html>",
    "non-characters": "<html>" + ARTICLE.replace("هنا", "هنا\ufffe\uffff", 1) + "</html>",
    "control characters and self-closing html": f'<html lang="ar"/>\x08{ARTICLE}',
}


@pytest.mark.parametrize("name", sorted(NEEDING_REPAIR))
def test_repairs_are_trafilaturas(name: str) -> None:
    html = NEEDING_REPAIR[name]
    beginning = html[:50].lower()
    assert page_tree._repaired(html, beginning) == repair_faulty_html(html, beginning)


@pytest.mark.parametrize("name", sorted(NEEDING_REPAIR))
def test_repaired_pages_parse_as_trafilatura_parses_them(name: str) -> None:
    html = NEEDING_REPAIR[name]
    ours, theirs = parse_page(html), trafilatura.load_html(html)
    assert ours is not None and theirs is not None
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_invalid_characters_are_gone_from_the_tree() -> None:
    tree = parse_page(NEEDING_REPAIR["control characters"])
    assert tree is not None
    text = "".join(tree.itertext())
    assert "\x0b" not in text and "\x1f" not in text
    assert "نص المقال" in text
