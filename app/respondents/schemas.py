"""What the data-rights routes answer: one respondent's data, and what an erasure removed."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.feedback.schemas import EVENT_OUT_EXAMPLE, FeedbackOut
from app.follow_ups.schemas import CASE_EXAMPLE, CHANGE_EXAMPLE, Case

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
    """A stored event with its contact data (null: none given, or removed by retention)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**EVENT_OUT_EXAMPLE, "contact": CONTACT_EXAMPLE}]}
    )

    contact: ContactOut | None


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
