"""Building feed XML with the standard library: ElementTree escapes, this module cleans.

ElementTree escapes ``& < > "`` in text and attributes but writes characters that XML 1.0
forbids (C0 controls, lone surrogates, U+FFFE/U+FFFF) as they are, and one such character
in a stored title makes the whole feed unreadable. Every string goes through :func:`clean`.
Namespaces are written as plain ``xmlns``/``xmlns:prefix`` attributes with prefixed tag
names, so no global ``register_namespace`` state is involved.
"""

from __future__ import annotations

import re
from typing import Final
from xml.etree.ElementTree import Element, SubElement, tostring

__all__ = ["XML_LANG", "clean", "serialize", "sub"]

XML_LANG: Final = "xml:lang"

_DECLARATION: Final = '<?xml version="1.0" encoding="utf-8"?>\n'
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def sub(parent: Element, tag: str, text: str | None = None, **attrs: str) -> Element:
    """A child element with cleaned text and attributes (``xml_lang`` → ``xml:lang``)."""
    named = {_attr_name(k): clean(v) for k, v in attrs.items()}
    child = SubElement(parent, tag, named)
    if text is not None:
        child.text = clean(text)
    return child


def _attr_name(key: str) -> str:
    return XML_LANG if key == "xml_lang" else key


def serialize(root: Element) -> bytes:
    """UTF-8 bytes with an XML declaration.

    Serialized to ``str`` and encoded once: ``tostring(encoding="utf-8")`` encodes every
    small write separately and was 2-3x slower on a 200-item feed.
    """
    return (_DECLARATION + tostring(root, encoding="unicode")).encode("utf-8")
