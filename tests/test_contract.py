"""Contract fuzzing: Schemathesis against the app's own OpenAPI document, every operation.

The service runs for real (uvicorn on 127.0.0.1, its own database copied from the
migrated template); each generated request is sent once with a key of every scope.
Checked on every answer: no 5xx, the status code, content type and body are ones
the document declares for the operation, and every error is problem+json.
Bounded (`EXAMPLES` per operation) so the suite stays fast. A second run draws
instants and cursors from edge values too (`flatmap_query`), `EDGE_EXAMPLES` each.
"""

import asyncio
import base64
import json
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import requests
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy.engine import URL

from app.auth import service as key_service
from app.auth.schemas import KeyCreate
from app.auth.tokens import Scope
from app.cli import connected
from app.db import libpq_url
from app.main import create_app
from app.settings import Settings
from tests.auth.test_scopes import NEEDS

EXAMPLES = 10
EDGE_EXAMPLES = 6  # per operation, with the edge strategies below
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
        database_url=libpq_url(url),
        rollup_interval_seconds=0,
        webhooks_interval_seconds=0,
        alerts_interval_seconds=0,
        text_interval_seconds=0,
    )

    async def make_keys(conn: asyncpg.Connection) -> dict[str, str]:
        keys = {}
        for scope in Scope:
            spec = KeyCreate(name=f"contract {scope.value}", scope=scope)
            keys[scope.value] = (await key_service.create_key(conn, spec))[1]
        return keys

    keys = asyncio.run(connected(url, make_keys))
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
    keeps_its_contract(case, server)


# Values random generation rarely finds and that broke the service before (500s): instants
# at the ends of the calendar, east and west of UTC, just past the accepted range, leap days,
# and cursors this service never issued.
EDGE_INSTANTS = [
    "0001-01-01", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00-12:00", "9999-12-31",
    "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59+14:00", "1900-01-01", "2028-02-29",
    "2027-02-29", "2026-03-29T02:30:00+01:00", "2026-11-01T00:00:00", "1899-12-31T23:59:59Z",
    "1900-01-01T00:00:00Z", "3000-01-01T00:00:00Z", "3000-01-01T00:00:01Z", "2000-02-29",
    "1900-02-29", "2999-12-31T23:59:59.999999+14:00",
]  # fmt: skip
INSTANT_PARAMETERS = ("from", "to", "previous_from", "previous_to")
PAIRS = (("from", "to"), ("previous_from", "previous_to"))


def _forged(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


# Keys a forger may put in a cursor: sent bare, and behind the list's own name (a cursor
# is `[list, *key]`) so the checks after the name are reached too.
FORGED_KEYS: list[Any] = [
    ["2026-11-01T00:00:00+00:00", 2**63], ["2026-11-01T00:00:00", -1], [2**64], ["\u0000"],
    ["0001-01-01T00:00:00+14:00", 1], [True], [1.5, "x"], ["2026-11-01T00:00:00+00:00", 1.5],
    ["2026-11-01T00:00:00+00:00", "not-a-uuid"], ["x" * 300], [], [None],
]  # fmt: skip
GARBAGE_CURSORS = ["!!", "e30", _forged({"id": 1}), _forged("feedback"), "é"]
LIST_NAMES = {
    "/v1/feedback": "feedback", "/v1/follow-ups": "follow-ups", "/v1/keys": "keys",
    "/v1/locations": "locations", "/v1/webhooks": "webhooks",
    "/v1/webhooks/{webhook_id}/deliveries": "deliveries",
}  # fmt: skip


def forged_cursors(path: str) -> st.SearchStrategy[str]:
    """Garbage, bare keys, and forged keys behind this list's name (or another list's)."""
    names = st.sampled_from([LIST_NAMES.get(path, "feedback"), *LIST_NAMES.values()])
    keys = st.sampled_from(FORGED_KEYS)
    return st.one_of(
        st.sampled_from(GARBAGE_CURSORS),
        keys.map(_forged),
        st.tuples(names, keys).map(lambda nk: _forged([nk[0], *nk[1]])),
    )


def flatmap_query(ctx: Any, query: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    """The generated query, or it with one declared instant (or both of a pair) or the
    cursor set to an edge."""
    declared = {p.name for p in ctx.operation.query}
    instants = st.sampled_from(EDGE_INSTANTS)
    choices: list[st.SearchStrategy[Any]] = [st.just(query)]
    for name in INSTANT_PARAMETERS:
        if name in declared:
            choices.append(instants.map(_setting(query, name)))
    for start, end in PAIRS:
        if start in declared and end in declared:
            pair = st.tuples(instants, instants)
            choices.append(pair.map(_setting_both(query, start, end)))
    if "cursor" in declared:
        choices.append(forged_cursors(ctx.operation.path).map(_setting(query, "cursor")))
    return st.one_of(choices)


def _setting(query: dict[str, Any] | None, name: str) -> Callable[[str], dict[str, Any]]:
    return lambda value: {**(query or {}), name: value}


def _setting_both(
    query: dict[str, Any] | None, start: str, end: str
) -> Callable[[tuple[str, str]], dict[str, Any]]:
    return lambda values: {**(query or {}), start: values[0], end: values[1]}


@SCHEMA.hooks.apply(flatmap_query)
@SCHEMA.parametrize()
@settings(
    max_examples=EDGE_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_edge_values_keep_the_contract(case: schemathesis.Case[Any], server: Server) -> None:
    keeps_its_contract(case, server)


def scopes_reaching(case: schemathesis.Case[Any]) -> set[str]:
    """The scopes that span what the inputs can reach: the least the operation needs and
    admin (everything). Any other scope is either refused, whatever the inputs (the same
    problem for every route: tests/auth/test_scopes.py), or runs the same code as the least
    one; sending each case under all four made this file a sixth of the suite's time. An
    operation no key needs (health, the widget's assets) is called with the admin key."""
    needed = NEEDS.get(case.operation.definition.raw.get("operationId", ""))
    return {Scope.admin.value} | ({needed.value} if needed else set())


def keeps_its_contract(case: schemathesis.Case[Any], server: Server) -> None:
    session = requests.Session()
    for scope, key in server.keys.items():
        if scope not in scopes_reaching(case):
            continue
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
