"""Ingest routes that also take `navigator.sendBeacon()` bodies.

sendBeacon posts a string as `text/plain;charset=UTF-8` (a "simple" request: no
preflight, and no way to set another type or a header). Such a body is admitted
only from a publishable key posting from one of its origins, then read as JSON;
from anyone else it stays a 415.
"""

from fastapi import Request

from app.auth.dependencies import authenticate_beacon
from app.http.routes import StrictJSONRoute, as_json


class BeaconRoute(StrictJSONRoute):
    def admits_other(self, content_type: str | None) -> bool:
        return "POST" in (self.methods or ()) and is_beacon(content_type)

    async def admit_other(self, request: Request) -> Request:
        await authenticate_beacon(request)  # a publishable key from its origin, or 415
        return Request(as_json(request.scope), request.receive)


def is_beacon(content_type: str | None) -> bool:
    """`text/plain`, in UTF-8 (or no charset named, which sendBeacon never does)."""
    if not content_type:
        return False
    media_type, _, parameters = content_type.partition(";")
    if media_type.strip().lower() != "text/plain":
        return False
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
            "utf-8",
            "utf8",
        ):
            return False
    return True
