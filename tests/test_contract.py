"""Contract fuzzing: Schemathesis against the app's own OpenAPI document, every operation.

The service runs for real (uvicorn on 127.0.0.1, its own database copied from the
migrated template); each generated request is sent once with a key of every scope.
Checked on every answer: no 5xx, the status code, content type and body are ones
the document declares for the operation, and every error is problem+json.
Bounded (`EXAMPLES` per operation) so the suite stays fast.
"""

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.cli import with_session
from app.db import libpq_url
from app.main import create_app
from app.settings import Settings

EXAMPLES = 10
SCHEMA = schemathesis.openapi.from_path(Path(__file__).parents[1] / "openapi" / "openapi.json")


class Server:
    def __init__(self, base_url: str, keys: dict[str, str]) -> None:
        self.base_url = base_url
        self.keys = keys


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(fresh_database: Callable[[], Coroutine[Any, Any, URL]]) -> Iterator[Server]:
    url = asyncio.run(fresh_database())
    settings_ = Settings(
        database_url=libpq_url(url), rollup_interval_seconds=0, webhooks_interval_seconds=0
    )

    async def make_keys(session: AsyncSession) -> dict[str, str]:
        keys = {}
        for scope in Scope:
            spec = KeyCreate(name=f"contract {scope.value}", scope=scope)
            keys[scope.value] = (await key_service.create_key(session, spec))[1]
        return keys

    keys = asyncio.run(with_session(url, settings_, make_keys))
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings_), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the service did not start")
        time.sleep(0.05)
    yield Server(base, keys)
    uv.should_exit = True
    thread.join(timeout=20)


CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


@SCHEMA.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case: schemathesis.Case[Any], server: Server) -> None:
    session = requests.Session()
    for scope, key in server.keys.items():
        headers: dict[str, Any] = dict(case.headers or {})
        headers.pop("X-API-Key", None)
        headers["Authorization"] = f"Bearer {key}"
        response = case.call(base_url=server.base_url, session=session, headers=headers)
        assert response.status_code < 500, (scope, response.status_code, response.text[:500])
        if response.status_code >= 400:
            (content_type,) = response.headers["content-type"]
            assert content_type.startswith("application/problem+json"), (
                scope, response.status_code, content_type, response.text[:300],
            )  # fmt: skip
            problem = json.loads(response.content)
            assert problem["status"] == response.status_code
        case.validate_response(response, checks=CHECKS)
