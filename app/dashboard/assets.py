"""The dashboard's files, loaded once at import (app/static_files.py: ETags, gzip)."""

from pathlib import Path

from app import static_files
from app.static_files import Asset

STATIC = Path(__file__).resolve().parent / "static"

# The page may load its own files and call its own origin's API, nothing else: no
# inline script or style, no other origin, no plugins, no framing (clickjacking),
# no form posting anywhere (the key form is handled by the script).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Revalidated on every load (a cheap 304 thanks to the ETag), so an upgrade of the
# service is seen at once and no versioned file names are needed.
CACHE_CONTROL = "no-cache"

MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}


def load(name: str) -> Asset:
    return static_files.load(STATIC / name, MEDIA_TYPES[Path(name).suffix])


PAGE = load("index.html")
# Only these names are served: nothing is looked up on disk from a request.
ASSETS = {name: load(name) for name in ("dashboard.js", "dashboard.css", "favicon.svg")}
