"""Small helpers over lxml trees shared by the furniture and embed readers."""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]  # no lxml stubs in the venv

__all__ = ["remove_keeping_tail", "text_of"]


def text_of(elem: etree._Element) -> str:
    """All text inside ``elem``, whitespace collapsed."""
    return " ".join("".join(elem.itertext()).split())


def remove_keeping_tail(elem: etree._Element) -> None:
    """Remove ``elem`` from its parent; the text that followed it stays where it was."""
    parent = elem.getparent()
    if parent is None:
        return
    tail = elem.tail
    if tail and tail.strip():
        previous = elem.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(elem)
