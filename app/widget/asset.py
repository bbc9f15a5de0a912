"""The widget's script as served: its bytes, gzip twin and validator (pure, no I/O but the read)."""

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).with_name("widget.js")


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes
    etag: str  # strong: the same bytes give the same tag on every replica and deploy


def make_asset(body: bytes) -> Asset:
    digest = hashlib.sha256(body).hexdigest()[:20]
    # mtime=0: the same bytes compress to the same bytes (a stable Content-Length).
    return Asset(body, gzip.compress(body, compresslevel=9, mtime=0), f'"{digest}"')


@cache
def widget_asset() -> Asset:
    """Read once per process: the file ships inside the package."""
    return make_asset(SOURCE.read_bytes())


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
