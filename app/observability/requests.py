"""The request middleware: a request id, the request metrics and the access line.

Pure ASGI and one wrapper for all three, since every request pays for it,
ingest's included (docs/benchmarks.md, "Observability").
"""

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem
from app.logs import REQUEST_ID
from app.observability.prometheus import UNMATCHED, RequestMetrics

access = logging.getLogger("feedback.access")

HEADER = b"x-request-id"
# A client's id is taken as it is only if it cannot garble a log line or a header:
# short, and letters, digits and `-_.:` only. Anything else gets a fresh id.
SAFE_ID = re.compile(rb"[A-Za-z0-9._:\-]{1,64}")


def request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == HEADER:
            if SAFE_ID.fullmatch(value):
                given: str = value.decode("ascii")
                return given
            break
    return uuid.uuid4().hex


_CONVERTOR = re.compile(r":[^}]+}")


def template_of(path: str) -> str:
    """`/v1/feedback/{event_id:id}` -> `/v1/feedback/{event_id}`, as the API document."""
    return _CONVERTOR.sub("}", path)


def documented_routes(document: dict[str, Any]) -> list[tuple[re.Pattern[str], str]]:
    """The API document's paths as patterns, those with fewer parameters first (so
    `/v1/feedback/batch` wins over `/v1/feedback/{event_id}`)."""
    paths = sorted(document.get("paths", {}), key=lambda p: (p.count("{"), p))
    return [
        (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(p)) + "$"), p) for p in paths
    ]


class Observe:
    """Outermost but for Starlette's error middleware: every answer, refusals by other
    middleware included, carries `X-Request-ID`, is counted and (if on) logged.

    An unexpected exception is answered here (500 problem+json, with the id) and
    raised on, so the error handler still logs it; the request id stays bound while
    it does (it is not reset on that path; each request runs in its own task).
    """

    def __init__(self, app: ASGIApp, *, access_log: bool) -> None:
        self.app = app
        self.access_log = access_log
        self.metrics = RequestMetrics()
        self.documented: list[tuple[re.Pattern[str], str]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id(scope)
        token = REQUEST_ID.set(rid)
        field = (HEADER, rid.encode("ascii"))
        status = 500
        answered = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
                message["headers"] = [*message.get("headers", ()), field]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            if not answered:
                await problem(500, "Internal server error", slug="internal")(
                    scope, receive, send_with_id
                )
            self.done(scope, status, started)
            raise
        self.done(scope, status, started)
        REQUEST_ID.reset(token)

    def route(self, scope: Scope) -> str:
        """The matched route's template; for a request answered before routing (a 413 of
        the body limit), the documented route it would have reached; `unmatched` for
        any unknown path."""
        route = getattr(scope.get("route"), "path", None)
        if isinstance(route, str):
            return template_of(route)
        if self.documented is None:
            app = scope.get("app")
            self.documented = documented_routes(app.openapi()) if app is not None else []
        path = scope["path"]
        return next((label for pattern, label in self.documented if pattern.match(path)), UNMATCHED)

    def done(self, scope: Scope, status: int, started: float) -> None:
        seconds = time.perf_counter() - started
        route = self.route(scope)
        self.metrics.observe(scope["method"], route, status, seconds)
        if self.access_log:
            access.info(
                "%s %s %d",
                scope["method"],
                route,
                status,
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )
