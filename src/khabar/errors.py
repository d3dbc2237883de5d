"""One exception tree for Khabar.

Only user-fixable problems are wrapped (a bad source, a bad file, a bad setting); bugs propagate.
Library errors are wrapped at the boundary with ``raise ... from``. Every message names what
failed: which source or URL, which line, which field.
"""

from __future__ import annotations

__all__ = [
    "BodyTooLargeError",
    "DatabaseBusyError",
    "DatabaseFullError",
    "DatabaseReadOnlyError",
    "ExtractionError",
    "FeedDiscoveryError",
    "FeedParseError",
    "FetchError",
    "HTTPStatusError",
    "HostCoolingDownError",
    "InvalidInputError",
    "KhabarError",
    "NotFoundError",
    "RobotsDisallowedError",
    "SSRFBlockedError",
    "SettingsError",
    "SourceError",
    "SourceExistsError",
    "StorageError",
]


class KhabarError(Exception):
    """Base of every error Khabar raises on purpose."""


class SettingsError(KhabarError):
    """A setting is unknown or has a bad value."""


class InvalidInputError(KhabarError):
    """User input (a file, a line, a field, an argument) is not acceptable."""


class NotFoundError(KhabarError):
    """A requested record does not exist."""


class SourceError(KhabarError):
    """Something went wrong with one source; the others go on."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url
        self.reason = message


class FetchError(SourceError):
    """The network could not give us the document."""


class HTTPStatusError(FetchError):
    def __init__(self, url: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(url, f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class HostCoolingDownError(FetchError):
    """The host asked us (429/503 + Retry-After) to come back later; nothing was sent."""

    def __init__(self, url: str, host: str, retry_after: float) -> None:
        super().__init__(
            url, f"{host} asked us to wait (Retry-After): {retry_after:.0f} s left, not requested"
        )
        self.host = host
        self.retry_after = retry_after


class BodyTooLargeError(FetchError):
    """The body grew past the configured cap; the download was stopped."""


class SSRFBlockedError(FetchError):
    """The destination resolves to an address we refuse (loopback, private, link-local …)."""


class RobotsDisallowedError(FetchError):
    """robots.txt of the host disallows the page for our User-Agent."""


class FeedParseError(SourceError):
    """The document is not a feed we can read."""


class FeedDiscoveryError(SourceError):
    """No feed could be found for a site URL."""


class SourceExistsError(SourceError):
    """The source is already followed."""


class ExtractionError(KhabarError):
    """A page could not be turned into an article."""


class StorageError(KhabarError):
    """The database could not do what was asked."""


class DatabaseBusyError(StorageError):
    """Another process held the database's write lock longer than the busy timeout."""


class DatabaseReadOnlyError(StorageError):
    """The database cannot be written (read-only file, directory or file system); reading
    goes on."""


class DatabaseFullError(StorageError):
    """The disk (or the database's size limit) is full: the write was undone, nothing stored
    is lost; reading goes on."""
