"""Read and write OPML subscription lists.

Besides the standard ``xmlUrl``/``htmlUrl``/``title``/``text``/``category`` attributes, Khabar
reads and writes three extension attributes on feed outlines: ``country`` (ISO 3166 code),
``language`` (BCP 47) and ``kind`` (``sitemap`` when the source is a sitemap, else omitted).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError, SubElement, indent, tostring

import defusedxml
import defusedxml.ElementTree as SafeET

from khabar.errors import InvalidInputError
from khabar.types import NewSource, Source, SourceKind

__all__ = ["OpmlImport", "parse_opml", "read_opml", "write_opml"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OpmlImport:
    """What an OPML file gave: the sources, and one message per outline that was skipped."""

    sources: tuple[NewSource, ...]
    skipped: tuple[str, ...] = ()


def parse_opml(data: bytes, origin: str) -> list[NewSource]:
    """The sources listed in an OPML file; skipped outlines are logged as warnings.

    ``origin`` names the file in messages. Raises ``InvalidInputError`` when the file is not
    well-formed OPML.
    """
    result = read_opml(data, origin)
    for message in result.skipped:
        logger.warning("%s", message)
    return list(result.sources)


def read_opml(data: bytes, origin: str) -> OpmlImport:
    """Like ``parse_opml`` but returns the skipped outlines instead of logging them."""
    root = _parse_xml(data, origin)
    body = next((child for child in root if child.tag == "body"), None)
    if root.tag != "opml" or body is None:
        raise InvalidInputError(f"{origin}: not an OPML file (expected <opml> with a <body>)")
    sources: list[NewSource] = []
    skipped: list[str] = []
    for outline, folder in _walk(body, None):
        url = (outline.get("xmlUrl") or "").strip()
        if url:
            sources.append(_source(outline, url, folder))
        elif not _is_folder(outline):
            label = outline.get("title") or outline.get("text") or "(untitled)"
            skipped.append(f"{origin}: outline {label!r} has no xmlUrl and was skipped")
    return OpmlImport(tuple(sources), tuple(skipped))


def write_opml(sources: Iterable[Source | NewSource], title: str = "Khabar") -> str:
    """Serialize sources as OPML 2.0, one folder outline per category (in first-seen order)."""
    root = Element("opml", version="2.0")
    SubElement(SubElement(root, "head"), "title").text = title
    body = SubElement(root, "body")
    folders: dict[str, Element] = {}
    for source in sources:
        parent = body
        if source.category:
            if source.category not in folders:
                folders[source.category] = SubElement(
                    body, "outline", text=source.category, title=source.category
                )
            parent = folders[source.category]
        SubElement(parent, "outline", _attributes(source))
    indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode") + "\n"


def _parse_xml(data: bytes, origin: str) -> Element:
    try:
        root: Element = SafeET.fromstring(data, forbid_dtd=True)
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":", 1)[0]
        raise InvalidInputError(
            f"{origin}: malformed OPML at line {line}, column {column}: {reason}"
        ) from error
    except defusedxml.DefusedXmlException as error:
        raise InvalidInputError(
            f"{origin}: refused: OPML may not contain a DTD ({error})"
        ) from error
    return root


def _walk(parent: Element, folder: str | None) -> Iterator[tuple[Element, str | None]]:
    """Every outline under ``parent`` with the title of its nearest enclosing folder."""
    for outline in parent:
        if outline.tag != "outline":
            continue
        yield outline, folder
        if len(outline):
            label = outline.get("title") or outline.get("text")
            yield from _walk(outline, (label or "").strip() or folder)


def _is_folder(outline: Element) -> bool:
    """A folder has children, or is a bare labelled outline (an empty folder)."""
    if len(outline) > 0:
        return True
    looks_like_a_feed = any(outline.get(name) for name in ("type", "htmlUrl", "url"))
    return not looks_like_a_feed or outline.get("type") == "folder"


def _source(outline: Element, url: str, folder: str | None) -> NewSource:
    kind: SourceKind = "sitemap" if outline.get("kind") == "sitemap" else "feed"
    title = _attr(outline, "title") or _attr(outline, "text")
    return NewSource(
        url=url,
        kind=kind,
        title=None if title == url else title,  # ``text`` is required, so writers put the URL
        site_url=_attr(outline, "htmlUrl"),
        category=_category(outline.get("category")) or folder,
        country=_attr(outline, "country"),
        language=_attr(outline, "language"),
    )


def _category(value: str | None) -> str | None:
    """OPML 2.0 ``category`` is a comma-separated list of slash paths: take the first."""
    first = (value or "").split(",")[0].strip().strip("/")
    return first or None


def _attr(outline: Element, name: str) -> str | None:
    value = (outline.get(name) or "").strip()
    return value or None


def _attributes(source: Source | NewSource) -> dict[str, str]:
    label = source.title or source.site_url or source.url
    optional = {
        "title": source.title,
        "htmlUrl": source.site_url,
        "country": source.country,
        "language": source.language,
        "kind": "sitemap" if source.kind == "sitemap" else None,
    }
    attributes = {"type": "rss", "text": label, "xmlUrl": source.url}
    attributes.update({name: value for name, value in optional.items() if value})
    return attributes
