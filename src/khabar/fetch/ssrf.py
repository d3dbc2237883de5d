"""The SSRF guard: which destinations a fetch may reach.

Two checks, both fail closed:

* :func:`check_url` rejects early what the URL alone shows: a scheme other than http(s), no host,
  or a literal IP address we refuse.
* :class:`GuardedBackend` is the httpcore network backend every connection goes through. It
  resolves the host itself, refuses the connection if *any* resolved address is refused, and
  connects to the address it checked — so DNS rebinding (a name that resolves to a public address
  for the check and to 127.0.0.1 for the connection) cannot get past it. Redirects are covered
  because every hop opens (or reuses) a connection made here.

``settings.allow_hosts`` lets chosen host names, addresses or CIDR networks through (tests, the
demo, intranet feeds).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

import anyio
import httpcore
import httpx

from khabar.errors import FetchError, SSRFBlockedError

__all__ = ["AllowList", "GuardedBackend", "Resolver", "blocked_reason", "check_url"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]

ALLOWED_SCHEMES = frozenset({"http", "https"})

# (property of ipaddress objects, how the refusal names it); the first match wins, so the
# more specific kinds come first (169.254.0.0/16 is also "private" to Python).
_REFUSED_KINDS: tuple[tuple[str, str], ...] = (
    ("is_unspecified", "an unspecified address"),
    ("is_loopback", "a loopback address"),
    ("is_link_local", "a link-local address"),
    ("is_multicast", "a multicast address"),
    ("is_reserved", "a reserved address"),
    ("is_private", "a private address"),
)


@dataclass(frozen=True, slots=True)
class AllowList:
    """Host names and networks the guard lets through although they are not public."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        """Read ``allow_hosts`` entries: host names, IP addresses or CIDR networks."""
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in (e.strip() for e in entries):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                names.add(_normal_host(entry))
        return cls(frozenset(names), tuple(networks))

    def permits_host(self, host: str) -> bool:
        return _normal_host(host) in self.names

    def permits_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks)


def blocked_reason(address: IPAddress) -> str | None:
    """Why ``address`` is refused (``"a loopback address"`` …), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for attribute, kind in _REFUSED_KINDS:
        if getattr(address, attribute):
            return kind
    if not address.is_global:
        return "not a public address"
    return None


def check_address(target: str, host: str, address: IPAddress, allow: AllowList) -> None:
    """Raise :class:`SSRFBlockedError` for ``target`` when ``address`` is refused."""
    if allow.permits_host(host) or allow.permits_address(address):
        return
    reason = blocked_reason(address)
    if reason is not None:
        raise SSRFBlockedError(
            target, f"refused: {address} is {reason} (set allow_hosts to permit it)"
        )


def check_url(url: str, allow: AllowList) -> None:
    """Reject what the URL alone shows is unsafe: the scheme, a missing host, a literal IP.

    Raises SSRFBlockedError, or FetchError for a URL that cannot be parsed.
    """
    try:
        parts = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"invalid URL: {exc}") from exc
    host = parts.host
    if parts.scheme not in ALLOWED_SCHEMES:
        scheme = parts.scheme or "no scheme"
        raise SSRFBlockedError(url, f"refused: {scheme} URLs are not fetched (only http, https)")
    if not host:
        raise SSRFBlockedError(url, "refused: the URL has no host")
    literal = _parse_ip(host)
    if literal is not None:
        check_address(url, host, literal, allow)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore backend that connects only to addresses the guard accepts.

    ``resolve`` maps (host, port) to IP address strings; the default uses ``getaddrinfo``.
    Tests inject one to play DNS tricks without a DNS server.
    """

    def __init__(self, allow: AllowList, resolve: Resolver | None = None) -> None:
        self._allow = allow
        self._resolve = resolve or _getaddrinfo
        self._inner = httpcore.AnyIOBackend()

    async def checked_addresses(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and check every address; raise if any is refused."""
        literal = _parse_ip(host)
        addresses = [host] if literal is not None else await self._resolved(host, port)
        for address in addresses:
            check_address(f"{host}:{port}", host, ipaddress.ip_address(address), self._allow)
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            with anyio.fail_after(timeout):
                addresses = await self.checked_addresses(host, port)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from exc
        *others, last = addresses
        for address in others:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                continue  # the next address may answer; the last one's error is reported
        return await self._inner.connect_tcp(last, port, timeout, local_address, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise SSRFBlockedError(path, "refused: Unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await anyio.sleep(seconds)

    async def _resolved(self, host: str, port: int) -> list[str]:
        try:
            addresses = list(dict.fromkeys(await self._resolve(host, port)))
        except OSError as exc:
            raise httpcore.ConnectError(f"could not resolve {host}: {exc}") from exc
        if not addresses:
            raise httpcore.ConnectError(f"could not resolve {host}: no addresses")
        return addresses


async def _getaddrinfo(host: str, port: int) -> Sequence[str]:
    infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]).split("%")[0] for info in infos]


def _parse_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()
