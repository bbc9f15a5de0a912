"""ASGI middleware of the HTTP edge: body size limits and the fields every answer gets."""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ContentTooLarge, problem

# Header fields taken from the request state (e.g. the rate-limit verdict's).
StateFields = Callable[[Mapping[str, Any]], list[tuple[bytes, bytes]]]


class BodyLimit:
    """Refuses bodies over the route's limit with 413 before they are parsed.

    A declared Content-Length over the limit is answered at once, without
    reading the body; a chunked body is counted as it streams in and stopped
    at the limit (raised as an HTTPException, which FastAPI passes through
    to the problem+json handler).
    """

    def __init__(self, app: ASGIApp, default_limit: int, limits: dict[str, int]) -> None:
        self.app = app
        self.default_limit = default_limit
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default_limit)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_large(limit)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(413, f"The body is larger than {limit} bytes.")
            return message

        await self.app(scope, counting_receive, send)


class ResponseHeaders:
    """Fields added to answers, in one pass over the response start:

    - `X-Content-Type-Options: nosniff` on every answer: a browser must not
      guess a type, e.g. run a comment in an export as script;
    - `Cache-Control: no-store` on `/v1`: answers hold personal data and,
      once, secret tokens; no browser or proxy may keep them (the docs pages and
      health checks keep their own caching);
    - `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers)
      on every answer that spent a quota, 429s included, and the `Feedback-*`
      fields of an answer read on a replica or the primary: `state_fields` read them
      from the request state (app.ratelimit.headers, app.replica; wired by app.main).
    Outermost, so refusals answered by other middleware carry them too.
    """

    NOSNIFF = (b"x-content-type-options", b"nosniff")
    NO_STORE = (b"cache-control", b"no-store")

    def __init__(self, app: ASGIApp, state_fields: Sequence[StateFields] = ()) -> None:
        self.app = app
        self.state_fields = tuple(state_fields)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = [self.NOSNIFF]
        if scope["path"].startswith("/v1/"):
            added.append(self.NO_STORE)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                fields = added
                if self.state_fields:
                    state = scope.get("state", {})
                    fields = [*added, *(f for read in self.state_fields for f in read(state))]
                message["headers"] = [*message.get("headers", ()), *fields]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def too_large(limit: int) -> Response:
    return problem(
        413,
        ContentTooLarge.title,
        slug=ContentTooLarge.slug,
        detail=f"The body is larger than {limit} bytes.",
    )
