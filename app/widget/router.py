"""`GET /widget.js`: public, cacheable, embeddable from any origin.

Left out of the OpenAPI document: it is a static script for web pages, not an
API operation (the README's "Web widget" section documents it).
"""

from fastapi import APIRouter, Request, Response

from app.widget.asset import accepts_gzip, etag_matches, widget_asset

router = APIRouter(tags=["widget"])

MEDIA_TYPE = "text/javascript; charset=utf-8"  # RFC 9239
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
    "Vary": "Accept-Encoding",
}


@router.get("/widget.js", include_in_schema=False)
async def widget_script(request: Request) -> Response:
    """The feedback widget's script (README, "Web widget")."""
    asset = widget_asset()
    headers = {**HEADERS, "ETag": asset.etag}
    if etag_matches(request.headers.get("if-none-match"), asset.etag):
        return Response(status_code=304, headers=headers)
    if accepts_gzip(request.headers.get("accept-encoding")):
        headers["Content-Encoding"] = "gzip"
        return Response(asset.gzipped, media_type=MEDIA_TYPE, headers=headers)
    return Response(asset.body, media_type=MEDIA_TYPE, headers=headers)
