"""Servers that misbehave on the wire: huge, endless, dripping, compressed, redirecting bodies.

Each case runs the scenario of ``kit.run_hostile``: a clear recorded error, the bystander
source updated in the same round, nothing stored lost, the next update finishing the work.
Memory is the peak of traced Python allocations during the hostile round.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import itertools
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import brotli
import pytest
from tests.hostile.kit import (
    RSS_HEADERS,
    Outcome,
    expect_error,
    good_feed,
    run_hostile,
    settings_for,
)
from tests.hostile.rawserver import RawServer, drip, endless_close_delimited, endless_headers, reply
from tests.support.httpserver import LocalServer, Reply

from khabar.errors import FeedDiscoveryError, SSRFBlockedError
from khabar.service import Khabar

CAP = 1_000_000  # max_body_bytes in settings_for
MB = 1024 * 1024
# What one update round may hold in traced Python memory while 32-100 MB stream at it: the cap,
# one decoding piece, and the round's ordinary working set. Before bounded decoding, 100 MiB
# bombs against a 200 KB cap peaked at 148 MB (gzip) and 105 MB (brotli, 165 bytes on the wire);
# the 32 MiB bombs here inflate whole in one piece.
FLAT = 3 * CAP


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    piece = b"<!-- " + b"x" * (size - 9) + b" -->"
    for _ in range(total // size):
        yield piece


def _endless() -> Iterator[bytes]:
    for _ in itertools.count():
        yield b"<item>" + b"x" * 16_384 + b"</item>"


def _serve(raw: RawServer, feed: bytes) -> None:
    raw.script = reply("200 OK", RSS_HEADERS, feed)


def _flat(outcome: Outcome) -> None:
    assert outcome.peak_bytes < FLAT, f"peak {outcome.peak_bytes / MB:.1f} MB"


def test_100_mb_declared_body_is_refused_before_reading(
    server: LocalServer, tmp_path: Path
) -> None:
    def hostile(s: LocalServer) -> None:
        headers = {**RSS_HEADERS, "Content-Length": str(100 * MB)}
        s.route("/victim/feed.xml", Reply(200, _chunks(100 * MB), headers))

    def check(outcome: Outcome) -> None:
        expect_error(f"Content-Length {100 * MB} is over the {CAP}-byte cap")(outcome)
        _flat(outcome)

    run_hostile(server, tmp_path, hostile, check=check, measure_memory=True)


def test_100_mb_chunked_body_stops_at_the_cap(server: LocalServer, tmp_path: Path) -> None:
    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, _chunks(100 * MB), RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        expect_error(f"body grew past the {CAP}-byte cap", "download stopped")(outcome)
        _flat(outcome)
        assert outcome.seconds < 5

    run_hostile(server, tmp_path, hostile, check=check, measure_memory=True)


def test_endless_chunked_body_stops_at_the_cap(server: LocalServer, tmp_path: Path) -> None:
    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, _endless(), RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        expect_error("past the", "cap")(outcome)
        _flat(outcome)

    run_hostile(server, tmp_path, hostile, check=check, measure_memory=True)


def test_endless_close_delimited_body_stops_at_the_cap(server: LocalServer, tmp_path: Path) -> None:
    with RawServer(reply("200 OK", RSS_HEADERS, good_feed(server, "victim"))) as raw:

        def hostile(_: LocalServer) -> None:
            raw.script = endless_close_delimited

        def check(outcome: Outcome) -> None:
            expect_error("past the", "cap", names="127.0.0.1")(outcome)
            _flat(outcome)

        run_hostile(
            server,
            tmp_path,
            hostile,
            victim_url=raw.url("/victim/feed.xml"),
            check=check,
            measure_memory=True,
            heal=lambda feed: _serve(raw, feed),
        )


def _pack(encoding: str, body: bytes) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)[2:-4]  # raw deflate (no zlib header), as some servers send
    return bytes(brotli.compress(body))


@functools.cache
def _bomb(encoding: str) -> bytes:
    inflated = b"<rss>" + b" " * (32 * MB)  # 32 times the cap
    if encoding == "gzip":
        return gzip.compress(inflated, compresslevel=9)
    if encoding == "deflate":
        return zlib.compress(inflated, 9)
    if encoding == "br":
        return bytes(brotli.compress(inflated, quality=5))
    return bytes(brotli.compress(_bomb("gzip"), quality=5))  # "gzip, br": gzip first, then br


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br", "gzip, br"])
def test_compression_bomb_stops_at_the_cap(
    server: LocalServer, tmp_path: Path, encoding: str
) -> None:
    bomb = _bomb(encoding)
    assert len(bomb) < CAP // 4, "the wire size passes the cap; only the decoded size is over"

    def hostile(s: LocalServer) -> None:
        headers = {**RSS_HEADERS, "Content-Encoding": encoding}
        s.route("/victim/feed.xml", Reply(200, bomb, headers))

    def check(outcome: Outcome) -> None:
        expect_error(f"body grew past the {CAP}-byte cap")(outcome)
        _flat(outcome)

    run_hostile(server, tmp_path, hostile, check=check, measure_memory=True)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_feeds_still_read(server: LocalServer, tmp_path: Path, encoding: str) -> None:
    """The bounded decoder reads honest compressed bodies, including raw deflate."""
    body = good_feed(server, "victim", count=3)
    packed = _pack(encoding, body)

    def hostile(s: LocalServer) -> None:
        headers = {**RSS_HEADERS, "Content-Encoding": encoding}
        s.route("/victim/feed.xml", Reply(200, packed, headers))

    def check(outcome: Outcome) -> None:
        assert (outcome.result.status, outcome.result.new) == ("new", 1), outcome.result
        assert outcome.source.last_error is None

    run_hostile(server, tmp_path, hostile, check=check)


def test_corrupt_compressed_body_is_a_clear_error(server: LocalServer, tmp_path: Path) -> None:
    def hostile(s: LocalServer) -> None:
        headers = {**RSS_HEADERS, "Content-Encoding": "gzip"}
        s.route("/victim/feed.xml", Reply(200, b"\x1f\x8b\x08\x00" + b"garbage" * 100, headers))

    run_hostile(server, tmp_path, hostile, check=expect_error("could not decode the gzip body"))


def _one_byte_per_second(total: int = 600) -> Iterator[bytes]:
    for byte in b"<rss>" + b" " * total:
        time.sleep(1.0)
        yield bytes([byte])


def test_one_byte_per_second_is_ended_by_the_fetch_deadline(
    server: LocalServer, tmp_path: Path
) -> None:
    """Every read gets a byte within read_timeout (1.5 s), so only the deadline can end it."""
    settings = settings_for(tmp_path, read_timeout=1.5, fetch_deadline=2.0)

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, _one_byte_per_second(), RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        expect_error("timed out after 2 s (fetch_deadline)")(outcome)
        assert "waiting for data" not in outcome.error, "a per-read timeout must not be what fired"
        assert outcome.seconds < 2.0 + 2.0

    run_hostile(server, tmp_path, hostile, settings=settings, check=check)


def test_status_line_dripped_one_byte_per_second(server: LocalServer, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, read_timeout=1.5, fetch_deadline=2.0)
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n<rss/>"
    with RawServer(reply("200 OK", RSS_HEADERS, good_feed(server, "victim"))) as raw:

        def hostile(_: LocalServer) -> None:
            raw.script = drip(head, 1.0, limit=10.0)

        def check(outcome: Outcome) -> None:
            expect_error("fetch_deadline", names="127.0.0.1")(outcome)
            assert outcome.seconds < 2.0 + 2.0

        run_hostile(
            server,
            tmp_path,
            hostile,
            victim_url=raw.url("/feed"),
            settings=settings,
            check=check,
            heal=lambda feed: _serve(raw, feed),
        )


def test_endless_headers_are_refused(server: LocalServer, tmp_path: Path) -> None:
    with RawServer(reply("200 OK", RSS_HEADERS, good_feed(server, "victim"))) as raw:

        def hostile(_: LocalServer) -> None:
            raw.script = endless_headers

        def check(outcome: Outcome) -> None:
            expect_error("the server broke HTTP", names="127.0.0.1")(outcome)
            _flat(outcome)

        run_hostile(
            server,
            tmp_path,
            hostile,
            victim_url=raw.url("/feed"),
            check=check,
            measure_memory=True,
            heal=lambda feed: _serve(raw, feed),
        )


def test_redirect_loop(server: LocalServer, tmp_path: Path) -> None:
    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply.redirect("/victim/b"))
        s.route("/victim/b", Reply.redirect("/victim/c?x=1"))
        s.route("/victim/c", Reply.redirect("/victim/feed.xml"))

    def check(outcome: Outcome) -> None:
        expect_error("redirect loop")(outcome)
        assert server.hits("/victim/b") == 1, "a loop is seen, not walked again"

    run_hostile(server, tmp_path, hostile, check=check)


def test_endless_redirect_chain(server: LocalServer, tmp_path: Path) -> None:
    def next_hop(request: object) -> Reply:
        n = int(getattr(request, "query", "").removeprefix("n=") or 0)
        return Reply.redirect(f"/victim/chain?n={n + 1}")

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply.redirect("/victim/chain?n=0"))
        s.route("/victim/chain", next_hop)

    def check(outcome: Outcome) -> None:
        expect_error("too many redirects (more than 5)")(outcome)
        assert server.hits("/victim/chain") == 5

    run_hostile(server, tmp_path, hostile, check=check)


# A redirect from an allowed host to an address the guard refuses. The feed is served as
# "localhost" (allowed by name); every target below reaches the same server by address.
SSRF_TARGETS = {
    "loopback": ("http://127.0.0.1:{port}/secret", "127.0.0.1 is a loopback address"),
    "metadata": ("http://169.254.169.254/latest/meta-data/", "link-local"),
    "metadata-v6-mapped": ("http://[::ffff:a9fe:a9fe]/latest/meta-data/", "link-local"),
    "v6-mapped-loopback": ("http://[::ffff:127.0.0.1]:{port}/secret", "loopback"),
    "decimal-ip": ("http://2130706433:{port}/secret", "loopback"),
    "hex-ip": ("http://0x7f000001:{port}/secret", "loopback"),
    "short-ip": ("http://127.1:{port}/secret", "loopback"),
    "unspecified": ("http://0.0.0.0:{port}/secret", "unspecified"),
    "v6-loopback": ("http://[::1]:{port}/secret", "loopback"),
    "private": ("http://10.0.0.1/secret", "private"),
    "file": ("file:///etc/passwd", "file URLs are not fetched"),
    "gopher": ("gopher://127.0.0.1:{port}/_secret", "gopher URLs are not fetched"),
}


@pytest.mark.parametrize("name", SSRF_TARGETS)
def test_redirect_to_a_refused_address(server: LocalServer, tmp_path: Path, name: str) -> None:
    target, reason = SSRF_TARGETS[name]
    server.route("/secret", Reply(200, b"internal secret"))
    settings = settings_for(tmp_path, allow_hosts=("localhost",))

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply.redirect(target.format(port=s.port)))

    def check(outcome: Outcome) -> None:
        expect_error("refused", reason, names="/victim/feed.xml")(outcome)
        assert server.hits("/secret") == 0, "the refused address was reached"

    run_hostile(
        server,
        tmp_path,
        hostile,
        victim_url=f"http://localhost:{server.port}/victim/feed.xml",
        origin=f"http://localhost:{server.port}",
        settings=settings,
        check=check,
    )


def test_feed_discovery_never_reaches_a_refused_address(
    server: LocalServer, tmp_path: Path
) -> None:
    """A site page (allowed by name) advertising feeds on refused addresses: discovery tries
    them through the same guard, and nothing behind them is contacted."""
    port = server.port
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{href}">'
        for href in (
            f"http://127.0.0.1:{port}/secret",
            "http://169.254.169.254/latest/meta-data/",
            f"http://2130706433:{port}/secret",
            "file:///etc/passwd",
        )
    )
    server.route("/site", Reply(200, f"<html><head>{links}</head><body>x</body></html>"))
    server.route("/secret", Reply(200, good_feed(server, "secret"), RSS_HEADERS))
    settings = settings_for(tmp_path, allow_hosts=("localhost",))
    with Khabar(settings) as service:
        with pytest.raises(FeedDiscoveryError, match="no feed found"):
            asyncio.run(service.add_source(f"http://localhost:{port}/site"))
        with pytest.raises(SSRFBlockedError, match="link-local"):
            asyncio.run(service.add_source("http://169.254.169.254/latest/meta-data/"))
        assert service.sources() == []
    assert server.hits("/secret") == 0
