"""Interactive documentation (Swagger UI) under a strict Content-Security-Policy."""

import base64
import hashlib
import re

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

# Swagger UI's script and stylesheet come from this CDN (FastAPI's default); the page's own inline
# script is allowed by its hash, so no other inline script can run.
CDN = "https://cdn.jsdelivr.net"


def _page() -> tuple[bytes, str]:
    html = get_swagger_ui_html(openapi_url="/openapi.json", title="Returns from Russian captivity — API").body
    inline = re.search(rb"<script>(.*?)</script>", bytes(html), re.DOTALL)
    assert inline is not None
    digest = base64.b64encode(hashlib.sha256(inline.group(1)).digest()).decode()
    policy = (
        f"default-src 'none'; script-src {CDN} 'sha256-{digest}'; style-src {CDN} 'unsafe-inline'; "
        "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
    return bytes(html), policy


PAGE, POLICY = _page()


@router.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI for /openapi.json."""
    return HTMLResponse(PAGE, headers={"Content-Security-Policy": POLICY, "Referrer-Policy": "no-referrer"})
