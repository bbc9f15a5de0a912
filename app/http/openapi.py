"""The OpenAPI document and the routes' methods, finished where FastAPI cannot know."""

import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

# Response header fields (OpenAPI header objects by name) that every route depending on
# a given dependency answers with.
HeadersByDependency = Mapping[Callable[..., Any], Mapping[str, Mapping[str, Any]]]


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


def depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    """Whether `call` is among the dependencies of a route (or of its dependencies)."""
    return any(d.call is call or depends_on(d, call) for d in dependant.dependencies)


def declare_headers(
    document: dict[str, Any], routes: Sequence[BaseRoute], headers: HeadersByDependency
) -> None:
    """Add `headers` to the 200 answer of every operation whose route depends on their
    dependency (FastAPI declares no response header fields of its own)."""
    for route in api_routes(routes):
        fields = {
            name: field
            for call, named in headers.items()
            if depends_on(route.dependant, call)
            for name, field in named.items()
        }
        if not fields:
            continue
        operations = document.get("paths", {}).get(route.path_format, {})
        for method in route.methods or ():
            answer = operations.get(method.lower(), {}).get("responses", {}).get("200")
            if answer is not None:
                answer["headers"] = {**answer.get("headers", {}), **fields}


def install_openapi(app: FastAPI, headers: HeadersByDependency | None = None) -> None:
    """The document, finished (`finish_openapi`), with the answers' header fields that
    come from dependencies (`declare_headers`)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                # Each GET's HEAD twin shares its operation id; the twins are dropped
                # (`finish_openapi`) and tests/test_openapi.py checks the ids are unique.
                warnings.filterwarnings("ignore", "Duplicate Operation ID", UserWarning)
                document = FastAPI.openapi(app)
            declare_headers(document, app.routes, headers or {})
            app.openapi_schema = finish_openapi(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
