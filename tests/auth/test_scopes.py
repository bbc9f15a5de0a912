"""Function-level authorization (OWASP API5): every operation, every kind of key.

`NEEDS` is the access table of the service, written out by hand: a new route
fails this test until someone decides, here, which scope it needs. Each
operation is called with a key of every scope and a publishable key; a key
below the needed scope must get 403 problem+json, one at or above it must get
past authorization (whatever the route then answers).
"""

import re
import uuid

import httpx
import pytest
from fastapi import FastAPI

from app.auth.tokens import Scope
from tests.conftest import Headers, MakeKey

NEEDS: dict[str, Scope] = {
    "submit_feedback": Scope.ingest,
    "submit_feedback_batch": Scope.ingest,
    "list_feedback": Scope.read,
    "export_feedback": Scope.read,
    "get_feedback": Scope.read,
    "list_follow_ups": Scope.read,
    "follow_ups_summary": Scope.read,
    "get_follow_up": Scope.read,
    "patch_follow_up": Scope.cases,
    "get_follow_up_rules": Scope.admin,
    "put_follow_up_rules": Scope.admin,
    "list_alerts": Scope.read,
    "get_alert": Scope.read,
    "patch_alert": Scope.cases,
    "get_alert_rules": Scope.admin,
    "put_alert_rules": Scope.admin,
    "list_locations": Scope.read,
    "get_location": Scope.read,
    "put_location": Scope.admin,
    "metrics_breakdown": Scope.read,
    "metrics_compare": Scope.read,
    "metrics_consistency": Scope.read,
    "metrics_follow_ups": Scope.read,
    "metrics_service_profit_chain": Scope.read,
    "metrics_servqual": Scope.read,
    "metrics_summary": Scope.read,
    "metrics_timeseries": Scope.read,
    "metrics_themes": Scope.read,
    "metrics_drivers": Scope.read,
    "metrics_attributes": Scope.read,
    "get_themes": Scope.read,
    "put_themes": Scope.admin,
    "emerging_themes": Scope.read,
    "list_keys": Scope.admin,
    "create_key": Scope.admin,
    "get_key": Scope.admin,
    "revoke_key": Scope.admin,
    "get_respondent_data": Scope.admin,
    "erase_respondent": Scope.admin,
    "search_person": Scope.admin,
    "erase_person": Scope.admin,
    "list_webhooks": Scope.admin,
    "create_webhook": Scope.admin,
    "get_webhook": Scope.admin,
    "patch_webhook": Scope.admin,
    "delete_webhook": Scope.admin,
    "list_webhook_deliveries": Scope.admin,
}

# What each kind of key may do, by the needed scope.
ALLOWED: dict[str, set[Scope]] = {
    "publishable": {Scope.ingest},
    "ingest": {Scope.ingest},
    "read": {Scope.read},
    "cases": {Scope.read, Scope.cases},
    "admin": set(Scope),
}


def v1_operations(app: FastAPI) -> list[tuple[str, str, str]]:
    """(operation id, method, path with its parameters filled in) of every /v1 operation
    the app publishes (its OpenAPI document is the inventory)."""
    found = []
    for template, operations in app.openapi()["paths"].items():
        if template.startswith("/v1/"):
            path = re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), template)
            for method, operation in operations.items():
                found.append((operation["operationId"], method.upper(), path))
    return found


def test_every_operation_is_in_the_access_table(app: FastAPI) -> None:
    assert {name for name, _, _ in v1_operations(app)} == set(NEEDS)


@pytest.mark.parametrize("kind", sorted(ALLOWED))
async def test_each_kind_of_key_reaches_exactly_the_operations_of_its_scope(
    app: FastAPI, client: httpx.AsyncClient, make_key: MakeKey, kind: str
) -> None:
    if kind == "publishable":
        key: Headers = await make_key("ingest", allowed_origins=["https://shop.example.com"])
    else:
        key = await make_key(kind)
    let_through, refused = [], []
    for name, method, path in v1_operations(app):
        body = b"{}" if method in ("POST", "PUT", "PATCH") else None
        headers = {**key, "Content-Type": "application/json"}
        response = await client.request(method, path, content=body, headers=headers)
        assert response.status_code != 401, (name, response.text)
        if NEEDS[name] in ALLOWED[kind]:
            assert response.status_code != 403, (name, response.text)
            let_through.append(name)
        else:
            assert response.status_code == 403, (name, response.status_code, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            refused.append(name)
    assert let_through
    assert refused or kind == "admin"
