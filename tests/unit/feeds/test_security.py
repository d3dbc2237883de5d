"""Hostile documents: entity expansion, external entities, file-name confusion, gzip bombs."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from khabar.errors import FeedParseError, InvalidInputError
from khabar.feeds import parse_feed, parse_opml
from khabar.feeds.sniff import MAX_DECOMPRESSED_BYTES

URL = "https://evil.example/feed.xml"

LAUGHS_MULTILINE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>https://evil.example/1</link></item></channel></rss>"""

LAUGHS_ONE_LINE = LAUGHS_MULTILINE.replace(b"\n<!ENTITY", b" <!ENTITY")

XXE_TEMPLATE = """<?xml version="1.0"?>
<!DOCTYPE rss [{sep}<!ENTITY xxe SYSTEM "file://{path}">{sep}]>
<rss version="2.0"><channel><title>t &xxe;</title>
<item><title>&xxe;</title><description>&xxe;</description><link>https://evil.example/1</link></item>
</channel></rss>"""

PARAMETER_XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><item><link>https://evil.example/1</link></item></channel></rss>"""


def _all_text(body: bytes) -> str:
    """Everything the parser let through, or the refusal message."""
    try:
        feed = parse_feed(body, URL)
    except FeedParseError as error:
        return str(error)
    parts = [feed.title or "", feed.description or ""]
    for entry in feed.entries:
        parts += [entry.title or "", entry.summary or ""]
    return "\n".join(parts)


@pytest.mark.parametrize("body", [LAUGHS_MULTILINE, LAUGHS_ONE_LINE], ids=["multiline", "one-line"])
def test_billion_laughs_is_not_expanded(body: bytes) -> None:
    output = _all_text(body)
    assert "lollollol" not in output
    assert len(output) < 10_000


@pytest.mark.parametrize("sep", ["\n", ""], ids=["multiline", "one-line"])
def test_xxe_does_not_read_local_files(tmp_path: Path, sep: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT root:x:0:0")
    body = XXE_TEMPLATE.format(sep=sep, path=secret).encode()
    assert "TOP-SECRET-CONTENT" not in _all_text(body)
    etc = XXE_TEMPLATE.format(sep=sep, path="/etc/passwd").encode()
    assert "root:" not in _all_text(etc)


def test_parameter_entity_is_refused_without_network() -> None:
    assert "evil.dtd" not in _all_text(PARAMETER_XXE).replace(URL, "")


def test_declared_entities_are_refused_by_the_defused_parser() -> None:
    body = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY copy "(c)">
]>
<rss version="2.0"><channel><item><title>&copy;</title><link>https://x.example/1</link></item></channel></rss>"""
    with pytest.raises(FeedParseError, match="declares the XML entity 'copy'"):
        parse_feed(body, URL)


def test_a_body_that_looks_like_a_path_is_not_opened() -> None:
    # feedparser.parse(bytes) would treat this as a file name; parse_feed never lets it.
    with pytest.raises(FeedParseError, match="neither XML nor JSON"):
        parse_feed(b"/etc/passwd", URL)


def test_sitemap_with_dtd_is_refused() -> None:
    body = XXE_TEMPLATE.format(sep="\n", path="/etc/passwd").replace("rss", "urlset").encode()
    with pytest.raises(FeedParseError, match="refused"):
        parse_feed(body, URL)


def test_opml_with_entities_is_refused() -> None:
    body = XXE_TEMPLATE.format(sep="\n", path="/etc/passwd").replace("rss", "opml").encode()
    with pytest.raises(InvalidInputError, match=r"evil\.opml: refused"):
        parse_opml(body, "evil.opml")


def test_gzip_bomb_is_capped() -> None:
    bomb = gzip.compress(b"<" + b" " * (MAX_DECOMPRESSED_BYTES + 10))
    with pytest.raises(FeedParseError, match="inflates past 64 MiB"):
        parse_feed(bomb, URL)


def test_corrupt_gzip_is_a_parse_error() -> None:
    with pytest.raises(FeedParseError, match="corrupt gzip data"):
        parse_feed(b"\x1f\x8b\x08\x00garbage", URL)
