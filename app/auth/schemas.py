import uuid
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.auth.tokens import Scope
from app.types import Identifier, Name, NoNul


def check_origin(value: str) -> str:
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ValueError("must be a browser origin such as https://shop.example.com")
    return f"{parts.scheme}://{parts.netloc.lower()}"


Origin = Annotated[
    str, StringConstraints(strict=True, max_length=300), NoNul, AfterValidator(check_origin)
]


class KeyCreate(BaseModel):
    """A new API key. `allowed_origins` makes it a publishable key for a web widget."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "POS terminal 7, Vienna Mariahilf",
                    "scope": "ingest",
                    "location_id": "vie-07",
                },
                {
                    "name": "Website widget",
                    "scope": "ingest",
                    "allowed_origins": ["https://shop.example.com"],
                },
            ]
        },
    )

    name: Name = Field(description="What the key is for; shown in listings.")
    scope: Scope = Field(
        description="`ingest`: post feedback only. `read`: metrics and reads. "
        "`cases`: what `read` may, and work follow-up cases (call-centre tools). "
        "`admin`: keys, rules and everything else."
    )
    location_id: Identifier | None = Field(
        default=None,
        description="Bind the key to one branch. An `ingest` key's events are stamped with "
        "this location and posting for another is refused (403). A `read` or `cases` key "
        "reads and works this branch only: its events, metrics, exports and follow-up cases "
        "(naming another branch in `location_id` is a 403, an event or case of another "
        "branch a 404). An `admin` key cannot be bound (422): it can create any key.",
    )
    allowed_origins: list[Origin] = Field(
        default_factory=list,
        max_length=20,
        description="Browser origins allowed to post with this key (CORS). A key with origins "
        "is *publishable*: it may be embedded in a web page, so it must have scope `ingest`.",
    )

    @model_validator(mode="after")
    def scope_fits(self) -> "KeyCreate":
        if self.allowed_origins and self.scope is not Scope.ingest:
            raise ValueError("a key with allowed_origins is public and must have scope 'ingest'")
        if self.location_id is not None and self.scope is Scope.admin:
            raise ValueError(
                "an admin key cannot be bound to a location_id: it can create keys for "
                "every branch (bind an ingest, read or cases key instead)"
            )
        return self


KEY_EXAMPLE: dict[str, Any] = {
    "id": "0b9f0a52-6b7e-4d0a-9c53-0d7bd0f1c2aa",
    "name": "POS terminal 7, Vienna Mariahilf",
    "scope": "ingest",
    "prefix": "fbk_ingest_3kTz9QbW",
    "location_id": "vie-07",
    "allowed_origins": [],
    "publishable": False,
    "created_at": "2026-11-24T09:00:00Z",
    "revoked_at": None,
}


class KeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [KEY_EXAMPLE]})

    id: uuid.UUID
    name: str
    scope: Scope
    prefix: str = Field(description="The key's public beginning, to recognise it in listings.")
    location_id: str | None
    allowed_origins: list[str]
    publishable: bool
    created_at: datetime
    revoked_at: datetime | None


class KeyCreated(KeyOut):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **KEY_EXAMPLE,
                    "token": "fbk_ingest_3kTz9QbWm1c0yXwLq8Hn2RfVbA7sDe4Gj_1x9ZkQ",
                }
            ]
        }
    )

    token: str = Field(description="The secret key. Shown once, never again: store it now.")


class KeyPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "items": [KEY_EXAMPLE],
                    "next_cursor": None,
                }
            ]
        }
    )

    items: list[KeyOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
