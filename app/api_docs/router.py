"""`/docs` (Swagger UI) and `/redoc`: the API's interactive documentation, served by the
service itself.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, at a floating major version,
without integrity checks. That page is where people paste their API keys (*Authorize*),
and the dashboard's remembered read key lives in the same origin's storage, so a script
from elsewhere must not run there; and a service on a closed network has no CDN. The
files come from the `fastapi-offline` package (swagger-ui-dist and ReDoc's standalone
bundle, pinned by its version), are served like the dashboard's (`app/static_files.py`:
ETag, gzip, 304) and the pages carry a Content-Security-Policy that lets only this
origin's scripts and the page's own inline script run.
"""

import base64
import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

from app.errors import NotFound
from app.static_files import Asset, answer, load

router = APIRouter(tags=["docs"], include_in_schema=False)

_FILES = Path(str(resources.files("fastapi_offline") / "static"))
ASSETS: dict[str, Asset] = {
    "swagger-ui-bundle.js": load(_FILES / "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "swagger-ui.css": load(_FILES / "swagger-ui.css", "text/css; charset=utf-8"),
    "redoc.standalone.js": load(_FILES / "redoc.standalone.js", "text/javascript; charset=utf-8"),
}
# Revalidated on every load (a 304 when unchanged): an upgrade shows at once.
CACHE_CONTROL = "no-cache"
FAVICON = "/dashboard/assets/favicon.svg"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def content_security_policy(html: str, *, workers: bool = False) -> str:
    """Only this origin's scripts, and the page's inline script by its hash; styles inline
    too (both UIs set style attributes); nothing may frame the page."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    policy = [
        "default-src 'none'",
        f"script-src 'self' {hashes}".rstrip(),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",  # the OpenAPI document, and "Try it out" against this service
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if workers:  # ReDoc's search index runs in a worker made from a blob
        policy.append("worker-src blob:")
    return "; ".join(policy)


def _page(html: str, *, workers: bool = False) -> Response:
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": content_security_policy(html, workers=workers),
            "Cache-Control": CACHE_CONTROL,
            "X-Frame-Options": "DENY",
        },
    )


@router.api_route("/docs", methods=["GET", "HEAD"])
async def swagger_ui(request: Request) -> Response:
    """Swagger UI on the service's OpenAPI document."""
    root = request.scope.get("root_path", "")
    html = get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title}: API",
        swagger_js_url=f"{root}/docs/assets/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/docs/assets/swagger-ui.css",
        swagger_favicon_url=f"{root}{FAVICON}",
        swagger_ui_parameters=request.app.swagger_ui_parameters,
    )
    return _page(bytes(html.body).decode())


@router.api_route("/redoc", methods=["GET", "HEAD"])
async def redoc(request: Request) -> Response:
    """ReDoc on the service's OpenAPI document."""
    root = request.scope.get("root_path", "")
    html = get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title}: API reference",
        redoc_js_url=f"{root}/docs/assets/redoc.standalone.js",
        redoc_favicon_url=f"{root}{FAVICON}",
        with_google_fonts=False,
    )
    return _page(bytes(html.body).decode(), workers=True)


@router.api_route("/docs/assets/{name}", methods=["GET", "HEAD"])
async def docs_asset(request: Request, name: Annotated[str, PathParam(max_length=64)]) -> Response:
    """The two UIs' scripts and style sheet."""
    asset = ASSETS.get(name)
    if asset is None:
        raise NotFound("No such documentation file.")
    return answer(request, asset, {"Cache-Control": CACHE_CONTROL})
