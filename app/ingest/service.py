"""Ingest: validate, apply the server's rules, store exactly once, report per item."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from app.auth.service import Principal
from app.db import Database
from app.errors import AppError, Conflict, FieldError, Gone, ValidationFailed, field_errors
from app.feedback.schemas import FeedbackIn, FeedbackOut
from app.feedback.store import get_event, to_out
from app.ingest.normalize import Prepared, as_problem, prepare
from app.ingest.schemas import BatchItemResult, BatchResult, ItemStatus
from app.ingest.statement import Outcome, first_of_each, repeat_outcome, store
from app.ingest.writer import EventWriter
from app.observability.prometheus import count_ingested, count_ingested_batch
from app.settings import Settings

# How each store outcome is counted (feedback_ingest_events_total{outcome}).
OUTCOME_LABELS = {
    Outcome.accepted: "created",
    Outcome.duplicate: "replayed",
    Outcome.conflict: "conflict",
    Outcome.erased: "erased",
}


@dataclass(frozen=True, slots=True)
class IngestRules:
    received_at: datetime
    max_future: timedelta
    browser_max_age: timedelta = timedelta(hours=24)  # publishable keys only


def prepare_for(event: FeedbackIn, principal: Principal, rules: IngestRules) -> Prepared:
    return prepare(
        event,
        key_id=principal.key_id,
        key_location_id=principal.location_id,
        uuid_event_ids=principal.publishable,
        received_at=rules.received_at,
        max_future=rules.max_future,
        browser_max_age=rules.browser_max_age if principal.publishable else None,
    )


def erased(event_id: str) -> Gone:
    """The answer to an event_id whose event was erased: not stored, now or ever again.
    (It was answered 200 with the body sent, as if stored: a client had no way to know.)"""
    return Gone(
        f"event_id '{event_id}' belonged to an event erased at its respondent's request; "
        "it is not stored again. Do not retry it."
    )


def rules_for(settings: Settings) -> IngestRules:
    """The server's side of an ingest request: its arrival time and limits."""
    return IngestRules(
        received_at=datetime.now(UTC),
        max_future=timedelta(seconds=settings.max_future_skew_seconds),
        browser_max_age=timedelta(hours=settings.publishable_max_age_hours),
    )


async def ingest_one(
    writer: EventWriter, event: FeedbackIn, principal: Principal, rules: IngestRules
) -> tuple[FeedbackOut, bool]:
    """Store one event; return it and whether it is new (False: an identical replay)."""
    try:
        prepared = prepare_for(event, principal, rules)
    except AppError:
        count_ingested(event.channel, "refused")
        raise
    outcome = await writer.submit(prepared)
    count_ingested(event.channel, OUTCOME_LABELS[outcome])
    if outcome is Outcome.accepted:
        return to_out(prepared.row), True
    if outcome is Outcome.erased:
        raise erased(prepared.event_id)
    if outcome is Outcome.conflict:
        raise Conflict(
            f"event_id '{prepared.event_id}' was already used for a different event. "
            "Use a new event_id for a new event."
        )
    async with writer.db.connection() as conn:  # a replay: the stored event, as it is
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
    counted: list[tuple[object, str]] = []  # (channel, outcome) of each item, for the metrics
    for index, item in enumerate(items):
        try:
            valid.append((index, prepare_for(FeedbackIn.model_validate(item), principal, rules)))
        except ValidationError as exc:
            error = ValidationFailed(
                "The event is not valid.",
                errors=field_errors([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]),
            )
            results[index] = _rejected(index, item, error)
            counted.append((_channel_of(item), "refused"))
        except AppError as exc:
            results[index] = _rejected(index, item, exc)
            counted.append((_channel_of(item), "refused"))

    first, repeats = first_of_each(valid)
    async with db.connection() as conn:
        stored = await store(conn, [p for _, p in first.values()])
    for event_id, (index, prepared) in first.items():
        outcome = stored[event_id].outcome
        results[index] = _result(index, event_id, outcome)
        counted.append((prepared.row["channel"], OUTCOME_LABELS[outcome]))
    for index, repeat in repeats:
        outcome = repeat_outcome(repeat, stored[repeat.event_id])
        results[index] = _result(index, repeat.event_id, outcome)
        counted.append((repeat.row["channel"], OUTCOME_LABELS[outcome]))
    count_ingested_batch(counted)

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


def _channel_of(item: Any) -> object:
    return item.get("channel") if isinstance(item, dict) else None


def _result(index: int, event_id: str, outcome: Outcome) -> BatchItemResult:
    if outcome is Outcome.conflict:
        error = Conflict(f"event_id '{event_id}' was already used for a different event.")
        return BatchItemResult(
            index=index,
            status=ItemStatus.rejected,
            event_id=event_id,
            problem=as_problem(error, index),
        )
    if outcome is Outcome.erased:
        return BatchItemResult(
            index=index,
            status=ItemStatus.rejected,
            event_id=event_id,
            problem=as_problem(erased(event_id), index),
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
