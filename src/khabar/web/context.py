"""What every route needs, held once by the app: settings, the one service, templates, signer.

The service's SQLite connection must be used from one thread, so routes and dependencies are
``async def``: they run on the event loop, never in FastAPI's thread pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from starlette.templating import Jinja2Templates

from khabar.settings import Settings
from khabar.web.auth import SessionSigner

if TYPE_CHECKING:
    from khabar.service import Khabar

__all__ = ["Context", "WebContext", "get_context"]


@dataclass(frozen=True, slots=True)
class WebContext:
    settings: Settings
    service: Khabar
    templates: Jinja2Templates
    signer: SessionSigner
    zone: tzinfo


async def get_context(request: Request) -> WebContext:
    context: WebContext = request.app.state.web
    return context


Context = Annotated[WebContext, Depends(get_context)]
