"""What the data-rights routes answer: one respondent's data, and what an erasure removed."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.feedback.schemas import EVENT_OUT_EXAMPLE, TEXT_EXAMPLE, CommentText, FeedbackOut
from app.follow_ups.schemas import CASE_EXAMPLE, CHANGE_EXAMPLE, Case
from app.respondents import matching
from app.types import Identifier

CONTACT_EXAMPLE: dict[str, Any] = {
    "name": "Anna Kovács",
    "email": "anna@example.com",
    "phone": "+36 1 234 5678",
}


class ContactOut(BaseModel):
    """Contact data given with one event."""

    model_config = ConfigDict(json_schema_extra={"examples": [CONTACT_EXAMPLE]})

    name: str | None
    email: str | None
    phone: str | None


class RespondentEvent(FeedbackOut):
    """A stored event with its contact data (null: none given, or removed by retention)
    and what the text enrichment derived from its comment."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{**EVENT_OUT_EXAMPLE, "contact": CONTACT_EXAMPLE, "text": TEXT_EXAMPLE}]
        }
    )

    contact: ContactOut | None
    text: CommentText | None = Field(
        description="Language, sentiment, themes and key phrases derived from the comment "
        "(docs/text.md); null without an enriched comment."
    )


DATA_EXAMPLE: dict[str, Any] = {
    "respondent_id": "crm-88231",
    "events": [{**EVENT_OUT_EXAMPLE, "contact": CONTACT_EXAMPLE}],
    "follow_ups": [{**CASE_EXAMPLE, "respondent_id": "crm-88231", "history": [CHANGE_EXAMPLE]}],
}


class RespondentData(BaseModel):
    """Everything stored about one respondent: their events (oldest `occurred_at` first),
    with contact data, and the follow-up cases they opened with each case's history."""

    model_config = ConfigDict(json_schema_extra={"examples": [DATA_EXAMPLE]})

    respondent_id: str
    events: list[RespondentEvent]
    follow_ups: list[Case]


ERASED_EXAMPLE: dict[str, Any] = {
    "erasure_id": 17,
    "at": "2026-11-24T19:30:00Z",
    "events": 3,
    "contacts": 1,
    "comments": 2,
    "follow_ups": 1,
    "follow_up_changes": 3,
    "ledger_tombstones": 3,
    "webhook_messages": 4,
    "redacted": 1,
}


class Erased(BaseModel):
    """What one erasure removed. All zeros: nothing (left) to erase."""

    model_config = ConfigDict(json_schema_extra={"examples": [ERASED_EXAMPLE]})

    erasure_id: int = Field(description="The row of the audit trail (`erasures`) it wrote.")
    at: datetime
    events: int = Field(description="Events deleted (scores, comment, tags, attributes).")
    contacts: int = Field(description="Contact records (name, e-mail, phone) deleted.")
    comments: int = Field(description="Of the deleted events, those that had a comment.")
    follow_ups: int = Field(description="Follow-up cases deleted.")
    follow_up_changes: int = Field(description="History entries of those cases deleted.")
    ledger_tombstones: int = Field(
        description="event_ids kept with nothing else, so a replay is not stored again."
    )
    webhook_messages: int = Field(
        description="Webhook messages about those events and cases deleted, sent or not "
        "(their bodies carry the event or case; their delivery log goes with them)."
    )
    redacted: int = Field(
        default=0,
        description="Rows kept whose free text or JSON named the person (their e-mail or "
        "phone), now with `[erased]` in its place: others' comments and attributes, case "
        "resolutions and notes, webhook bodies and delivery errors. Not in the audit row.",
    )


PERSON_QUERY_DESCRIPTION = (
    "Exactly one of `respondent_id`, `email`, `phone`. In the body, never in the URL: "
    "personal data in a URL ends up in access logs. An e-mail matches case-insensitively "
    "after trimming; a phone number by its digits (spaces, dashes, dots and brackets "
    "ignored; a leading `+` and a leading `00` are the same; at least 6 digits)."
)


class PersonQuery(BaseModel):
    """Whom a data-rights request is about."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "description": PERSON_QUERY_DESCRIPTION,
            "examples": [{"email": "Anna@Example.com"}, {"phone": "+36 1 234 5678"}],
        },
    )

    respondent_id: Identifier | None = Field(
        default=None, description="The respondent's id, as sent in `respondent.id`."
    )
    email: str | None = Field(default=None, max_length=300, description="An e-mail address.")
    phone: str | None = Field(default=None, max_length=64, description="A phone number.")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else matching.normalize_email(value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else matching.normalize_phone(value)

    @model_validator(mode="after")
    def _exactly_one(self) -> "PersonQuery":
        given = [v for v in (self.respondent_id, self.email, self.phone) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of respondent_id, email, phone")
        return self


class Matched(BaseModel):
    """What was looked for: the request's value, normalised, and the contact data found on
    the person's events (their other e-mails and numbers are theirs too)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"respondent_id": None, "emails": ["a@example.com"], "phones": ["436601234567"]}
            ]
        }
    )

    respondent_id: str | None
    emails: list[str] = Field(description="Lower case, trimmed.")
    phones: list[str] = Field(description="Digits only, without a leading international 00.")


class Mention(BaseModel):
    """A text outside the person's own events and cases that names them."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "place": "follow_ups.resolution",
                    "ref": "42",
                    "text": "Voucher mailed to anna.k@example.com",
                }
            ]
        }
    )

    place: str = Field(
        description="`table.column`: `feedback_events.comment`, `feedback_events.attributes`, "
        "`follow_ups.resolution`, `follow_up_changes.note`, `follow_up_changes.resolution`, "
        "`webhook_messages.payload` or `webhook_attempts.error`."
    )
    ref: str = Field(
        description="The row: an event_id, a follow-up case id, or a webhook message's msg_id."
    )
    text: str = Field(description="The whole text (JSON as text) that names them.")


PERSON_EXAMPLE: dict[str, Any] = {
    "matched": {"respondent_id": None, "emails": ["anna@example.com"], "phones": ["3612345678"]},
    "events": [{**EVENT_OUT_EXAMPLE, "contact": CONTACT_EXAMPLE}],
    "follow_ups": [{**CASE_EXAMPLE, "history": [CHANGE_EXAMPLE]}],
    "mentions": [
        {
            "place": "follow_ups.resolution",
            "ref": "812",
            "text": "Voucher sent to anna@example.com",
        }
    ],
}


class PersonData(BaseModel):
    """Everything stored about one person: their events (by respondent id, or by the
    e-mail/phone of their contact data), oldest `occurred_at` first, with contact data;
    the follow-up cases those opened with their history; and every other text that
    names them (`mentions`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [PERSON_EXAMPLE]})

    matched: Matched
    events: list[RespondentEvent]
    follow_ups: list[Case]
    mentions: list[Mention]
