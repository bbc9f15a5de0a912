"""Ingest: validate, apply the server's rules, store exactly once, report per item."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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
from app.feedback.store import Outcome, first_of_each, get_event, repeat_outcome, store
from app.feedback.writer import EventWriter


@dataclass(frozen=True, slots=True)
class IngestRules:
    received_at: datetime
    max_future: timedelta


def prepare_for(event: FeedbackIn, principal: Principal, rules: IngestRules) -> Prepared:
    return prepare(
        event,
        key_id=principal.key_id,
        key_location_id=principal.location_id,
        uuid_event_ids=principal.publishable,
        received_at=rules.received_at,
        max_future=rules.max_future,
    )


async def ingest_one(
    db: Database, writer: EventWriter, event: FeedbackIn, principal: Principal, rules: IngestRules
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
        stored = await store(conn, [p for _, p in first.values()])
    for event_id, (index, _) in first.items():
        results[index] = _result(index, event_id, stored[event_id].outcome)
    for index, repeat in repeats:
        outcome = repeat_outcome(repeat, stored[repeat.event_id])
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
