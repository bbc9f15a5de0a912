"""Storing and reading feedback events: exactly once, set-based, one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from app.auth.service import Principal
from app.errors import AppError, Conflict, FieldError, ValidationFailed, field_errors
from app.feedback.normalize import Prepared, as_problem, prepare, to_out
from app.feedback.schemas import (
    BatchItemResult,
    BatchResult,
    FeedbackIn,
    FeedbackOut,
    ItemStatus,
)

# Column name -> PostgreSQL type, in the order of the INSERT.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "text"),
    ("occurred_at", "timestamptz"),
    ("received_at", "timestamptz"),
    ("sent_at", "timestamptz"),
    ("source_key_id", "uuid"),
    ("channel", "text"),
    ("touchpoint", "text"),
    ("location_id", "text"),
    ("employee_id", "text"),
    ("respondent_id", "text"),
    ("respondent_type", "text"),
    ("segment", "text"),
    ("acquisition_source", "text"),
    ("nps", "smallint"),
    ("csat", "smallint"),
    ("ces", "smallint"),
    *(
        (f"sq_{d}_{pe}", "smallint")
        for d in ("reliability", "responsiveness", "assurance", "tangibles", "empathy")
        for pe in ("p", "e")
    ),
    ("comment", "text"),
    ("language", "text"),
    ("tags", "text[]"),
    ("attributes", "jsonb"),
    ("follow_up_requested", "boolean"),
    ("has_contact", "boolean"),
)
_NAMES = ", ".join(name for name, _ in EVENT_COLUMNS)
_RECORD = ", ".join(f"{name} {type_}" for name, type_ in EVENT_COLUMNS)

# One statement, whatever the number of events: the rows travel as one JSON
# array, the ledger insert decides which are new (ON CONFLICT DO NOTHING
# waits for a concurrent insert of the same event_id to commit or roll back),
# and only those reach the event and contact tables.
INSERT_SQL = text(f"""
WITH input AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('feedback_events', 'id')) AS pk, r.*
    FROM jsonb_to_recordset(CAST(:rows AS jsonb))
        AS r({_RECORD}, body_hash text, contact_name text, contact_email text, contact_phone text)
), claimed AS (
    INSERT INTO feedback_event_ids (event_id, event_pk, occurred_at, body_hash)
    SELECT event_id, pk, occurred_at, decode(body_hash, 'hex') FROM input
    ORDER BY event_id  -- one lock order for every transaction: overlapping batches cannot deadlock
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_pk
), events AS (
    INSERT INTO feedback_events (id, {_NAMES})
    SELECT i.pk, {", ".join(f"i.{n}" for n, _ in EVENT_COLUMNS)}
    FROM input i JOIN claimed c ON c.event_pk = i.pk
    RETURNING id
), contacts AS (
    INSERT INTO feedback_contacts (event_pk, occurred_at, name, email, phone)
    SELECT i.pk, i.occurred_at, i.contact_name, i.contact_email, i.contact_phone
    FROM input i JOIN claimed c ON c.event_pk = i.pk
    WHERE i.has_contact
)
SELECT i.event_id FROM input i JOIN events e ON e.id = i.pk
""")

LEDGER_SQL = text("""
SELECT event_id, body_hash FROM feedback_event_ids WHERE event_id = ANY(CAST(:ids AS text[]))
""")

GET_SQL = text(f"""
SELECT e.id, {", ".join(f"e.{n}" for n, _ in EVENT_COLUMNS)}
FROM feedback_event_ids l
JOIN feedback_events e ON e.id = l.event_pk AND e.occurred_at = l.occurred_at
WHERE l.event_id = :event_id
""")


class Outcome(Enum):
    accepted = "accepted"
    duplicate = "duplicate"
    conflict = "conflict"


@dataclass(frozen=True, slots=True)
class IngestRules:
    received_at: datetime
    max_future: timedelta


def _payload(prepared: Sequence[Prepared]) -> str:
    rows = []
    for p in prepared:
        contact = p.contact or {}
        rows.append(
            {
                **p.row,
                "body_hash": p.body_hash.hex(),
                "contact_name": contact.get("name"),
                "contact_email": contact.get("email"),
                "contact_phone": contact.get("phone"),
            }
        )
    return orjson.dumps(rows, default=str).decode()


async def store(session: AsyncSession, prepared: Sequence[Prepared]) -> dict[str, Outcome]:
    """Insert the events whose event_id is new; classify the others as replay or conflict.

    `prepared` must not repeat an event_id (the batch path sorts those out first).
    Two round trips at most, whatever the number of events.
    """
    if not prepared:
        return {}
    result = await session.execute(INSERT_SQL, {"rows": _payload(prepared)})
    outcomes = {event_id: Outcome.accepted for (event_id,) in result}
    others = [p for p in prepared if p.event_id not in outcomes]
    if others:
        ledger = await session.execute(LEDGER_SQL, {"ids": [p.event_id for p in others]})
        stored_hash = {event_id: bytes(h) for event_id, h in ledger}
        for p in others:
            same = stored_hash.get(p.event_id) == p.body_hash
            outcomes[p.event_id] = Outcome.duplicate if same else Outcome.conflict
    return outcomes


async def get_event(session: AsyncSession, event_id: str) -> FeedbackOut | None:
    row = (await session.execute(GET_SQL, {"event_id": event_id})).mappings().first()
    return to_out(row) if row else None


def _prepare(event: FeedbackIn, principal: Principal, rules: IngestRules) -> Prepared:
    return prepare(
        event,
        key_id=principal.key_id,
        key_location_id=principal.location_id,
        received_at=rules.received_at,
        max_future=rules.max_future,
    )


async def ingest_one(
    session: AsyncSession, event: FeedbackIn, principal: Principal, rules: IngestRules
) -> tuple[FeedbackOut, bool]:
    """Store one event; return it and whether it is new (False: an identical replay)."""
    prepared = _prepare(event, principal, rules)
    outcome = (await store(session, [prepared]))[prepared.event_id]
    if outcome is Outcome.accepted:
        return to_out(prepared.row), True
    if outcome is Outcome.conflict:
        raise Conflict(
            f"event_id '{prepared.event_id}' was already used for a different event. "
            "Use a new event_id for a new event."
        )
    original = await get_event(session, prepared.event_id)
    if original is None:  # the ledger row exists, so the event does: same transaction
        raise RuntimeError(f"ledger names {prepared.event_id!r} but the event is missing")
    return original, False


async def ingest_batch(
    session: AsyncSession, items: Sequence[Any], principal: Principal, rules: IngestRules
) -> BatchResult:
    """Validate every item on its own, store the valid ones in one statement.

    Invalid items never block valid ones; an event_id repeated inside the batch
    counts once (later copies are duplicates, or rejected if their body differs).
    """
    results: list[BatchItemResult | None] = [None] * len(items)
    first_by_id: dict[str, tuple[int, Prepared]] = {}
    repeats: list[tuple[int, Prepared]] = []
    for index, item in enumerate(items):
        try:
            event = FeedbackIn.model_validate(item)
            prepared = _prepare(event, principal, rules)
        except ValidationError as exc:
            error = ValidationFailed(
                "The event is not valid.",
                errors=field_errors([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]),
            )
            results[index] = _rejected(index, item, error)
            continue
        except AppError as exc:
            results[index] = _rejected(index, item, exc)
            continue
        if prepared.event_id in first_by_id:
            repeats.append((index, prepared))
        else:
            first_by_id[prepared.event_id] = (index, prepared)

    outcomes = await store(session, [p for _, p in first_by_id.values()])
    for event_id, (index, _) in first_by_id.items():
        results[index] = _result(index, event_id, outcomes[event_id])
    for index, prepared in repeats:
        _, first = first_by_id[prepared.event_id]
        first_outcome = outcomes[prepared.event_id]
        same_as_first = prepared.body_hash == first.body_hash
        if same_as_first and first_outcome is not Outcome.conflict:
            outcome = Outcome.duplicate
        else:
            outcome = Outcome.conflict
        results[index] = _result(index, prepared.event_id, outcome)

    final = [r for r in results if r is not None]
    counts = dict.fromkeys(ItemStatus, 0)
    for r in final:
        counts[r.status] += 1
    return BatchResult(
        accepted=counts[ItemStatus.accepted],
        duplicates=counts[ItemStatus.duplicate],
        rejected=counts[ItemStatus.rejected],
        items=final,
    )


def _result(index: int, event_id: str, outcome: Outcome) -> BatchItemResult:
    if outcome is Outcome.conflict:
        error = Conflict(f"event_id '{event_id}' was already used for a different event.")
        return BatchItemResult(
            index=index,
            status=ItemStatus.rejected,
            event_id=event_id,
            problem=as_problem(error, index),
        )
    status = ItemStatus.accepted if outcome is Outcome.accepted else ItemStatus.duplicate
    return BatchItemResult(index=index, status=status, event_id=event_id)


def _rejected(index: int, item: Any, error: AppError) -> BatchItemResult:
    given = item.get("event_id") if isinstance(item, dict) else None
    return BatchItemResult(
        index=index,
        status=ItemStatus.rejected,
        event_id=given if isinstance(given, str) and len(given) <= 128 else None,
        problem=as_problem(error, index),
    )


def too_many_events(count: int, limit: int) -> ValidationFailed:
    return ValidationFailed(
        f"A batch holds at most {limit} events; this one has {count}. Split it.",
        errors=[
            FieldError(
                pointer="#/events",
                loc=["body", "events"],
                type="too_long",
                message=f"At most {limit} items.",
            )
        ],
    )
