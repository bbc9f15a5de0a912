"""Every error the service answers is RFC 9457 `application/problem+json`.

Routes raise `AppError` subclasses; FastAPI's own errors (validation, 404,
405, body limits) and database outages are translated here too, so no client
ever sees another error format, and nothing a client sends can produce a 500.
"""

import logging
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

import asyncpg
import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from prometheus_client import Counter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.logs import redacted

log = logging.getLogger(__name__)

# Counted where a wait for a free pooled connection ends in a 503: in
# `app.db.Database.connection`, and here for a pool wait that reached the handler another
# way; served with the rest of the service's metrics (app.observability.prometheus).
POOL_TIMEOUTS = Counter(
    "feedback_db_pool_timeouts",
    "Requests that waited FEEDBACK_DB_POOL_TIMEOUT for a free connection in vain (a 503).",
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:feedback:problem:"


class FieldError(BaseModel):
    """One problem with one field of the request."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pointer": "#/nps",
                    "loc": ["body", "nps"],
                    "type": "less_than_equal",
                    "message": "Input should be less than or equal to 10",
                }
            ]
        }
    )

    pointer: str = Field(description="RFC 6901 JSON Pointer into the request body, or '' ")
    loc: list[str | int] = Field(description="Where the problem is: body, query, header, path.")
    type: str = Field(description="Machine-readable error code.")
    message: str = Field(description="What is wrong, for a human.")


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:feedback:problem:validation",
                    "title": "Request is not valid",
                    "status": 422,
                    "detail": "1 field is not valid.",
                    "errors": [
                        {
                            "pointer": "#/nps",
                            "loc": ["body", "nps"],
                            "type": "less_than_equal",
                            "message": "Input should be less than or equal to 10",
                        }
                    ],
                }
            ]
        }
    )

    type: str = Field(default="about:blank", description="URI naming the kind of problem.")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str | None = Field(default=None, description="What happened in this case.")
    errors: list[FieldError] | None = Field(
        default=None, description="Field-level problems (validation errors only)."
    )


class ProblemResponse(Response):
    media_type = PROBLEM_MEDIA_TYPE

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class AppError(Exception):
    """Base of the errors routes and services raise on purpose."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: dict[str, str] | None = None,
        errors: Sequence[FieldError] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.headers = headers or {}
        self.errors = list(errors) if errors else None


class Unauthorized(AppError):
    status, slug, title = 401, "unauthorized", "Missing or invalid API key"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="feedback"'})


class Forbidden(AppError):
    status, slug, title = 403, "forbidden", "Not allowed for this API key"


class KeyInUrl(AppError):
    status, slug, title = 403, "key-in-url", "Secret keys must not be sent in a URL"


class NotFound(AppError):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(AppError):
    status, slug, title = 409, "conflict", "Conflicts with the stored state"


class Gone(AppError):
    status, slug, title = 410, "erased", "Erased"


class ContentTooLarge(AppError):
    status, slug, title = 413, "content-too-large", "Request body too large"


class UnsupportedMediaType(AppError):
    status, slug, title = 415, "unsupported-media-type", "Unsupported content type"


class ValidationFailed(AppError):
    status, slug, title = 422, "validation", "Request is not valid"


class TooManyRequests(AppError):
    status, slug, title = 429, "rate-limited", "Too many requests"

    def __init__(self, detail: str | None = None, retry_after: int = 1) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


# SQLSTATE classes and codes after which the same request may well succeed shortly:
# 08 connection exception, 40 serialization failure / deadlock, 53 too many connections
# (and other resource shortages), 57 operator intervention (statement timeout 57014,
# shutdown 57P01/57P02, starting up 57P03), 55P03 lock timeout.
TRANSIENT_SQLSTATE_CLASSES = ("08", "40", "53", "57")
TRANSIENT_SQLSTATES = ("55P03",)


def transient_sqlstate(sqlstate: object) -> bool:
    """Whether an error with this SQLSTATE is the database's state, not the request's fault."""
    return isinstance(sqlstate, str) and (
        sqlstate[:2] in TRANSIENT_SQLSTATE_CLASSES or sqlstate in TRANSIENT_SQLSTATES
    )


class ServiceUnavailable(AppError):
    status, slug, title = 503, "unavailable", "Service temporarily unavailable"

    def __init__(self, detail: str | None = None, retry_after: int = 1) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


def problem(
    status: int,
    title: str,
    *,
    slug: str | None = None,
    detail: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> ProblemResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_PREFIX + slug if slug else "about:blank",
        "title": title,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = [e.model_dump() for e in errors]
    return ProblemResponse(body, status_code=status, headers=headers)


def json_pointer(loc: Iterable[str | int]) -> str:
    """`("body", "servqual", "empathy")` -> `#/servqual/empathy` (RFC 6901 escaping)."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    else:
        return ""
    # Pydantic marks a problem with a mapping's key by a trailing "[key]": the pointer
    # names the member itself.
    parts = [p for p in parts if p != "[key]"]
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "#/" + "/".join(escaped) if parts else "#"


def field_errors(raw: Sequence[Any]) -> list[FieldError]:
    """Pydantic/FastAPI error dicts -> FieldError, without echoing the input back."""
    out = []
    for err in raw:
        loc = [p if isinstance(p, int) else str(p) for p in err.get("loc", ())]
        out.append(
            FieldError(
                pointer=json_pointer(loc),
                loc=loc,
                type=str(err.get("type", "invalid")),
                message=str(
                    err.get("ctx", {}).get("error", err.get("msg"))
                    if err.get("type") == "json_invalid"
                    else err.get("msg", "invalid")
                ),
            )
        )
    return out


def _validation_problem(errors: list[FieldError]) -> ProblemResponse:
    if any(e.type == "json_invalid" for e in errors):
        why = next(e.message for e in errors if e.type == "json_invalid")
        detail = "The body is not valid JSON."
        if why.startswith("duplicate key"):  # app.http.routes.DUPLICATE_KEY
            key = why.removeprefix("duplicate key").strip()
            detail = f"The body is not valid JSON here: the key {key} appears twice in one object."
        return problem(422, "Malformed JSON", slug="malformed-json", detail=detail)
    detail = f"{len(errors)} field{'s' if len(errors) != 1 else ''} not valid."
    return problem(422, ValidationFailed.title, slug="validation", detail=detail, errors=errors)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at this path: a 405's `Allow` (Starlette names
    only those of the first route whose path matches; `/v1/feedback` has two)."""
    return [
        method
        for method in ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]


_STATUS_SLUGS = {404: "not-found", 405: "method-not-allowed", 413: "content-too-large"}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def app_error(_: Request, exc: AppError) -> Response:
        return problem(
            exc.status,
            exc.title,
            slug=exc.slug,
            detail=exc.detail,
            errors=exc.errors,
            headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> Response:
        return _validation_problem(field_errors(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        from http import HTTPStatus

        title = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
        return problem(
            exc.status_code,
            title,
            slug=_STATUS_SLUGS.get(exc.status_code),
            detail=detail,
            headers=headers or None,
        )

    async def database_unavailable(_: Request, exc: Exception) -> Response:
        # Connection refused, server restarting, pool exhausted: the client should retry.
        log.warning("database unavailable: %s", type(exc).__name__)
        if isinstance(exc, sa_exc.TimeoutError):  # a pool wait outside Database.connection
            POOL_TIMEOUTS.inc()
        return problem(
            503,
            ServiceUnavailable.title,
            slug=ServiceUnavailable.slug,
            detail="The database is not answering; retry shortly.",
            headers={"Retry-After": "1"},
        )

    for exc_type in (sa_exc.TimeoutError, sa_exc.InterfaceError, sa_exc.OperationalError):
        app.add_exception_handler(exc_type, database_unavailable)
    app.add_exception_handler(ConnectionError, database_unavailable)  # refused, reset
    app.add_exception_handler(TimeoutError, database_unavailable)  # connect timeout
    app.add_exception_handler(asyncpg.InterfaceError, database_unavailable)  # connection gone

    @app.exception_handler(asyncpg.PostgresError)
    async def postgres_error(request: Request, exc: asyncpg.PostgresError) -> Response:
        # Hot-path statements run on plain asyncpg connections: same rule as below.
        if transient_sqlstate(exc.sqlstate):
            return await database_unavailable(request, exc)
        return await internal_error(request, exc)

    @app.exception_handler(sa_exc.DBAPIError)
    async def dbapi_error(request: Request, exc: sa_exc.DBAPIError) -> Response:
        # Lost connection, server starting or stopping, statement or lock timeout,
        # serialization failure or deadlock: safe to retry.
        sqlstate = getattr(exc.orig, "sqlstate", None)
        if exc.connection_invalidated or transient_sqlstate(sqlstate):
            return await database_unavailable(request, exc)
        return await internal_error(request, exc)

    @app.exception_handler(Exception)
    async def internal_error(_: Request, exc: Exception) -> Response:
        log.error("unhandled error: %s", redacted(exc))
        return problem(500, "Internal server error", slug="internal")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entry declaring the problem+json errors a route can answer."""
    descriptions = {
        400: "Bad request",
        401: "Missing, malformed, unknown or revoked API key",
        403: "The key's scope or location does not allow this",
        404: "Not found",
        409: "Conflicts with stored state (e.g. same event_id, different body)",
        410: "The event_id's event was erased at its respondent's request; it is never "
        "stored again (do not retry)",
        413: "Body larger than the route's limit",
        415: "Content-Type is not application/json",
        422: "Malformed JSON or invalid fields; `errors` lists each problem",
        429: "Rate limit reached (see `RateLimit`); retry after `Retry-After` seconds",
        503: "Database unavailable; retry after `Retry-After` seconds",
    }
    if 401 in statuses:
        # Every route that checks a key also counts requests per key and failed checks per
        # client address (app.ratelimit): each can answer 429.
        statuses = tuple(sorted({*statuses, 429}))
    return {
        status: {
            "model": Problem,
            "description": descriptions.get(status, "Error"),
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
