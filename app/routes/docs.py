"""Interactive documentation (Swagger UI) served whole by the app: it works offline, and its
Content-Security-Policy allows this server alone ('self')."""

from pathlib import Path
from typing import Annotated, Literal

import fastapi_offline
from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from starlette.responses import HTMLResponse, Response

from app.params import NoQuery

router = APIRouter(include_in_schema=False)

# Swagger UI's script and stylesheet as the fastapi-offline package bundles them (no CDN).
ASSETS = Path(fastapi_offline.__file__).parent / "static"
MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png"}
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Returns from Russian captivity — API</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/start.js"></script>
</body>
</html>
"""
# The start-up call lives in a file of its own: an inline script would need the policy to allow it.
START = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
});
"""
HEADERS = {"Content-Security-Policy": POLICY, "Referrer-Policy": "no-referrer"}


@router.get("/docs")
async def docs(query: Annotated[NoQuery, Query()]) -> HTMLResponse:
    """Swagger UI for /openapi.json, every file of it from this server."""
    return HTMLResponse(PAGE, headers=HEADERS)


@router.get("/docs/start.js")
async def start(query: Annotated[NoQuery, Query()]) -> Response:
    """The one script of ours that the docs page runs."""
    return Response(START, media_type=MEDIA[".js"])


@router.get("/docs/assets/{name}")
async def asset(
    name: Annotated[Literal["swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"], PathParam()],
    query: Annotated[NoQuery, Query()],
) -> Response:
    """Swagger UI's bundled script, stylesheet and icon."""
    return Response((ASSETS / name).read_bytes(), media_type=MEDIA[Path(name).suffix])
