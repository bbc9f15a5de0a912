"""Every dependency of every route is a coroutine function.

FastAPI runs a plain `def` dependency in a thread pool: a thread hand-off per call,
about 100 µs of worker CPU on this machine. Two such one-line dependencies (the
settings and the writer) once took single-event ingest from 406 to 700 µs of worker
CPU per request (`./scripts/bench`, issue 17); this keeps them out.
"""

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant

from app.http.openapi import api_routes
from app.main import create_app


def _calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def test_every_dependency_is_async() -> None:
    app = create_app()
    checked, blocking = 0, []
    for route in api_routes(app.routes):
        for call in _calls(route.dependant):
            checked += 1
            target = call if inspect.isfunction(call) else getattr(call, "__call__", call)  # noqa: B004
            if not (inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)):
                blocking.append(f"{route.path}: {getattr(call, '__qualname__', call)}")
    assert checked > 100
    assert blocking == []
