"""Fetching: the only package that touches the network.

:class:`Fetcher` is the entry point; the other names are its parts, public for reuse and tests.
"""

from khabar.fetch.charset import decode_body, normalize_charset
from khabar.fetch.client import Fetcher
from khabar.fetch.politeness import HostCoolingDownError, Politeness
from khabar.fetch.retry_after import parse_retry_after
from khabar.fetch.robots import RobotsCache, robots_url
from khabar.fetch.ssrf import AllowList, GuardedBackend, blocked_reason, check_url
from khabar.fetch.transport import GuardedTransport

__all__ = [
    "AllowList",
    "Fetcher",
    "GuardedBackend",
    "GuardedTransport",
    "HostCoolingDownError",
    "Politeness",
    "RobotsCache",
    "blocked_reason",
    "check_url",
    "decode_body",
    "normalize_charset",
    "parse_retry_after",
    "robots_url",
]
