"""`GET /widget.js`: public, cacheable, embeddable from any origin.

Left out of the OpenAPI document: it is a static script for web pages, not an
API operation (the README's "Web widget" section documents it).
"""

from fastapi import APIRouter, Request, Response

from app.static_files import answer
from app.widget.asset import widget_asset

router = APIRouter(tags=["widget"])

# An hour fresh, then revalidated with If-None-Match (a 304 of a few bytes); a
# cache may serve the old copy for a day while it revalidates. A new version
# reaches every visitor within the hour without a changed URL in the embed code.
CACHE_CONTROL = "public, max-age=3600, stale-while-revalidate=86400"
HEADERS = {
    "Cache-Control": CACHE_CONTROL,
    # Pages that isolate themselves (Cross-Origin-Embedder-Policy) may load it...
    "Cross-Origin-Resource-Policy": "cross-origin",
    # ...and <script crossorigin integrity=...> may check it: public, no credentials.
    "Access-Control-Allow-Origin": "*",
}


@router.api_route("/widget.js", methods=["GET", "HEAD"], include_in_schema=False)
async def widget_script(request: Request) -> Response:
    """The feedback widget's script (README, "Web widget")."""
    return answer(request, widget_asset(), HEADERS)
