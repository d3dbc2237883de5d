"""Bounds on what one feed document may cost, and the cheap pre-pass that enforces them.

feedparser is thorough and slow: on this machine it spends ~0.45 ms per ordinary RSS item and
~9 s per MB of tag-dense markup, all on the caller's thread. A 10 MB feed (under the fetch cap)
can therefore cost minutes of CPU. The limits below keep one document's cost bounded; each row
says why it has its value.

| limit                | value    | evidence                                                      |
|----------------------|----------|---------------------------------------------------------------|
| ``MAX_ENTRIES``      | 1,000    | 50,000 RSS items took 23 s to parse here, 1,000 take ~0.5 s;  |
|                      |          | Google News sitemaps may not list more than 1,000 URLs;       |
|                      |          | outlets' feeds carry 10–100 items; the pipeline fetches at    |
|                      |          | most ``max_entries_per_update`` (200) pages per update anyway |
| ``MAX_ENTRY_BYTES``  | 512 KiB  | a long article body is 30–60 KB of HTML; a 1.1 MB item of     |
|                      |          | nested markup took feedparser 9.8 s                           |
| ``MAX_ENTRIES_BYTES``| 4 MiB    | bounds the worst case near 4 × 9 s; ordinary feeds are < 1 MB |
| ``MAX_XML_DEPTH``    | 256      | libxml2's own default nesting limit; feeds nest < 20 levels   |
| ``MAX_MARKUP_DEPTH`` | 256      | the same for HTML in summaries: nh3 (html5ever) sanitizing is |
|                      |          | quadratic in nesting (5,000 levels 0.2 s, 10,000 0.7 s,       |
|                      |          | 100,000 114 s); deeper summaries are kept as plain text       |

Feeds list their newest entries first (RSS 2.0 and JSON Feed practice), so the entries kept are
the first ones; sitemaps have no order, so the newest by date are kept there (``sitemap.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.parsers import expat

from khabar.errors import FeedParseError

__all__ = [
    "MAX_ENTRIES",
    "MAX_ENTRIES_BYTES",
    "MAX_ENTRY_BYTES",
    "MAX_MARKUP_DEPTH",
    "MAX_XML_DEPTH",
    "Trimmed",
    "too_many_entries",
    "trim_xml_feed",
]

MAX_ENTRIES = 1_000
MAX_ENTRY_BYTES = 512 * 1024
MAX_ENTRIES_BYTES = 4 * 1024 * 1024
MAX_XML_DEPTH = 256
MAX_MARKUP_DEPTH = 256

_ENTRY_NAMES = frozenset({"item", "entry"})
_WIDE_ENCODING = (b"\xfe\xff", b"\xff\xfe", b"\x00\x00", b"\x00<", b"<\x00")


@dataclass(frozen=True, slots=True)
class Trimmed:
    """The document to parse, and what was left out of it (as warnings)."""

    body: bytes
    warnings: tuple[str, ...] = ()


def too_many_entries(total: int, kept: int = MAX_ENTRIES) -> str:
    return f"the document has {total} entries; only {kept} were read (limit {MAX_ENTRIES})"


def trim_xml_feed(body: bytes, url: str) -> Trimmed:
    """Cut an RSS/Atom/RDF document down to the entries the limits allow.

    Raises :class:`FeedParseError` when elements nest deeper than ``MAX_XML_DEPTH``. A document
    the pre-pass cannot read (malformed, entity declarations, UTF-16) is returned whole except
    for a plain cut after ``MAX_ENTRIES`` closing tags: the real parser judges it.
    """
    if body[:2] in _WIDE_ENCODING:
        return Trimmed(body)
    scan = _Scan(body)
    try:
        scan.run()
    except _TooDeep as exc:
        raise FeedParseError(
            url, f"XML nested more than {MAX_XML_DEPTH} levels deep (at <{exc.name}>); refused"
        ) from None
    except _Stop:
        pass
    except (expat.ExpatError, _Unreadable):
        return _plain_cut(body)
    return scan.result()


class _Stop(Exception):
    """Enough entries were seen."""


class _Unreadable(Exception):
    """The pre-pass will not read this document (entity declarations)."""


class _TooDeep(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class _Scan:
    """One expat pass over the raw bytes, noting which entries to keep.

    The document is read as ISO-8859-1 whatever it declares: every byte is a character then, so
    byte offsets are exact and markup (ASCII) reads the same in any ASCII-compatible encoding.
    """

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.stack: list[str] = []
        self.entry_depth: int | None = None
        self.entry_start = 0
        self.kept = 0
        self.kept_bytes = 0
        self.skipped: list[tuple[int, int]] = []
        self.cut: tuple[int, list[str], str] | None = None
        self.parser = expat.ParserCreate("iso-8859-1")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.EntityDeclHandler = self.refuse

    def run(self) -> None:
        self.parser.Parse(self.body, True)

    def refuse(self, *_: object) -> None:
        raise _Unreadable

    def start(self, name: str, _attrs: object) -> None:
        self.stack.append(name)
        depth = len(self.stack)
        if depth > MAX_XML_DEPTH:
            raise _TooDeep(name)
        if _local(name) in _ENTRY_NAMES and self.entry_depth in (None, depth):
            self.entry_depth = depth
            self.entry_start = self.parser.CurrentByteIndex

    def end(self, name: str) -> None:
        depth = len(self.stack)
        self.stack.pop()
        if depth != self.entry_depth or _local(name) not in _ENTRY_NAMES:
            return
        end = self.body.find(b">", self.parser.CurrentByteIndex) + 1
        size = end - self.entry_start
        if size > MAX_ENTRY_BYTES:
            self.skipped.append((self.entry_start, end))
        elif self.kept == MAX_ENTRIES or self.kept_bytes + size > MAX_ENTRIES_BYTES:
            self.cut = (self.entry_start, list(self.stack), name)
            raise _Stop
        else:
            self.kept += 1
            self.kept_bytes += size

    def result(self) -> Trimmed:
        if not self.skipped and self.cut is None:
            return Trimmed(self.body)
        parts: list[bytes] = []
        position = 0
        for start, end in self.skipped:
            parts.append(self.body[position:start])
            position = end
        warnings: list[str] = []
        if self.skipped:
            limit = MAX_ENTRY_BYTES // 1024
            warnings.append(f"{len(self.skipped)} entries over {limit} KiB each were skipped")
        if self.cut is None:
            parts.append(self.body[position:])
        else:
            start, open_elements, name = self.cut
            parts.append(self.body[position:start])
            parts.extend(f"</{element}>".encode("latin-1") for element in reversed(open_elements))
            warnings.append(self._cut_warning(start, name))
        return Trimmed(b"".join(parts), tuple(warnings))

    def _cut_warning(self, start: int, name: str) -> str:
        rest = self.body.count(f"</{name}>".encode("latin-1"), start)
        if self.kept == MAX_ENTRIES:
            return too_many_entries(self.kept + len(self.skipped) + rest)
        return (
            f"entries after the first {MAX_ENTRIES_BYTES // (1024 * 1024)} MiB were not read "
            f"({self.kept} read, about {rest} left out)"
        )


_ENTRY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")


def _plain_cut(body: bytes) -> Trimmed:
    """For a document expat cannot read: cut after the ``MAX_ENTRIES``-th entry's end tag."""
    ends = _ENTRY_END.finditer(body)
    for count, match in enumerate(ends, start=1):
        if count == MAX_ENTRIES:
            rest = sum(1 for _ in ends)
            if rest == 0:
                break
            return Trimmed(body[: match.end()], (too_many_entries(MAX_ENTRIES + rest),))
    return Trimmed(body)


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1].lower()
