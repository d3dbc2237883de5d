"""The SSRF guard: address kinds, the allow-list, the early URL check and the resolver path."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from khabar.errors import FetchError, SSRFBlockedError
from khabar.fetch.ssrf import AllowList, GuardedBackend, Resolver, blocked_reason, check_url

pytestmark = pytest.mark.anyio

NOBODY = AllowList()


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("100.64.0.1", "not a public address"),
        ("8.8.8.8", None),
        ("2001:4860:4860::8888", None),
    ],
)
def test_address_kinds(address: str, reason: str | None) -> None:
    found = blocked_reason(ipaddress.ip_address(address))
    assert (found is None) if reason is None else (found is not None and reason in found)


def test_metadata_address_is_refused_by_the_early_check() -> None:
    with pytest.raises(SSRFBlockedError, match=r"169\.254\.169\.254 is a link-local address"):
        check_url("http://169.254.169.254/latest/meta-data/", NOBODY)
    with pytest.raises(SSRFBlockedError, match="loopback"):
        check_url("http://[::ffff:127.0.0.1]:8080/", NOBODY)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/", "javascript:alert(1)", "//example.com/"]
)
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(SSRFBlockedError, match="only http, https"):
        check_url(url, NOBODY)


def test_bad_urls_are_fetch_errors() -> None:
    with pytest.raises(FetchError):
        check_url("http:///no-host", NOBODY)
    with pytest.raises(FetchError):
        check_url("http://[::1/", NOBODY)
    with pytest.raises(FetchError, match="invalid URL"):
        check_url("http://ex\x00ample.com/", NOBODY)


def test_public_names_and_addresses_pass_the_early_check() -> None:
    check_url("https://www.aljazeera.net/news/", NOBODY)
    check_url("http://8.8.8.8/", NOBODY)


def test_allow_list_takes_names_addresses_and_networks() -> None:
    allow = AllowList.parse(["LocalHost.", "127.0.0.1", "10.0.0.0/8", "::1", " "])
    assert allow.permits_host("localhost") and not allow.permits_host("example.com")
    for permitted in ("http://127.0.0.1/", "http://10.200.0.1/", "http://[::1]:8080/"):
        check_url(permitted, allow)
    with pytest.raises(SSRFBlockedError):
        check_url("http://192.168.0.1/", allow)


def _resolver(table: dict[str, list[str]]) -> tuple[Resolver, list[str]]:
    """A resolver answering from ``table``, and the list of names it was asked for."""
    calls: list[str] = []

    async def resolve(host: str, port: int) -> Sequence[str]:
        calls.append(host)
        return table[host]

    return resolve, calls


async def test_metadata_address_is_refused_on_the_resolver_path() -> None:
    resolve, calls = _resolver({"metadata.internal": ["169.254.169.254"]})
    backend = GuardedBackend(NOBODY, resolve)
    with pytest.raises(SSRFBlockedError, match=r"169\.254\.169\.254 is a link-local address"):
        await backend.connect_tcp("metadata.internal", 80, timeout=1.0)
    assert calls == ["metadata.internal"]


async def test_one_refused_address_among_public_ones_refuses_the_host() -> None:
    resolve, _ = _resolver({"mixed.example": ["93.184.216.34", "10.0.0.5"]})
    backend = GuardedBackend(NOBODY, resolve)
    with pytest.raises(SSRFBlockedError, match=r"10\.0\.0\.5 is a private address"):
        await backend.checked_addresses("mixed.example", 443)


async def test_allowed_names_and_networks_pass_the_resolver_path() -> None:
    resolve, _ = _resolver({"intranet": ["10.0.0.5"], "demo": ["127.0.0.1"]})
    backend = GuardedBackend(AllowList.parse(["intranet", "127.0.0.0/8"]), resolve)
    assert await backend.checked_addresses("intranet", 80) == ["10.0.0.5"]
    assert await backend.checked_addresses("demo", 80) == ["127.0.0.1"]


async def test_unix_sockets_are_refused() -> None:
    with pytest.raises(SSRFBlockedError):
        await GuardedBackend(NOBODY).connect_unix_socket("/var/run/docker.sock")
