from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.types import NoNul, Note
from app.webhooks.payloads import EVENT_TYPES

EventType = Literal[
    "feedback.created", "follow_up.opened", "follow_up.updated", "follow_up.resolved",
    "alert.opened", "alert.resolved",
]  # fmt: skip
assert EventType.__args__ == EVENT_TYPES  # type: ignore[attr-defined]  # one list, two spellings

Url = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=2000), NoNul]
EventTypes = Annotated[
    list[EventType],
    Field(min_length=1, max_length=len(EVENT_TYPES)),
    AfterValidator(lambda types: sorted(set(types))),
]

WEBHOOK_EXAMPLE: dict[str, Any] = {
    "id": 12,
    "url": "https://crm.example.com/hooks/feedback",
    "event_types": ["feedback.created", "follow_up.opened"],
    "description": "CRM: new feedback and call-back cases",
    "enabled": True,
    "disabled_at": None,
    "disabled_reason": None,
    "created_at": "2026-11-24T19:00:00Z",
    "updated_at": "2026-11-24T19:00:00Z",
}
SECRET_EXAMPLE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw5zJ0XNO0Ndg="


class WebhookIn(BaseModel):
    """Subscribe an endpoint to event types."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{k: WEBHOOK_EXAMPLE[k] for k in ("url", "event_types", "description")}]
        },
    )

    url: Url = Field(
        description="http:// or https:// URL, without credentials, spaces, control or "
        "invisible characters; port 1-65535. The host is a name DNS can carry (IDNA: "
        "labels of 1-63 octets, 253 in all; not `localhost`, not ending in a number) or a "
        "public address in any spelling (`127.1`, `2130706433`, `[::ffff:10.0.0.1]` and "
        "`[64:ff9b::7f00:1]` are private). A name must resolve to public addresses only "
        "at each attempt. Private targets are allowed with `FEEDBACK_WEBHOOKS_ALLOW_PRIVATE`."
    )
    event_types: EventTypes = Field(
        description="`feedback.created`, `follow_up.opened`, `follow_up.updated` "
        "(assigned, contact attempt, contacted, unreachable), `follow_up.resolved`, "
        "`alert.opened` and `alert.resolved` (the alert as `GET /v1/alerts/{id}` shows it; "
        "none for a muted one)."
    )
    description: Note | None = None


class WebhookPatch(BaseModel):
    """Change a subscription; `enabled: true` re-enables a disabled one (its pending
    messages are sent again at once), `enabled: false` pauses it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"enabled": True}, {"event_types": ["follow_up.resolved"]}]
        },
    )

    url: Url | None = Field(default=None, description="Checked as when subscribing.")
    event_types: EventTypes | None = None
    description: Note | None = None
    enabled: bool | None = None


class WebhookOut(BaseModel):
    """A subscription (never its secret)."""

    model_config = ConfigDict(json_schema_extra={"examples": [WEBHOOK_EXAMPLE]})

    id: int
    url: str
    event_types: list[EventType]
    description: str | None
    enabled: bool
    disabled_at: datetime | None = Field(description="When it was disabled, if it is.")
    disabled_reason: str | None = Field(
        description="Why: an admin paused it, or its endpoint kept failing."
    )
    created_at: datetime
    updated_at: datetime


class WebhookCreated(WebhookOut):
    """The new subscription with its signing secret, shown this once."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**WEBHOOK_EXAMPLE, "secret": SECRET_EXAMPLE}]}
    )

    secret: str = Field(
        description="`whsec_` + base64 of 32 random bytes: the Standard Webhooks signing key. "
        "Shown only in this response; keep it."
    )


class WebhookPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [WEBHOOK_EXAMPLE], "next_cursor": None}]}
    )

    items: list[WebhookOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")


DELIVERY_EXAMPLE: dict[str, Any] = {
    "message_id": "msg_2f1c9a7e0b8d4c1e9f3a6b5d4c3b2a19",
    "event_type": "feedback.created",
    "attempt": 2,
    "at": "2026-11-24T19:00:31Z",
    "status_code": 503,
    "error": "HTTP 503",
    "duration_ms": 84,
}


class DeliveryOut(BaseModel):
    """One delivery attempt."""

    model_config = ConfigDict(json_schema_extra={"examples": [DELIVERY_EXAMPLE]})

    message_id: str = Field(description="The `webhook-id` header: the same on every attempt.")
    event_type: EventType
    attempt: int = Field(description="1 for the first attempt of this message.")
    at: datetime
    status_code: int | None = Field(description="The endpoint's HTTP status, if it answered.")
    error: str | None = Field(
        description="Why the attempt failed: `HTTP <status>`, a time-out, a connection "
        "error (without addresses), or `refused: ...` (a URL that is no longer acceptable, "
        "or a host without only public addresses; the same words whether the name "
        "resolved to a private address or not at all)."
    )
    duration_ms: int


class DeliveryPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [DELIVERY_EXAMPLE], "next_cursor": None}]}
    )

    items: list[DeliveryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")
