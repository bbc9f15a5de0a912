"""The feedback event as clients send it and as the service returns it.

Scales and names follow docs/metrics.md: integers only, nothing rounded or
clamped; a float, boolean or string where a score belongs is a 422.
"""

import re
import unicodedata
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    Strict,
    StringConstraints,
    model_validator,
)

from app.types import Identifier, NoNul, Slug, reject_nul
from app.vocabulary import SERVQUAL_DIMENSIONS, WELL_KNOWN_CHANNELS

MAX_ATTRIBUTES_BYTES = 8 * 1024

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


def _rfc3339_string(value: Any) -> Any:
    if isinstance(value, datetime):  # already parsed (internal use)
        return value
    if not isinstance(value, str) or not _RFC3339.match(value):
        raise ValueError(
            "must be an RFC 3339 timestamp with offset, e.g. 2026-11-24T09:30:00+01:00"
        )
    return value


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:  # unreachable after the pattern check; keeps the type honest
        raise ValueError("needs a UTC offset")
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise ValueError("lies outside the years 1..9999 in UTC") from exc


Timestamp = Annotated[datetime, BeforeValidator(_rfc3339_string), AfterValidator(_to_utc)]

NPS = Annotated[int, Strict(), Field(ge=0, le=10)]
CSAT = Annotated[int, Strict(), Field(ge=1, le=5)]
CES = Annotated[int, Strict(), Field(ge=1, le=7)]
Likert7 = Annotated[int, Strict(), Field(ge=1, le=7)]

Language = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", max_length=35),
]
Comment = Annotated[str, StringConstraints(strict=True, max_length=5000), NoNul]

# Characters drawn as nothing: separators and spaces, controls, format characters
# (zero-width space and joiners, word joiner, BOM, bidi marks, soft hyphen), lone
# combining marks, surrogates; and letters and symbols whose glyph is blank (Hangul
# fillers, the braille blank).
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Mn", "Me"})
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_visible_text(text: str) -> bool:
    """Whether a reader would see anything: a comment of zero-width spaces is no comment."""
    return any(
        c not in _BLANK_GLYPHS and unicodedata.category(c) not in _INVISIBLE_CATEGORIES
        for c in text
    )


AttributeKey = Annotated[str, StringConstraints(min_length=1, max_length=64), NoNul]


def _attribute_value(value: Any) -> str | bool | int | float | None:
    """A scalar: one clear error for anything else (a union would report one per member)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        # PostgreSQL keeps JSON numbers as decimals and writes 1e300 back as 301 digits,
        # an integer no 64-bit reader (nor our own export) can take: bounded like integers.
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError("numbers must lie within ±9.2e18 (send larger ones as strings)")
        return value
    if isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise ValueError("integers must fit in 64 bits (send larger numbers as strings)")
        return value
    if isinstance(value, str):
        if len(value) > 1000:
            raise ValueError("strings are at most 1000 characters")
        return reject_nul(value)
    raise ValueError("must be a string, number, boolean or null (no nested objects or arrays)")


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
AttributeValue = Annotated[
    Any,
    PlainValidator(
        _attribute_value,
        json_schema_input_type=str | bool | int | float | None,
    ),
]
Email = Annotated[
    str,
    StringConstraints(
        strict=True, max_length=254, pattern=r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$"
    ),
]
Phone = Annotated[
    str, StringConstraints(strict=True, max_length=32, pattern=r"^\+?[0-9][0-9 ().-]{2,31}$")
]
PersonName = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200), NoNul]


class RespondentType(StrEnum):
    customer = "customer"
    internal = "internal"
    employee = "employee"


class Respondent(BaseModel):
    """Who answered. Omit it for an anonymous external customer."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"id": "crm-88231", "type": "customer", "segment": "gold"}]
        },
    )

    id: Identifier | None = Field(
        default=None, description="Your id for the respondent (CRM id, loyalty card, staff id)."
    )
    type: RespondentType = Field(
        default=RespondentType.customer,
        description="`customer` (external, the default), `internal` (another department), "
        "or `employee` (staff survey, eNPS).",
    )
    segment: Slug | None = Field(default=None, description="Your segment, e.g. `gold`, `b2b`.")


class Contact(BaseModel):
    """How to reach the respondent for a call back. Personal data: stored apart from the
    event so it can be erased on its own, and never returned by event reads."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"name": "Anna Kovács", "email": "anna@example.com", "phone": "+36 1 234 5678"}
            ]
        },
    )

    name: PersonName | None = None
    email: Email | None = None
    phone: Phone | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> "Contact":
        if self.name is None and self.email is None and self.phone is None:
            raise ValueError("give at least one of name, email, phone (or omit contact)")
        return self


class ServqualItem(BaseModel):
    """One SERVQUAL dimension: 1..7 for how we did and how an excellent company would do."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"perception": 5, "expectation": 7}]}
    )

    perception: Likert7 | None = None
    expectation: Likert7 | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> "ServqualItem":
        if self.perception is None and self.expectation is None:
            raise ValueError("give perception, expectation or both")
        return self


class Servqual(BaseModel):
    """The five service-quality dimensions; send those you asked about."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reliability": {"perception": 6, "expectation": 7},
                    "empathy": {"perception": 5, "expectation": 6},
                }
            ]
        },
    )

    reliability: ServqualItem | None = None
    responsiveness: ServqualItem | None = None
    assurance: ServqualItem | None = None
    tangibles: ServqualItem | None = None
    empathy: ServqualItem | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> "Servqual":
        if all(getattr(self, d) is None for d in SERVQUAL_DIMENSIONS):
            raise ValueError("give at least one dimension (or omit servqual)")
        return self


def _dedupe(tags: list[str]) -> list[str]:
    return list(dict.fromkeys(tags))


def _attributes_size(attributes: dict[str, Any]) -> dict[str, Any]:
    if len(orjson.dumps(attributes)) > MAX_ATTRIBUTES_BYTES:
        raise ValueError(f"must be at most {MAX_ATTRIBUTES_BYTES} bytes as JSON")
    return attributes


EVENT_EXAMPLE: dict[str, Any] = {
    "event_id": "5f0c6a4e-1f7b-4c1e-9d0a-2b7f4f8e9a10",
    "occurred_at": "2026-11-24T09:30:00+01:00",
    "channel": "pos",
    "touchpoint": "checkout",
    "location_id": "vie-07",
    "employee_id": "emp-1042",
    "respondent": {"id": "crm-88231", "type": "customer", "segment": "gold"},
    "acquisition_source": "referral",
    "nps": 9,
    "csat": 5,
    "ces": 6,
    "servqual": {"reliability": {"perception": 6, "expectation": 7}},
    "comment": "Quick and friendly checkout.",
    "language": "en",
    "tags": ["checkout", "staff"],
    "attributes": {"basket_size": 3, "loyalty_member": True},
    "follow_up_requested": False,
}


class FeedbackIn(BaseModel):
    """One feedback event. At least one score or a non-empty `comment` is required."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                EVENT_EXAMPLE,
                {"channel": "web", "touchpoint": "delivery", "csat": 2, "comment": "Late again"},
            ]
        },
    )

    event_id: Identifier | None = Field(
        default=None,
        description="Your id for this event (a UUID, or any string of at most 128 printable "
        "characters), unique across all your systems. It makes posting idempotent: a retry "
        "with the same id and body answers 200 with the stored event and stores nothing; "
        "the same id with a different body is a 409. Omitted: the server assigns a UUID, "
        "and a retry can no longer be recognised, so always send one from devices that retry.",
    )
    occurred_at: Timestamp | None = Field(
        default=None,
        description="When the customer lived the moment (RFC 3339 with offset). Default: "
        "arrival. Old events (backfill) are welcome; more than 5 minutes in the future "
        "(after clock correction) is refused.",
    )
    sent_at: Timestamp | None = Field(
        default=None,
        description="The device's clock when it sent this request. When given, the device's "
        "clock error is removed: occurred_at := received_at - (sent_at - occurred_at). "
        "Not part of the idempotency comparison, so a retry may carry a new one.",
    )
    channel: Slug = Field(
        description="How the feedback reached us. Well-known values: "
        + ", ".join(f"`{c}`" for c in WELL_KNOWN_CHANNELS)
        + "; any other slug is accepted."
    )
    touchpoint: Slug | None = Field(
        default=None,
        description="The moment of truth: `checkout`, `check_in`, `delivery`, `support_call`, ...",
    )
    location_id: Identifier | None = Field(
        default=None,
        description="The branch. A key bound to a location stamps it; another value is a 403.",
    )
    employee_id: Identifier | None = Field(default=None, description="Who served the customer.")
    respondent: Respondent | None = None
    acquisition_source: Slug | None = Field(
        default=None, description="How the customer found us: `search`, `referral`, `ad`, ..."
    )
    nps: NPS | None = Field(default=None, description="How likely to recommend us, 0..10.")
    csat: CSAT | None = Field(default=None, description="How satisfied, 1..5.")
    ces: CES | None = Field(
        default=None, description="'The company made it easy for me', 1 (strongly disagree)..7."
    )
    servqual: Servqual | None = None
    comment: Comment | None = Field(
        default=None,
        description="Free text in any language. A text with nothing visible in it (spaces, "
        "zero-width and other invisible characters only) is no comment: stored as none.",
    )
    language: Language | None = Field(default=None, description="BCP 47 tag, e.g. `en`, `hu-HU`.")
    tags: Annotated[list[Slug], Field(max_length=20), AfterValidator(_dedupe)] = Field(
        default_factory=list, description="Up to 20 slugs."
    )
    attributes: Annotated[
        dict[AttributeKey, AttributeValue], Field(max_length=50), AfterValidator(_attributes_size)
    ] = Field(
        default_factory=dict,
        description="Your own flat fields: at most 50 keys, scalar values, 8 KiB as JSON.",
    )
    follow_up_requested: Annotated[bool, Strict()] = Field(
        default=False, description="The respondent asked to be contacted."
    )
    contact: Contact | None = None

    @model_validator(mode="after")
    def _has_content(self) -> "FeedbackIn":
        has_score = any(s is not None for s in (self.nps, self.csat, self.ces, self.servqual))
        if self.comment is not None and not has_visible_text(self.comment):
            self.comment = None  # nothing to read: stored and counted as no comment
        if not has_score and not self.comment:
            raise ValueError("give at least one score (nps, csat, ces, servqual) or a comment")
        if self.sent_at and self.occurred_at and self.sent_at < self.occurred_at:
            raise ValueError("sent_at is before occurred_at")
        return self


EVENT_OUT_EXAMPLE: dict[str, Any] = {
    **EVENT_EXAMPLE,
    "occurred_at": "2026-11-24T08:30:00Z",
    "received_at": "2026-11-24T08:30:02.125Z",
    "sent_at": None,
    "has_contact": False,
    "source": "0b9f0a52-6b7e-4d0a-9c53-0d7bd0f1c2aa",
}


class FeedbackOut(BaseModel):
    """A stored feedback event. Contact data is never returned here (see `has_contact`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EVENT_OUT_EXAMPLE]})

    event_id: str
    occurred_at: datetime = Field(description="After clock correction, in UTC.")
    received_at: datetime = Field(description="When the service received it.")
    sent_at: datetime | None
    channel: str
    touchpoint: str | None
    location_id: str | None
    employee_id: str | None
    respondent: Respondent
    acquisition_source: str | None
    nps: int | None
    csat: int | None
    ces: int | None
    servqual: Servqual | None
    comment: str | None
    language: str | None
    tags: list[str]
    attributes: dict[str, Any]
    follow_up_requested: bool
    has_contact: bool = Field(description="Contact data was given (readable only via data rights).")
    source: uuid.UUID | None = Field(description="The API key that posted it.")


TEXT_EXAMPLE: dict[str, Any] = {
    "language": "en",
    "sentiment": "positive",
    "sentiment_score": 0.82,
    "themes": ["staff_friendliness", "waiting"],
    "key_phrases": ["quick and friendly checkout"],
}


class CommentText(BaseModel):
    """What the text enrichment derived from the comment (docs/text.md)."""

    model_config = ConfigDict(json_schema_extra={"examples": [TEXT_EXAMPLE]})

    language: str = Field(
        description="The comment's resolved language, which the `language` filter selects "
        "on: an ISO 639-1 code (the event's own `language` when the text agrees, else "
        "detected), or `unknown` for too little text."
    )
    sentiment: Literal["negative", "neutral", "positive"] | None
    sentiment_score: float | None = Field(description="From -1 (negative) to 1 (positive).")
    themes: list[str] = Field(description="The themes it mentions (`GET /v1/themes`).")
    key_phrases: list[str]


class FeedbackItem(FeedbackOut):
    """A stored event as lists and exports show it: with what its comment says."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**EVENT_OUT_EXAMPLE, "text": TEXT_EXAMPLE}]}
    )

    text: CommentText | None = Field(
        description="What the text enrichment derived from the comment; null without a "
        "comment, and until the comment is enriched (seconds after it is stored)."
    )


class FeedbackPage(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"items": [{**EVENT_OUT_EXAMPLE, "text": TEXT_EXAMPLE}], "next_cursor": None}
            ]
        }
    )

    items: list[FeedbackItem]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")
