"""The dashboard's files, loaded once, each with a strong ETag (pure, no I/O after import)."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str
    etag: str  # quoted, strong


def load(name: str) -> Asset:
    body = (STATIC / name).read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return Asset(body, MEDIA_TYPES[Path(name).suffix], etag)


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an `If-None-Match` field names `etag` (RFC 9110 13.1.2: weak comparison)."""
    if not if_none_match:
        return False
    tags = [t.strip() for t in if_none_match.split(",")]
    return "*" in tags or etag in (t.removeprefix("W/") for t in tags)


PAGE = load("index.html")
# Only these names are served: nothing is looked up on disk from a request.
ASSETS = {name: load(name) for name in ("dashboard.js", "dashboard.css", "favicon.svg")}
