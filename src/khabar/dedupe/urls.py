"""Level 1 by URL: the one form every variant of an article's address folds to.

:func:`canonical_url` is an identity key for "the same article", not a URL to fetch: the
scheme is folded to ``https``; the host is lower-cased, IDNA-encoded, without a default port
and without labels that only mark a rendering (``www.``, ``m.``, ``amp.``); the path is
percent-encoded in one form (UTF-8, upper-case hex: raw Arabic and encoded Arabic meet), loses
AMP/print segments, a default document and its trailing slash; tracking and rendering
parameters (``utm_*``, ``fbclid``, ``?amp``, ``?live``, ``?print`` …) are dropped and the
rest sorted; the fragment goes. The rules are data (``data/dedupe/urls.toml``).

courlan's ``normalize_url(strict=True)`` was tried and not used: it drops parameters outside
its own list, including ones that identify the article on some sites, and leaves
``m.``/``amp.`` hosts and ``/amp`` paths alone.
"""

from __future__ import annotations

import contextlib
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from typing import Final
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

__all__ = ["UrlRules", "canonical_url", "load_url_rules", "same_article_url"]

_DEFAULT_PORTS: Final = frozenset({"80", "443"})
_PATH_SAFE: Final = "/:@!$&'()*+,;=-._~"


@dataclass(frozen=True, slots=True)
class UrlRules:
    """The URL tables, lower-cased."""

    tracking_params: frozenset[str]
    tracking_prefixes: tuple[str, ...]
    variant_params: frozenset[str]
    host_prefixes: tuple[str, ...]
    path_segments: frozenset[str]
    segment_suffixes: tuple[tuple[str, str], ...]
    index_documents: frozenset[str]

    def drops_param(self, name: str) -> bool:
        key = name.lower()
        return (
            key in self.tracking_params
            or key in self.variant_params
            or key.startswith(self.tracking_prefixes)
        )


@cache
def load_url_rules() -> UrlRules:
    """The rules in ``data/dedupe/urls.toml``, read once per process."""
    text = files("khabar.data").joinpath("dedupe/urls.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    variants = data["variants"]

    def lower(values: list[str]) -> tuple[str, ...]:
        return tuple(v.lower() for v in values)

    return UrlRules(
        tracking_params=frozenset(lower(data["tracking"]["params"])),
        tracking_prefixes=lower(data["tracking"]["prefixes"]),
        variant_params=frozenset(lower(variants["params"])),
        # longest first, so "ar.m." is tried before "m."
        host_prefixes=tuple(sorted(lower(variants["host_prefixes"]), key=len, reverse=True)),
        path_segments=frozenset(lower(variants["path_segments"])),
        segment_suffixes=tuple((a.lower(), b) for a, b in variants["segment_suffixes"]),
        index_documents=frozenset(lower(variants["index_documents"])),
    )


def canonical_url(url: str, rules: UrlRules | None = None) -> str:
    """The identity key of ``url`` (see the module docstring); ``url`` stripped if unparsable."""
    if rules is None:
        return _canonical_with_shipped_rules(url)
    return _canonical(url, rules)


@lru_cache(maxsize=65_536)
def _canonical_with_shipped_rules(url: str) -> str:
    """Dedupe compares an arriving article with every known one in its window, and the same
    known URLs come back for every arrival: each is canonicalized once."""
    return _canonical(url, load_url_rules())


def _canonical(url: str, rules: UrlRules) -> str:
    url = url.strip()
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        port = parts.port
    except ValueError:
        return url
    host = _host(parts.hostname or "", port, rules)
    if not host:
        return url
    path = _path(parts.path, rules)
    query = _query(parts.query, rules)
    return urlunsplit(("https", host, path, query, ""))


def same_article_url(a: str, b: str, rules: UrlRules | None = None) -> bool:
    """Whether two addresses are variants of one article."""
    return canonical_url(a, rules) == canonical_url(b, rules)


def _host(hostname: str, port: int | None, rules: UrlRules) -> str:
    host = hostname.rstrip(".").lower()
    # a name IDNA refuses keeps its lower-cased form: the key only has to be stable
    with contextlib.suppress(UnicodeError):
        host = host.encode("idna").decode("ascii")
    labels = host.split(".")
    for prefix in rules.host_prefixes:
        size = prefix.count(".") + 1
        # keep at least "site.tld" after dropping the prefix
        if len(labels) - size >= 2 and ".".join(labels[:size]) == prefix:
            labels = labels[size:]
            break
    host = ".".join(labels)
    if port is not None and str(port) not in _DEFAULT_PORTS:
        host = f"{host}:{port}"
    return host


def _path(path: str, rules: UrlRules) -> str:
    segments = [unquote(s, errors="surrogateescape") for s in path.split("/") if s]
    segments = [s for s in segments if s.lower() not in rules.path_segments]
    if segments and segments[-1].lower() in rules.index_documents:
        segments.pop()
    if segments:
        segments[-1] = _strip_suffix(segments[-1], rules)
    return "/" + "/".join(_quote(s) for s in segments if s)


def _quote(segment: str) -> str:
    """One encoding for a segment; bytes that were not UTF-8 survive as they came."""
    return quote(segment, safe=_PATH_SAFE, encoding="utf-8", errors="surrogateescape")


def _strip_suffix(segment: str, rules: UrlRules) -> str:
    lowered = segment.lower()
    for suffix, replacement in rules.segment_suffixes:
        if lowered.endswith(suffix) and len(segment) > len(suffix):
            return segment[: -len(suffix)] + replacement
    return segment


def _query(query: str, rules: UrlRules) -> str:
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = sorted((k, v) for k, v in pairs if not rules.drops_param(k))
    return urlencode(kept, quote_via=quote)
