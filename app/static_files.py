"""Files the service serves as they are (the widget's script, the dashboard's page and
assets): read once, with a strong ETag, a gzip twin, and conditional answers.

Pure but for the read at load time: nothing on disk is looked up from a request.
"""

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request, Response


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes
    media_type: str
    etag: str  # strong: the same bytes give the same tag on every replica and deploy

    @property
    def gzip_etag(self) -> str:
        """The gzip twin's own tag: a strong tag names one sequence of bytes (RFC 9110
        §8.8.1), and a cache must not take one encoding for the other."""
        return f'{self.etag[:-1]}-gz"'


def make_asset(body: bytes, media_type: str) -> Asset:
    digest = hashlib.sha256(body).hexdigest()[:20]
    # mtime=0: the same bytes compress to the same bytes (a stable Content-Length).
    gzipped = gzip.compress(body, compresslevel=9, mtime=0)
    return Asset(body, gzipped, media_type, f'"{digest}"')


def load(path: Path, media_type: str) -> Asset:
    return make_asset(path.read_bytes(), media_type)


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: does If-None-Match name this entity tag (weak comparison)?"""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(
        candidate.strip().removeprefix("W/") == opaque for candidate in if_none_match.split(",")
    )


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether Accept-Encoding allows gzip: named (or `*`) with a q-value above 0."""
    if not accept_encoding:
        return False
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, *params = item.split(";")
        weights[coding.strip().lower()] = _quality(params)
    return weights.get("gzip", weights.get("*", 0.0)) > 0


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 1.0


def answer(request: Request, asset: Asset, headers: dict[str, str]) -> Response:
    """200 with the asset (gzipped when accepted), or 304 when the client has it; HEAD alike."""
    gzipped = accepts_gzip(request.headers.get("accept-encoding"))
    etag = asset.gzip_etag if gzipped else asset.etag
    headers = {**headers, "ETag": etag, "Vary": "Accept-Encoding"}
    if_none_match = request.headers.get("if-none-match")
    if etag_matches(if_none_match, asset.etag) or etag_matches(if_none_match, asset.gzip_etag):
        # Either copy the client holds is the current content: it may keep it.
        return Response(status_code=304, headers=headers)
    body = asset.body
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        body = asset.gzipped
    if request.method == "HEAD":  # what GET would answer, without the body (RFC 9110 §9.3.2)
        headers["Content-Length"] = str(len(body))
        body = b""
    return Response(body, media_type=asset.media_type, headers=headers)
