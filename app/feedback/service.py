"""Ingest: validate, apply the server's rules, store exactly once, report per item."""

import csv
import io
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import orjson
from pydantic import ValidationError

from app.auth.service import Principal
from app.db import Database
from app.errors import AppError, Conflict, FieldError, Gone, ValidationFailed, field_errors
from app.feedback.normalize import Prepared, as_problem, prepare, to_out
from app.feedback.schemas import (
    BatchItemResult,
    BatchResult,
    FeedbackIn,
    FeedbackOut,
    ItemStatus,
)
from app.feedback.store import (
    EVENT_COLUMNS,
    Outcome,
    first_of_each,
    get_event,
    repeat_outcome,
    store,
)
from app.feedback.writer import EventWriter
from app.metrics.csv import spreadsheet_safe
from app.metrics.filters import MetricFilters
from app.metrics.queries import Params, dimension_conditions
from app.metrics.service import snapshot
from app.observability.metrics import count_ingested, count_ingested_batch
from app.pagination import decode_instant_cursor, encode_instant_cursor

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


async def ingest_one(
    db: Database, writer: EventWriter, event: FeedbackIn, principal: Principal, rules: IngestRules
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


# ---------------------------------------------------------------- reading events


@dataclass(frozen=True, slots=True)
class EventQuery:
    """What `GET /v1/feedback` may add to the window and dimension filters."""

    has_comment: bool | None = None
    score_ranges: tuple[tuple[str, int | None, int | None], ...] = ()  # (score, min, max)
    terms: tuple[str, ...] = ()  # every one must occur in the comment (`search_terms`)


MAX_SEARCH_TERMS = 8


def search_terms(q: str) -> tuple[str, ...]:
    """The words of a comment search `q`: split on white space, repeats dropped, in order."""
    return tuple(dict.fromkeys(q.split()))


def like_pattern(term: str) -> str:
    """An ILIKE pattern matching `term` anywhere, its `%`, `_` and `\\` taken literally."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _event_conditions(filters: MetricFilters, query: EventQuery, params: Params) -> list[str]:
    where = [
        f"e.occurred_at >= {params(filters.start)}",
        f"e.occurred_at < {params(filters.end)}",
        *dimension_conditions(filters, params, "e", customers_by_default=False),
    ]
    if query.has_comment is not None:
        has = "e.comment IS NOT NULL AND e.comment <> ''"
        where.append(has if query.has_comment else f"NOT ({has})")
    for score, low, high in query.score_ranges:  # names from the route, not the client
        if low is not None:
            where.append(f"e.{score} >= {params(low)}")
        if high is not None:
            where.append(f"e.{score} <= {params(high)}")
    return where + search_conditions(query.terms, params)


def search_conditions(terms: Sequence[str], params: Params) -> list[str]:
    """Every term in the comment: a case-insensitive substring match in any language and
    script, served by the trigram index `ix_feedback_events_comment_trgm` (terms of three
    or more characters narrow it; shorter ones are checked on the rows it finds)."""
    return [f"e.comment ILIKE {params(like_pattern(term))}" for term in terms]


# Plan each list query for its own values: whether the (occurred_at, id) order or the
# comment index finds a page first depends on how common the searched words are, and
# the generic plan that asyncpg's prepared statements get after five runs cannot know.
# At 1M events, `q=warranty` (1.4 % of the events): 4.9 ms a page instead of 268 ms.
CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan"


def _from(filters: MetricFilters) -> str:
    region = "region" in filters.dimensions
    return "feedback_events e" + (
        " LEFT JOIN locations l ON l.id = e.location_id" if region else ""
    )


async def list_events(
    conn: asyncpg.Connection,
    filters: MetricFilters,
    query: EventQuery,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[FeedbackOut], str | None]:
    """Events in the window, oldest `occurred_at` first, by (occurred_at, id) keyset."""
    params = Params()
    where = _event_conditions(filters, query, params)
    if cursor:
        after, after_id = decode_instant_cursor(cursor, "feedback")
        where.append(f"(e.occurred_at, e.id) > ({params(after)}, {params(after_id)})")
    sql = (
        f"SELECT e.id, {', '.join(f'e.{n}' for n, _ in EVENT_COLUMNS)} "
        f"FROM {_from(filters)} WHERE {' AND '.join(where)} "
        f"ORDER BY e.occurred_at, e.id LIMIT {params(limit + 1)}"
    )
    async with snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        records = await conn.fetch(sql, *params.values)
    events = [to_out(r) for r in records[:limit]]
    if len(records) <= limit:
        return events, None
    last = records[limit - 1]
    return events, encode_instant_cursor("feedback", last["occurred_at"], last["id"])


# The export's columns, in this order, for CSV and NDJSON alike (documented in the README).
EXPORT_COLUMNS = tuple(
    name for name, _ in EVENT_COLUMNS if name not in ("source_key_id", "sent_at")
)
EXPORT_BATCH = 1000  # rows fetched from the server-side cursor at a time


async def count_events(
    conn: asyncpg.Connection, filters: MetricFilters, query: EventQuery, *, up_to: int
) -> int:
    """How many events the filters select, counting no further than `up_to` (so the
    check before an export costs at most `up_to` index entries, not the whole set)."""
    params = Params()
    where = _event_conditions(filters, query, params)
    sql = (
        f"SELECT count(*) FROM (SELECT 1 FROM {_from(filters)} "
        f"WHERE {' AND '.join(where)} LIMIT {params(up_to)}) AS selected"
    )
    async with snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        return int(await conn.fetchval(sql, *params.values))


async def export_events(
    db: Database,
    filters: MetricFilters,
    query: EventQuery,
    *,
    as_csv: bool,
    hide_employees: bool = False,
) -> AsyncIterator[bytes]:
    """The whole filtered set, oldest first, in chunks of EXPORT_BATCH rows
    (`employee_id` empty when `hide_employees`).

    A server-side cursor in one REPEATABLE READ transaction: one consistent
    snapshot, and memory bounded by one batch whatever the size of the set.
    """
    params = Params()
    where = _event_conditions(filters, query, params)
    columns = (
        "NULL::text AS employee_id" if hide_employees and n == "employee_id" else f"e.{n}"
        for n in EXPORT_COLUMNS
    )
    sql = (
        f"SELECT {', '.join(columns)} FROM {_from(filters)} "
        f"WHERE {' AND '.join(where)} ORDER BY e.occurred_at, e.id"
    )
    if as_csv:
        yield _csv_lines([EXPORT_COLUMNS])
    async with db.connection() as conn, snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        batch: list[asyncpg.Record] = []
        async for record in conn.cursor(sql, *params.values, prefetch=EXPORT_BATCH):
            batch.append(record)
            if len(batch) == EXPORT_BATCH:
                yield _csv_lines(map(_csv_row, batch)) if as_csv else _ndjson(batch)
                batch = []
        if batch:
            yield _csv_lines(map(_csv_row, batch)) if as_csv else _ndjson(batch)


def _csv_row(record: asyncpg.Record) -> list[str]:
    out = []
    for value in record.values():
        if value is None:
            out.append("")
        elif isinstance(value, str):
            out.append(spreadsheet_safe(value))
        elif isinstance(value, bool):
            out.append("true" if value else "false")
        elif isinstance(value, datetime):
            out.append(value.isoformat())
        elif isinstance(value, list | dict):
            out.append(orjson.dumps(value).decode())
        else:
            out.append(str(value))
    return out


def _csv_lines(rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def _ndjson(batch: list[asyncpg.Record]) -> bytes:
    return b"".join(orjson.dumps(dict(r)) + b"\n" for r in batch)
