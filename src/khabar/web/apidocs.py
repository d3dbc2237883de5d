"""The interactive API documentation (Swagger UI) served from Khabar itself.

FastAPI's default page loads Swagger UI from a CDN and starts it with an inline script, which
forces ``script-src 'unsafe-inline'`` and a foreign origin into the page's policy. Here the UI's
files come from the pinned ``swagger-ui-py`` package (Swagger UI 5, which reads OpenAPI 3.1)
and the start-up code is a file of its own, so ``/api/docs`` has the same strict
Content-Security-Policy as every other page.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response

from khabar.errors import NotFoundError

__all__ = ["ASSETS", "install_api_docs"]

ASSETS = "/api/docs/assets"
_FILES = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}

_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Khabar API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/api/docs/start.js"></script>
</body></html>
"""

_START = """window.ui = SwaggerUIBundle({
  url: "%s",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
});
"""


def install_api_docs(app: FastAPI, openapi_url: str) -> None:
    """Serve the docs page at ``/api/docs``, its start-up script and the UI's files."""
    router = APIRouter(include_in_schema=False)

    @router.get("/api/docs")
    async def api_docs() -> HTMLResponse:
        return HTMLResponse(_PAGE)

    @router.get("/api/docs/start.js")
    async def api_docs_start() -> Response:
        return Response(_START % openapi_url, media_type="text/javascript")

    @router.get(ASSETS + "/{name}")
    async def api_docs_asset(name: str) -> FileResponse:
        if name not in _FILES:
            raise NotFoundError(f"no API docs file {name!r}")
        path = resources.files("swagger_ui").joinpath("static", name)
        return FileResponse(str(path), media_type=_FILES[name])

    app.include_router(router)
