"""HTTP plumbing shared by every router: strict JSON bodies and stable operation ids."""

import json
import warnings
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.routing import APIRoute
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ContentTooLarge, UnsupportedMediaType, problem
from app.ratelimit.limiter import Verdict
from app.ratelimit.policies import STATE_KEY


class IdPathConvertor(Convertor[str]):
    """`{name:id}`: an id that may contain "/" (Starlette's `path`), and also any other
    character. `path` is `.*`, which stops at a newline, so an id holding one matched no
    route: a 404 for a route that exists instead of the 422 its validation gives."""

    regex = r"[\s\S]*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("id", IdPathConvertor())


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        twice = next(k for k, n in Counter(k for k, _ in pairs).items() if n > 1)
        raise json.JSONDecodeError(f"{DUPLICATE_KEY} {twice!r}", "", 0)
    return obj


DUPLICATE_KEY = "duplicate key"
_EXACT = json.JSONDecoder(object_pairs_hook=_unique_keys)


class OrjsonRequest(Request):
    """Parses bodies strictly: RFC 8259 (no NaN/Infinity), UTF-8 only, exact integers,
    and every key once per object.

    orjson is the gate: the standard library parser accepts NaN and Infinity, and an
    invalid UTF-8 body surfaces as a 400 instead of a 422; orjson refuses both as
    malformed JSON, which FastAPI then reports as a 422 problem. The accepted body is
    then read by the standard library with a hook that refuses a key given twice in
    one object (orjson, like most parsers, silently keeps the last: `"event_id"` twice
    stored one and acknowledged the other), and that keeps integers beyond 64 bits
    exact (orjson reads them as rounded floats), so validation can refuse them.
    Measured: 1.0 + 4.2 us for a 360-byte event, 1.2 + 3.3 ms for a 1000-event batch.
    """

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            orjson.loads(body)
            try:
                self._json = _EXACT.decode(body.decode())
            except RecursionError as exc:  # orjson accepted the depth; json may not
                raise json.JSONDecodeError("nested too deeply", "", 0) from exc
        return self._json


class StrictJSONRoute(APIRoute):
    """Routes whose bodies are JSON only (415 otherwise), parsed strictly by orjson."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        takes_body = self.body_field is not None

        beacons = self.path in BEACON_PATHS and "POST" in (self.methods or ())

        async def route_handler(request: Request) -> Response:
            # A body must be JSON: anything else is a 415, not a confusing 422.
            content_type = request.headers.get("content-type")
            if takes_body and not is_json(content_type):
                if not (beacons and is_beacon(content_type)):
                    raise UnsupportedMediaType("Send the body as application/json.")
                from app.auth.dependencies import authenticate_beacon  # (import cycle)

                await authenticate_beacon(request)  # a publishable key from its origin, or 415
                return await handler(OrjsonRequest(as_json(request.scope), request.receive))
            return await handler(OrjsonRequest(request.scope, request.receive))

        return route_handler


# navigator.sendBeacon() posts a string as `text/plain;charset=UTF-8` (a "simple"
# request: no preflight, and no way to set another type or a header).
BEACON_PATHS = frozenset({"/v1/feedback", "/v1/feedback/batch"})


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


def as_json(scope: Scope) -> Scope:
    """The same request, its body declared as application/json (after the key check)."""
    headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
    return {**scope, "headers": [*headers, (b"content-type", b"application/json")]}


def operation_id(route: APIRoute) -> str:
    """operationId = the route function's name: stable, readable, unique (a test checks)."""
    return route.name


def is_json(content_type: str | None) -> bool:
    """`application/json` or any `application/<x>+json`, parameters (charset) ignored."""
    if not content_type:
        return False
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


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
      on every answer that spent a quota: the verdict the key check left in the
      request state (app.ratelimit), 429s included.
    Outermost, so refusals answered by other middleware carry them too.
    """

    NOSNIFF = (b"x-content-type-options", b"nosniff")
    NO_STORE = (b"cache-control", b"no-store")

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

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
                verdict: Verdict | None = scope.get("state", {}).get(STATE_KEY)
                if verdict is not None:
                    fields = [
                        *added,
                        (b"ratelimit-policy", verdict.policy.header.encode()),
                        (b"ratelimit", verdict.header.encode()),
                    ]
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


def finish_openapi(document: dict[str, Any]) -> dict[str, Any]:
    """Make the generated document tell the truth where FastAPI cannot know it.

    - Errors are only ever `application/problem+json` (FastAPI adds an
      `application/json` twin for every declared model).
    - Enum components get their first value as example (every schema has one).
    - No HEAD operations: each is its GET without the body.
    """
    for operations in document.get("paths", {}).values():
        operations.pop("head", None)  # HEAD is GET without the body (`allow_head`)
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                if status.isdigit() and int(status) >= 400:
                    response.get("content", {}).pop("application/json", None)
    for schema in document.get("components", {}).get("schemas", {}).values():
        if "enum" in schema and "examples" not in schema:
            schema["examples"] = [schema["enum"][0]]
    return document


def allow_head(app: FastAPI) -> None:
    """HEAD wherever GET is (RFC 9110 §9.3.2: the same answer without its body; the
    server drops the body), as Starlette's own routes do; FastAPI's do not, so
    `HEAD /v1/feedback` was a 405. Left out of the API document (`finish_openapi`)."""
    for route in api_routes(app.routes):
        if route.methods and "GET" in route.methods:
            route.methods.add("HEAD")


def api_routes(routes: Sequence[BaseRoute]) -> Iterator[APIRoute]:
    """Every APIRoute, also inside included routers (FastAPI keeps those as wrappers
    of the original router since 0.16x)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif (router := getattr(route, "original_router", None)) is not None:
            yield from api_routes(router.routes)


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                # Each GET's HEAD twin shares its operation id; the twins are dropped
                # (`finish_openapi`) and tests/test_openapi.py checks the ids are unique.
                warnings.filterwarnings("ignore", "Duplicate Operation ID", UserWarning)
                app.openapi_schema = finish_openapi(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
