"""The FastAPI application: the HTML reader, the JSON API, static files, one service."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khabar.errors import KhabarError
from khabar.settings import Settings
from khabar.web.api.routes import router as api_router
from khabar.web.api.rules import router as rules_api_router
from khabar.web.apidocs import install_api_docs
from khabar.web.auth import SessionSigner
from khabar.web.context import WebContext
from khabar.web.errors import install_error_handlers
from khabar.web.feeds_routes import router as feeds_router
from khabar.web.format import reader_zone
from khabar.web.html.admin import router as admin_router
from khabar.web.html.entities import router as entities_router
from khabar.web.html.reader import router as reader_router
from khabar.web.html.render import make_templates
from khabar.web.html.rules import router as rules_router
from khabar.web.html.stories import router as stories_router
from khabar.web.images import ImageProxy, ImageSigner, install_image_proxy
from khabar.web.middleware import SecurityMiddleware
from khabar.web.security import GuessLimitMiddleware

if TYPE_CHECKING:
    from khabar.service import Khabar

__all__ = ["SERVER_TIMING", "ServerTimingMiddleware", "create_app"]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
OPENAPI_URL = "/openapi.json"

DESCRIPTION = (
    "Khabar (خبر) JSON API: followed sources, their articles and Arabic-aware search. "
    "Changes need `Authorization: Bearer <admin_token>`. Errors always have the shape "
    '`{"error": {"code", "message_ar", "message_en"}}`; datetimes are ISO 8601 UTC.'
)


SERVER_TIMING = "Server-Timing"


class ServerTimingMiddleware:
    """Adds ``Server-Timing: app;dur=<ms>`` (W3C Server Timing): the milliseconds from the
    request reaching the app to its response headers. Pages and API answers are rendered
    whole before their headers go out, so this is the server's own render time, without the
    time a request waited in the socket or the event loop before it (``bench/web_load.py``
    reports both)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - started) * 1000
                MutableHeaders(scope=message).append(SERVER_TIMING, f"app;dur={ms:.2f}")
            await send(message)

        await self.app(scope, receive, send_timed)


async def _finished(task: asyncio.Task[int]) -> None:
    """Wait for ``task`` at shutdown; its failure was the index's, not the server's: logged."""
    try:
        await task
    except KhabarError as exc:
        log.warning("the search index was not brought up to date: %s", exc)


def create_app(settings: Settings, service: Khabar | None = None) -> FastAPI:
    """Build the app around one service; a service made here is closed on shutdown."""
    owned = service is None
    if service is None:
        from khabar.service import Khabar

        service = Khabar(settings)
    the_service = service
    images = ImageProxy(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Catch the search index up (a new or deleted one is rebuilt from the database) in
        # a worker thread while the first pages are already served.
        catching_up = asyncio.create_task(asyncio.to_thread(the_service.storage.search.update))
        async with images.running():
            yield
        await _finished(catching_up)
        if owned:
            the_service.close()

    app = FastAPI(
        title="Khabar",
        version="1",
        description=DESCRIPTION,
        docs_url=None,  # served by install_api_docs, without a CDN or inline script
        redoc_url=None,
        openapi_url=OPENAPI_URL,
        lifespan=lifespan,
    )
    zone = reader_zone(settings.timezone)
    templates = make_templates(zone)
    image_signer = ImageSigner.for_settings(settings)
    image_signer.install(templates)
    app.state.web = WebContext(
        settings=settings,
        service=the_service,
        templates=templates,
        signer=SessionSigner(settings.admin_token),
        zone=zone,
    )
    app.add_middleware(SecurityMiddleware)
    app.add_middleware(GuessLimitMiddleware)  # its header reaches even the 500s
    app.add_middleware(ServerTimingMiddleware)  # outermost: times everything inside it
    install_error_handlers(app)
    app.include_router(api_router)
    app.include_router(rules_api_router)
    app.include_router(admin_router)
    app.include_router(feeds_router)
    app.include_router(reader_router)
    app.include_router(stories_router)
    app.include_router(entities_router)
    app.include_router(rules_router)
    install_api_docs(app, OPENAPI_URL)
    install_image_proxy(app, image_signer, images)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
