"""What ingest takes beyond one event (a batch) and answers per item."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.feedback.schemas import EVENT_EXAMPLE


class BatchIn(BaseModel):
    """Up to 1,000 events (and 1 MiB). Each is validated and stored on its own merits."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"events": [EVENT_EXAMPLE]}]},
    )

    events: list[Any] = Field(
        min_length=1,
        # Items are validated one by one in the service (so one bad item cannot sink
        # the batch); the document still shows their real schema.
        json_schema_extra={"items": {"$ref": "#/components/schemas/FeedbackIn"}},
    )


class ItemStatus(StrEnum):
    accepted = "accepted"
    duplicate = "duplicate"
    rejected = "rejected"


class BatchItemResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"index": 0, "status": "accepted", "event_id": "pos7-2026-11-24-000123"},
                {
                    "index": 1,
                    "status": "rejected",
                    "event_id": None,
                    "problem": {
                        "type": "urn:feedback:problem:validation",
                        "title": "Request is not valid",
                        "status": 422,
                        "detail": "1 field not valid.",
                        "errors": [
                            {
                                "pointer": "#/1/nps",
                                "loc": ["body", 1, "nps"],
                                "type": "less_than_equal",
                                "message": "Input should be less than or equal to 10",
                            }
                        ],
                    },
                },
            ]
        }
    )

    index: int = Field(description="Position in the request array.")
    status: ItemStatus = Field(
        description="`accepted`: stored now. `duplicate`: this event_id was stored before with "
        "the same body; nothing changed. `rejected`: not stored; see `problem` (a 409 for an "
        "event_id used for another body, a 410 for one whose event was erased at its "
        "respondent's request: never stored again)."
    )
    event_id: str | None = Field(description="The stored (or given) event_id.")
    problem: dict[str, Any] | None = Field(
        default=None, description="Why the item was rejected: an RFC 9457 problem object."
    )


class BatchResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "accepted": 1,
                    "duplicates": 0,
                    "rejected": 1,
                    "items": BatchItemResult.model_config["json_schema_extra"]["examples"],  # type: ignore[index]
                }
            ]
        }
    )

    accepted: int
    duplicates: int
    rejected: int
    items: list[BatchItemResult] = Field(description="One result per input item, in input order.")
