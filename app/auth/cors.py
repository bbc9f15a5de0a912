"""CORS for publishable keys: only the origins a key names may post from a browser.

Preflights carry no key, so they are answered for any origin that some active
publishable key allows; the real request is then checked against its own key
(app.auth.dependencies), which sets `cors_origin` on the request state when
the origin is allowed. Only then does a success carry CORS headers; refusals on
the ingest paths carry them for any origin (they hold no data, and a page's
script must be able to tell a refusal from a network failure).
"""

import asyncpg
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.auth import service
from app.db import Database
from app.errors import ServiceUnavailable, problem

ALLOW_HEADERS = "authorization, content-type, x-api-key"
MAX_AGE = "600"
EXPOSE_HEADERS = "RateLimit, RateLimit-Policy, Retry-After"


class PublishableKeyCORS:
    def __init__(self, app: ASGIApp, paths: frozenset[str]) -> None:
        self.app = app
        self.paths = paths  # the ingest paths (app.ingest.router.INGEST_PATHS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(scope, receive, send, origin)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers.add_vary_header("Origin")
                if scope.get("state", {}).get("cors_origin") == origin or (
                    # A refusal on an ingest path is readable by any page: it holds no
                    # data, and a widget with a wrong key or origin must see the 401 or
                    # 403 and stop, not take it for a network failure and retry forever.
                    scope["path"] in self.paths and message["status"] >= 400
                ):
                    response_headers["Access-Control-Allow-Origin"] = origin
                    # Let the widget's script see its quota and when to retry.
                    response_headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, scope: Scope, receive: Receive, send: Send, origin: str) -> None:
        db: Database = scope["app"].state.db
        allowed = scope["path"] in self.paths
        response: Response
        try:
            if allowed:
                async with db.connection() as conn:
                    allowed = await service.origin_is_allowed(conn, origin.lower())
        except (
            ServiceUnavailable,  # refused, lost, busy pool or too slow (`Database.connection`)
            asyncpg.PostgresError,
            asyncpg.InterfaceError,
            OSError,
            TimeoutError,
        ):
            # Outside the routes' error handlers: answer the outage here, as they would.
            response = problem(
                503, "Service temporarily unavailable", slug="unavailable",
                detail="The database is not answering; retry shortly.",
                headers={"Retry-After": "1"},
            )  # fmt: skip
            await response(scope, receive, send)
            return
        if allowed:
            response = Response(
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": "POST",
                    "Access-Control-Allow-Headers": ALLOW_HEADERS,
                    "Access-Control-Max-Age": MAX_AGE,
                    "Vary": "Origin",
                },
            )
        else:
            response = problem(
                403,
                "Origin not allowed",
                slug="cors-origin",
                detail="No publishable key accepts this origin on this path.",
                headers={"Vary": "Origin"},
            )
        await response(scope, receive, send)
