from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.auth.dependencies import AdminKey
from app.db import DatabaseDep
from app.errors import problem_responses
from app.http.routes import StrictJSONRoute
from app.settings import SettingsDep
from app.webhooks import service
from app.webhooks.schemas import (
    DeliveryPage,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
    WebhookPage,
    WebhookPatch,
)

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], route_class=StrictJSONRoute)

WebhookId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The subscription's id.")]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Cursor = Annotated[
    str | None, Query(max_length=500, description="`next_cursor` of the previous page.")
]


@router.post(
    "",
    status_code=201,
    response_model=WebhookCreated,
    responses=problem_responses(401, 403, 413, 415, 422, 503),
)
async def create_webhook(
    spec: WebhookIn, db: DatabaseDep, _: AdminKey, settings: SettingsDep
) -> WebhookCreated:
    """Subscribe an endpoint to event types. The answer holds the signing `secret`:
    it is shown this once.

    Every message is a `POST` of `{"type", "timestamp", "data"}` signed as the
    Standard Webhooks spec says (`webhook-id`, `webhook-timestamp`,
    `webhook-signature` headers). `data` is the event as `GET /v1/feedback/{event_id}`
    returns it (`feedback.created`, never contact data) or the case as the
    follow-ups list shows it (`follow_up.*`). Delivery is at least once, retried
    with back-off for about 32 hours; dedupe on `webhook-id`.

    Example: `{"url": "https://crm.example.com/hooks/feedback",
    "event_types": ["feedback.created"]}`. A URL that is not http(s), carries
    credentials, has a host DNS cannot carry (IDNA, labels of 1-63 octets) or
    names a non-public address literally (in any spelling: `127.1`,
    `[::ffff:10.0.0.1]`, NAT64 `[64:ff9b::7f00:1]`; `localhost`) is a 422 with
    the pointer `#/url`. A host name is resolved and checked before each attempt.
    """
    async with db.connection() as conn:
        row = await service.create(conn, spec, allow_private=settings.webhooks_allow_private)
    return WebhookCreated.model_validate(row)


@router.get("", response_model=WebhookPage, responses=problem_responses(401, 403, 422, 503))
async def list_webhooks(
    db: DatabaseDep, _: AdminKey, limit: Limit = 100, cursor: Cursor = None
) -> WebhookPage:
    """The subscriptions, oldest first (never their secrets)."""
    async with db.connection() as conn:
        rows, next_cursor = await service.list_subscriptions(conn, limit=limit, cursor=cursor)
    return WebhookPage.model_validate({"items": rows, "next_cursor": next_cursor})


@router.get(
    "/{webhook_id}", response_model=WebhookOut, responses=problem_responses(401, 403, 404, 422, 503)
)
async def get_webhook(webhook_id: WebhookId, db: DatabaseDep, _: AdminKey) -> WebhookOut:
    """One subscription; `enabled: false` with `disabled_reason` when its endpoint
    kept failing for 24 hours (or an admin paused it)."""
    async with db.connection() as conn:
        return WebhookOut.model_validate(await service.get(conn, webhook_id))


@router.patch(
    "/{webhook_id}",
    response_model=WebhookOut,
    responses=problem_responses(401, 403, 404, 413, 415, 422, 503),
)
async def patch_webhook(
    webhook_id: WebhookId, change: WebhookPatch, db: DatabaseDep, _: AdminKey, settings: SettingsDep
) -> WebhookOut:
    """Change the URL, event types or description, or re-enable (`{"enabled": true}`)
    a disabled subscription: the messages that waited are sent at once, with the
    attempts they have left. `{"enabled": false}` pauses it (nothing is queued meanwhile).
    A new URL is checked as when subscribing (422, and nothing is changed)."""
    async with db.connection() as conn:
        row = await service.patch(
            conn, webhook_id, change, allow_private=settings.webhooks_allow_private
        )
    return WebhookOut.model_validate(row)


@router.delete(
    "/{webhook_id}",
    status_code=204,
    response_class=Response,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def delete_webhook(webhook_id: WebhookId, db: DatabaseDep, _: AdminKey) -> None:
    """Delete the subscription with its pending messages and its delivery log: nothing
    more is sent to it (an attempt already in flight still completes)."""
    async with db.connection() as conn:
        await service.delete(conn, webhook_id)


@router.get(
    "/{webhook_id}/deliveries",
    response_model=DeliveryPage,
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def list_webhook_deliveries(
    webhook_id: WebhookId, db: DatabaseDep, _: AdminKey, limit: Limit = 100, cursor: Cursor = None
) -> DeliveryPage:
    """The delivery log, newest attempt first: message id (`webhook-id`), event type,
    attempt number, time, HTTP status or error, duration.

    Example: `GET /v1/webhooks/12/deliveries?limit=50`
    """
    async with db.connection() as conn:
        rows, next_cursor = await service.deliveries(conn, webhook_id, limit=limit, cursor=cursor)
    return DeliveryPage.model_validate({"items": rows, "next_cursor": next_cursor})
