"""The image proxy: outlets' images reach the reader through Khabar, never straight from them.

An ``<img src="https://outlet/…">`` would tell the outlet (and every tracker it embeds) who
reads what and when. Pages therefore only load images from Khabar itself (CSP ``img-src
'self' data:``): templates turn each image URL into ``/img?u=<url>&s=<signature>``.

* The signature is an HMAC of the URL with the server's key, so ``/img`` is not an open proxy:
  only URLs that Khabar itself put in a page are fetched (a wrong signature is a 403).
* The image is fetched by Khabar's own fetcher: SSRF guard on every hop and at connect time,
  timeouts, an overall deadline and a size cap (``IMAGE_MAX_BYTES``).
* Only ``image/*`` answers are passed on, never SVG (it can carry script); anything else, and
  every failure, is a small 404 placeholder. Good answers are cached by the browser for a week.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from markupsafe import Markup
from starlette.templating import Jinja2Templates

from khabar.errors import KhabarError
from khabar.fetch.client import Fetcher
from khabar.settings import Settings
from khabar.types import FetchRequest
from khabar.web.problems import Problem, WebError

__all__ = [
    "IMAGE_MAX_BYTES",
    "PLACEHOLDER",
    "ImageProxy",
    "ImageSigner",
    "install_image_proxy",
]

log = logging.getLogger(__name__)

IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_DEADLINE = 15.0  # seconds one image may take at most
CACHE_GOOD = "public, max-age=604800"
CACHE_BAD = "public, max-age=300"
REFUSED_TYPES = frozenset({"image/svg+xml"})
# A 1×1 transparent GIF.
PLACEHOLDER = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
BAD_SIGNATURE = Problem(
    403, "bad_signature", "رابط الصورة غير صالح.", "The image link's signature is not valid."
)
_IMG_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")([^"]*)(")', re.IGNORECASE)


class ImageSigner:
    """Turns image URLs into signed ``/img`` links and checks those signatures."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @classmethod
    def for_settings(cls, settings: Settings) -> ImageSigner:
        """Keyed by the admin token when there is one (links survive restarts), else by a
        random key for this process."""
        token = settings.admin_token
        if token:
            key = hmac.new(token.encode(), b"khabar-image-proxy-v1", hashlib.sha256).digest()
            return cls(key)
        return cls(secrets.token_bytes(32))

    def sign(self, url: str) -> str:
        digest = hmac.new(self._key, url.encode("utf-8"), hashlib.sha256).digest()[:18]
        return base64.urlsafe_b64encode(digest).decode("ascii")

    def valid(self, url: str, signature: str) -> bool:
        return hmac.compare_digest(self.sign(url), signature)

    def link(self, url: str | None) -> str:
        """``/img?…`` for an http(s) URL; an empty string (no image) for anything else."""
        text = (url or "").strip()
        if not text.lower().startswith(("http://", "https://")):
            return ""
        return "/img?" + urlencode({"u": text, "s": self.sign(text)})

    def rewrite_html(self, html: str | None) -> Markup:
        """Sanitized article HTML with every ``<img src>`` pointing at the proxy."""

        def proxied(match: re.Match[str]) -> str:
            original = Markup(match.group(2)).unescape()
            link = Markup.escape(self.link(original))
            return f"{match.group(1)}{link}{match.group(3)}"

        return Markup(_IMG_SRC.sub(proxied, html or ""))  # the HTML was sanitized when stored

    def install(self, templates: Jinja2Templates) -> None:
        """``image_url(url)`` and ``html | proxy_images`` for the templates."""
        templates.env.globals["image_url"] = self.link
        templates.env.filters["proxy_images"] = self.rewrite_html


@dataclass
class ImageProxy:
    """Fetches images for ``/img`` with one fetcher kept open while the app runs."""

    settings: Settings
    fetcher: Fetcher | None = None

    def fetch_settings(self) -> Settings:
        return self.settings.replace(
            max_body_bytes=min(self.settings.max_body_bytes, IMAGE_MAX_BYTES),
            fetch_deadline=min(self.settings.fetch_deadline, IMAGE_DEADLINE),
            per_host_delay=0.0,  # a reader's page asks for its images at once, as a browser would
        )

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with Fetcher(self.fetch_settings()) as fetcher:
            self.fetcher = fetcher
            try:
                yield
            finally:
                self.fetcher = None

    async def answer(self, url: str) -> Response:
        if self.fetcher is None:
            return _placeholder()
        try:
            found = await self.fetcher.fetch(FetchRequest(url, purpose="discovery"))
        except KhabarError as exc:
            log.info("image not proxied: %s", exc)
            return _placeholder()
        kind = found.content_type
        if not kind.startswith("image/") or kind in REFUSED_TYPES or not found.body:
            log.info("image not proxied: %s is %r", url, kind)
            return _placeholder()
        headers = {"Cache-Control": CACHE_GOOD, "Content-Disposition": "inline"}
        return Response(found.body, media_type=kind, headers=headers)


def _placeholder() -> Response:
    return Response(
        PLACEHOLDER, status_code=404, media_type="image/gif", headers={"Cache-Control": CACHE_BAD}
    )


def install_image_proxy(app: FastAPI, signer: ImageSigner, proxy: ImageProxy) -> None:
    """Serve ``GET /img?u=<url>&s=<signature>``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/img")
    async def image(request: Request, u: str = "", s: str = "") -> Response:
        if not u or not signer.valid(u, s):
            raise WebError(BAD_SIGNATURE)
        return await proxy.answer(u)

    app.include_router(router)
