"""From a validated `FeedbackIn` to the row that is stored. Pure functions, no I/O."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from app.errors import AppError, FieldError, Forbidden, ValidationFailed
from app.feedback.schemas import FeedbackIn, Respondent, Servqual
from app.vocabulary import SERVQUAL_DIMENSIONS


@dataclass(frozen=True, slots=True)
class Prepared:
    """One valid event, ready to insert."""

    event_id: str
    body_hash: bytes
    row: dict[str, Any]


def corrected_occurred_at(
    occurred_at: datetime | None, sent_at: datetime | None, received_at: datetime
) -> datetime:
    """When the moment happened, on the server's clock.

    A device whose clock is off by d reports both `occurred_at` and `sent_at`
    off by d; their difference is right, so occurred = received - (sent - occurred).
    Without `sent_at` the device clock is trusted; without `occurred_at`, arrival is used.
    """
    if occurred_at is None:
        return received_at
    if sent_at is None:
        return occurred_at
    return received_at - (sent_at - occurred_at)


def body_hash(row: dict[str, Any], event: FeedbackIn) -> bytes:
    """Fingerprint of what the client said, to tell a replay from a conflicting reuse of an id.

    Made from the normalised row, whose keys come in a fixed order (so key
    order, whitespace and a timestamp's offset in the request do not matter;
    `attributes` is the one client-ordered mapping, so it is sorted), plus the
    client's own `occurred_at` and `location_id` instead of the corrected and
    stamped ones. `sent_at` is left out: a device retrying sends a new one.
    """
    said = [row[k] for k in _CLIENT_FIELDS]
    said += [event.occurred_at, event.location_id, sorted(event.attributes.items())]
    return hashlib.sha256(orjson.dumps(said)).digest()


def prepare(
    event: FeedbackIn,
    *,
    key_id: uuid.UUID | None,
    key_location_id: str | None,
    received_at: datetime,
    max_future: timedelta,
    uuid_event_ids: bool = False,
    browser_max_age: timedelta | None = None,
) -> Prepared:
    """Apply the server's rules: location binding, clock correction, the future limit,
    and for a publishable (browser) key (`browser_max_age` set) its narrow contract.

    Raises `Forbidden` or `ValidationFailed`; the caller turns them into a
    response (single event) or a rejected item (batch).
    """
    if browser_max_age is not None:
        _browser_fields_only(event)
    if uuid_event_ids and event.event_id is not None and not _is_uuid(event.event_id):
        # Publishable keys are public: with them, only unguessable ids may be claimed,
        # so nobody can squat the predictable ids of a POS terminal (docs/architecture.md).
        raise ValidationFailed(
            "Publishable keys need UUID event_ids.",
            errors=[
                FieldError(
                    pointer="#/event_id", loc=["body", "event_id"], type="uuid_required",
                    message="With a publishable (browser) key, event_id must be a UUID.",
                )
            ],
        )  # fmt: skip
    location_id = event.location_id
    if key_location_id is not None:
        if location_id is not None and location_id != key_location_id:
            raise Forbidden(
                f"This key is bound to location '{key_location_id}' and cannot post for another."
            )
        location_id = key_location_id
    try:
        occurred_at = corrected_occurred_at(event.occurred_at, event.sent_at, received_at)
    except OverflowError as exc:  # sent_at and occurred_at millennia apart
        raise _occurred_at_problem("out_of_range", "Out of range after clock correction.") from exc
    if occurred_at > received_at + max_future:
        raise _occurred_at_problem(
            "in_future",
            f"More than {int(max_future.total_seconds())} s after arrival "
            "(after clock correction).",
        )
    if browser_max_age is not None and occurred_at < received_at - browser_max_age:
        raise _occurred_at_problem(
            "too_old",
            f"More than {browser_max_age.total_seconds() / 3600:g} h before arrival: a "
            "publishable (browser) key sends what a visitor just answered; send older "
            "events with a secret key.",
        )
    respondent = event.respondent or Respondent()
    row: dict[str, Any] = {
        "event_id": event.event_id or str(uuid.uuid4()),
        "occurred_at": occurred_at,
        "received_at": received_at,
        "sent_at": event.sent_at,
        "source_key_id": str(key_id) if key_id else None,
        "channel": event.channel,
        "touchpoint": event.touchpoint,
        "location_id": location_id,
        "employee_id": event.employee_id,
        "respondent_id": respondent.id,
        "respondent_type": respondent.type.value,
        "segment": respondent.segment,
        "acquisition_source": event.acquisition_source,
        "nps": event.nps,
        "csat": event.csat,
        "ces": event.ces,
        **servqual_columns(event.servqual),
        "comment": event.comment,
        "language": event.language,
        "tags": event.tags,
        "attributes": event.attributes,
        "follow_up_requested": event.follow_up_requested,
        "has_contact": event.contact is not None,
        # The row travels to PostgreSQL as JSON as it is: the contact columns ride
        # along (the contact table gets them, the event table not), and so does the
        # ledger's fingerprint, added below.
        "contact_name": event.contact.name if event.contact else None,
        "contact_email": event.contact.email if event.contact else None,
        "contact_phone": event.contact.phone if event.contact else None,
    }
    digest = body_hash(row, event)
    row["body_hash"] = digest.hex()
    return Prepared(row["event_id"], digest, row)


# Row fields that carry what the client said (not derived by the server).
_CLIENT_FIELDS = (
    "channel", "touchpoint", "employee_id", "respondent_id", "respondent_type", "segment",
    "acquisition_source", "nps", "csat", "ces",
    *(f"sq_{d}_{pe}" for d in SERVQUAL_DIMENSIONS for pe in ("p", "e")),
    "comment", "language", "tags", "follow_up_requested", "has_contact",
    "contact_name", "contact_email", "contact_phone",
)  # fmt: skip


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# What the web widget sends (app/widget/widget.js): all a publishable key may send. A
# page is public, so anyone can post with its key: no employee ratings (respondent,
# employee_id), no contact data, nothing a widget does not ask.
BROWSER_FIELDS = frozenset({
    "event_id", "occurred_at", "sent_at", "channel", "touchpoint", "location_id",
    "language", "tags", "attributes", "nps", "csat", "ces", "comment",
})  # fmt: skip


def _browser_fields_only(event: FeedbackIn) -> None:
    # Sent with a value: an explicit null (or false) says nothing and passes.
    others = sorted(
        name
        for name in event.model_fields_set - BROWSER_FIELDS
        if getattr(event, name) not in (None, False)
    )
    if others:
        raise ValidationFailed(
            f"A publishable (browser) key may send only {', '.join(sorted(BROWSER_FIELDS))}.",
            errors=[
                FieldError(
                    pointer=f"#/{name}", loc=["body", name], type="not_from_browser",
                    message="Not accepted with a publishable (browser) key: send it with "
                    "a secret key from your own server.",
                )
                for name in others
            ],
        )  # fmt: skip


def _occurred_at_problem(kind: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "occurred_at is not acceptable.",
        errors=[
            FieldError(
                pointer="#/occurred_at", loc=["body", "occurred_at"], type=kind, message=message
            )
        ],
    )


def servqual_columns(servqual: Servqual | None) -> dict[str, int | None]:
    columns: dict[str, int | None] = {}
    for dimension in SERVQUAL_DIMENSIONS:
        item = getattr(servqual, dimension) if servqual else None
        columns[f"sq_{dimension}_p"] = item.perception if item else None
        columns[f"sq_{dimension}_e"] = item.expectation if item else None
    return columns


def as_problem(error: AppError, index: int) -> dict[str, Any]:
    """A batch item's rejection, as an RFC 9457 object with pointers into the batch."""
    problem: dict[str, Any] = {
        "type": f"urn:feedback:problem:{error.slug}",
        "title": error.title,
        "status": error.status,
    }
    if error.detail:
        problem["detail"] = error.detail
    if error.errors:
        problem["errors"] = [
            {
                **e.model_dump(),
                "pointer": e.pointer.replace("#/", f"#/events/{index}/", 1)
                if e.pointer.startswith("#/")
                else e.pointer,
                "loc": ["body", "events", index, *e.loc[1:]] if e.loc[:1] == ["body"] else e.loc,
            }
            for e in error.errors
        ]
    return problem
