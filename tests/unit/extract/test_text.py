"""Summary HTML -> plain paragraphs."""

from __future__ import annotations

from khabar.extract.text import paragraphs_from_html


def test_blocks_and_line_breaks_split_paragraphs() -> None:
    markup = "<div>أول<br>ثان</div><p>ثالث <b>غامق</b></p><ul><li>بند ١</li><li>بند ٢</li></ul>"
    assert paragraphs_from_html(markup) == ("أول", "ثان", "ثالث غامق", "بند ١", "بند ٢")


def test_scripts_comments_and_whitespace_are_dropped() -> None:
    markup = "<p>  نص \n\t مهم </p><!-- تعليق --><script>var x = 1;</script><p>\ufeff</p>"
    assert paragraphs_from_html(markup) == ("نص مهم",)


def test_entities_are_decoded() -> None:
    assert paragraphs_from_html("<p>A &amp; B &laquo;C&raquo;</p>") == ("A & B «C»",)


def test_plain_text_splits_at_blank_lines() -> None:
    assert paragraphs_from_html("سطر أول\nتكملة\n\nفقرة ثانية &amp; أخيرة") == (
        "سطر أول تكملة",
        "فقرة ثانية & أخيرة",
    )


def test_table_cells_are_kept_apart() -> None:
    assert paragraphs_from_html("<table><tr><td>أ</td><td>ب</td></tr></table>") == ("أ ب",)


def test_empty() -> None:
    assert paragraphs_from_html("") == ()
    assert paragraphs_from_html("<p> </p>") == ()
