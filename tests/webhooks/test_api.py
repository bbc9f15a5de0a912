"""The admin API of subscriptions: secret once, validation, scopes, 404s, re-enabling."""

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.conftest import Headers

HOOK = {"url": "https://crm.example.com/hooks/feedback", "event_types": ["feedback.created"]}


async def create(client: httpx.AsyncClient, key: Headers, **fields: Any) -> dict[str, Any]:
    response = await client.post("/v1/webhooks", json={**HOOK, **fields}, headers=key)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_secret_is_returned_once(client: httpx.AsyncClient, admin_key: Headers) -> None:
    created = await create(client, admin_key, description="CRM")
    assert created["secret"].startswith("whsec_")
    assert created["enabled"] is True
    assert created["disabled_reason"] is None
    one = await client.get(f"/v1/webhooks/{created['id']}", headers=admin_key)
    assert one.status_code == 200
    assert "secret" not in one.json()
    assert {k: v for k, v in created.items() if k != "secret"} == one.json()
    listed = await client.get("/v1/webhooks", headers=admin_key)
    assert [w["id"] for w in listed.json()["items"]] == [created["id"]]
    assert "secret" not in listed.json()["items"][0]
    assert created["secret"] not in listed.text + one.text


async def test_list_pages_by_cursor(client: httpx.AsyncClient, admin_key: Headers) -> None:
    ids = [(await create(client, admin_key))["id"] for _ in range(3)]
    first = (await client.get("/v1/webhooks?limit=2", headers=admin_key)).json()
    assert [w["id"] for w in first["items"]] == ids[:2]
    rest = await client.get(
        f"/v1/webhooks?limit=2&cursor={first['next_cursor']}", headers=admin_key
    )
    assert [w["id"] for w in rest.json()["items"]] == ids[2:]
    assert rest.json()["next_cursor"] is None
    bad = await client.get("/v1/webhooks?cursor=nonsense", headers=admin_key)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({**HOOK, "url": "ftp://example.com/x"}, "#/url"),
        ({**HOOK, "url": "https://user:secret@example.com/x"}, "#/url"),
        ({**HOOK, "url": "http://127.0.0.1:8080/x"}, "#/url"),
        ({**HOOK, "url": "http://[fd00::1]/x"}, "#/url"),
        ({**HOOK, "url": "http://[64:ff9b::7f00:1]/x"}, "#/url"),
        ({**HOOK, "url": "http://127.0.0.1./x"}, "#/url"),
        ({**HOOK, "url": "http://192.0.0.8/x"}, "#/url"),
        ({**HOOK, "url": "https://api.localhost/x"}, "#/url"),
        ({**HOOK, "url": "https://" + "a" * 300 + ".example.com/x"}, "#/url"),
        ({**HOOK, "url": "https://ex\u200bample.com/x"}, "#/url"),
        ({**HOOK, "url": "https://example.com:0/x"}, "#/url"),
        ({**HOOK, "event_types": ["feedback.deleted"]}, "#/event_types/0"),
        ({**HOOK, "event_types": []}, "#/event_types"),
        ({**HOOK, "secret": "whsec_mine"}, "#/secret"),
    ],
)
async def test_bad_subscriptions_are_422_problems(
    client: httpx.AsyncClient, admin_key: Headers, app: FastAPI, body: Any, pointer: str
) -> None:
    app.state.settings = app.state.settings.model_copy(update={"webhooks_allow_private": False})
    response = await client.post("/v1/webhooks", json=body, headers=admin_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert pointer in [e["pointer"] for e in response.json()["errors"]]


async def test_private_literal_is_accepted_when_allowed(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    await create(client, admin_key, url="http://127.0.0.1:8080/x")  # the tests' setting


async def test_unknown_subscription_is_404(client: httpx.AsyncClient, admin_key: Headers) -> None:
    for method, path in (
        ("GET", "/v1/webhooks/999999"),
        ("PATCH", "/v1/webhooks/999999"),
        ("DELETE", "/v1/webhooks/999999"),
        ("GET", "/v1/webhooks/999999/deliveries"),
    ):
        body = {"enabled": True} if method == "PATCH" else None
        response = await client.request(method, path, json=body, headers=admin_key)
        assert response.status_code == 404, (method, path, response.text)
        assert response.headers["content-type"] == "application/problem+json"


async def test_webhooks_need_an_admin_key(
    client: httpx.AsyncClient, admin_key: Headers, read_key: Headers, ingest_key: Headers
) -> None:
    created = await create(client, admin_key)
    for key in (read_key, ingest_key):
        assert (await client.get("/v1/webhooks", headers=key)).status_code == 403
        assert (await client.post("/v1/webhooks", json=HOOK, headers=key)).status_code == 403
        path = f"/v1/webhooks/{created['id']}"
        assert (await client.delete(path, headers=key)).status_code == 403
        assert (await client.get(f"{path}/deliveries", headers=key)).status_code == 403
    assert (await client.get("/v1/webhooks")).status_code == 401


async def test_patch_pauses_re_enables_and_changes(
    client: httpx.AsyncClient, admin_key: Headers
) -> None:
    created = await create(client, admin_key)
    path = f"/v1/webhooks/{created['id']}"
    paused = (await client.patch(path, json={"enabled": False}, headers=admin_key)).json()
    assert paused["enabled"] is False
    assert paused["disabled_at"] is not None
    assert paused["disabled_reason"] == "Disabled through the API."
    again = await client.patch(
        path, json={"enabled": True, "event_types": ["follow_up.resolved"]}, headers=admin_key
    )
    assert again.status_code == 200, again.text
    body = again.json()
    assert (body["enabled"], body["disabled_at"], body["disabled_reason"]) == (True, None, None)
    assert body["event_types"] == ["follow_up.resolved"]
    assert (await client.delete(path, headers=admin_key)).status_code == 204
    assert (await client.get(path, headers=admin_key)).status_code == 404


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1./x", "http://[::8.8.8.8]/x", "https://a.b.123/x", "https://localhost/x",
     "https://[2606:4700::1111]x/", "https://ex\u00adample.com/x"],
)  # fmt: skip
async def test_a_bad_url_in_a_patch_is_a_422_and_changes_nothing(
    client: httpx.AsyncClient, admin_key: Headers, app: FastAPI, url: str
) -> None:
    created = await create(client, admin_key)
    app.state.settings = app.state.settings.model_copy(update={"webhooks_allow_private": False})
    path = f"/v1/webhooks/{created['id']}"
    response = await client.patch(path, json={"url": url, "enabled": False}, headers=admin_key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["pointer"] for e in response.json()["errors"]] == ["#/url"]
    unchanged = (await client.get(path, headers=admin_key)).json()
    assert (unchanged["url"], unchanged["enabled"]) == (HOOK["url"], True)
