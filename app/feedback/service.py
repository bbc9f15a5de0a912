"""Storing and reading feedback events: exactly once, set-based, one transaction."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

import asyncpg
import orjson
from pydantic import ValidationError

from app.auth.service import Principal
from app.db import Database
from app.errors import AppError, Conflict, FieldError, ValidationFailed, field_errors
from app.feedback.normalize import Prepared, as_problem, prepare, to_out
from app.feedback.schemas import (
    BatchItemResult,
    BatchResult,
    FeedbackIn,
    FeedbackOut,
    ItemStatus,
)

if TYPE_CHECKING:
    from app.feedback.writer import EventWriter

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
# array (json, not jsonb: parsed once, ~10 % faster here); the ledger insert
# decides which are new (ON CONFLICT DO NOTHING waits for a concurrent insert of
# the same event_id to commit or roll back), and only those reach the event and
# contact tables.
INSERT_SQL = f"""
WITH input AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('feedback_events', 'id')) AS pk, r.*
    FROM json_to_recordset($1::json)
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
"""

LEDGER_SQL = """
SELECT event_id, body_hash FROM feedback_event_ids WHERE event_id = ANY($1::text[])
"""

GET_SQL = f"""
SELECT e.id, {", ".join(f"e.{n}" for n, _ in EVENT_COLUMNS)}
FROM feedback_event_ids l
JOIN feedback_events e ON e.id = l.event_pk AND e.occurred_at = l.occurred_at
WHERE l.event_id = $1
"""


class Outcome(Enum):
    accepted = "accepted"
    duplicate = "duplicate"
    conflict = "conflict"


@dataclass(frozen=True, slots=True)
class IngestRules:
    received_at: datetime
    max_future: timedelta


def _payload(prepared: Sequence[Prepared]) -> str:
    return orjson.dumps([p.row for p in prepared]).decode()


async def store(conn: asyncpg.Connection, prepared: Sequence[Prepared]) -> dict[str, Outcome]:
    """Insert the events whose event_id is new; classify the others as replay or conflict.

    `prepared` must not repeat an event_id (`first_of_each` sorts those out).
    One statement (its own transaction) and, only when some ids were seen
    before, a second to read their stored fingerprints.
    """
    if not prepared:
        return {}
    inserted = await conn.fetch(INSERT_SQL, _payload(prepared))
    outcomes = {record["event_id"]: Outcome.accepted for record in inserted}
    others = [p for p in prepared if p.event_id not in outcomes]
    if others:
        ledger = await conn.fetch(LEDGER_SQL, [p.event_id for p in others])
        stored_hash = {record["event_id"]: bytes(record["body_hash"]) for record in ledger}
        for p in others:
            same = stored_hash.get(p.event_id) == p.body_hash
            outcomes[p.event_id] = Outcome.duplicate if same else Outcome.conflict
    return outcomes


def first_of_each(
    prepared: Sequence[tuple[int, Prepared]],
) -> tuple[dict[str, tuple[int, Prepared]], list[tuple[int, Prepared]]]:
    """Split (index, event) pairs into the first of each event_id and the later repeats."""
    first: dict[str, tuple[int, Prepared]] = {}
    repeats: list[tuple[int, Prepared]] = []
    for index, p in prepared:
        if p.event_id in first:
            repeats.append((index, p))
        else:
            first[p.event_id] = (index, p)
    return first, repeats


def repeat_outcome(repeat: Prepared, first: Prepared, first_outcome: Outcome) -> Outcome:
    """A repeat of an event_id within one statement: a replay of the first, or a conflict."""
    if repeat.body_hash == first.body_hash and first_outcome is not Outcome.conflict:
        return Outcome.duplicate
    return Outcome.conflict


async def get_event(conn: asyncpg.Connection, event_id: str) -> FeedbackOut | None:
    record = await conn.fetchrow(GET_SQL, event_id)
    return to_out(record) if record else None


def prepare_for(event: FeedbackIn, principal: Principal, rules: IngestRules) -> Prepared:
    return prepare(
        event,
        key_id=principal.key_id,
        key_location_id=principal.location_id,
        received_at=rules.received_at,
        max_future=rules.max_future,
    )


async def ingest_one(
    db: Database, writer: "EventWriter", event: FeedbackIn, principal: Principal, rules: IngestRules
) -> tuple[FeedbackOut, bool]:
    """Store one event; return it and whether it is new (False: an identical replay)."""
    prepared = prepare_for(event, principal, rules)
    outcome = await writer.submit(prepared)
    if outcome is Outcome.accepted:
        return to_out(prepared.row), True
    if outcome is Outcome.conflict:
        raise Conflict(
            f"event_id '{prepared.event_id}' was already used for a different event. "
            "Use a new event_id for a new event."
        )
    async with db.connection() as conn:
        original = await get_event(conn, prepared.event_id)
    if original is None:  # the ledger row and the event are written by one statement
        raise RuntimeError(f"ledger names {prepared.event_id!r} but the event is missing")
    return original, False


async def ingest_batch(
    db: Database, items: Sequence[Any], principal: Principal, rules: IngestRules
) -> BatchResult:
    """Validate every item on its own, store the valid ones in one statement.

    Invalid items never block valid ones; an event_id repeated inside the batch
    counts once (later copies are duplicates, or rejected if their body differs).
    """
    results: list[BatchItemResult | None] = [None] * len(items)
    valid: list[tuple[int, Prepared]] = []
    for index, item in enumerate(items):
        try:
            valid.append((index, prepare_for(FeedbackIn.model_validate(item), principal, rules)))
        except ValidationError as exc:
            error = ValidationFailed(
                "The event is not valid.",
                errors=field_errors([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]),
            )
            results[index] = _rejected(index, item, error)
        except AppError as exc:
            results[index] = _rejected(index, item, exc)

    first, repeats = first_of_each(valid)
    async with db.connection() as conn:
        outcomes = await store(conn, [p for _, p in first.values()])
    for event_id, (index, _) in first.items():
        results[index] = _result(index, event_id, outcomes[event_id])
    for index, repeat in repeats:
        _, original = first[repeat.event_id]
        outcome = repeat_outcome(repeat, original, outcomes[repeat.event_id])
        results[index] = _result(index, repeat.event_id, outcome)

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
