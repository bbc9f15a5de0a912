"""Reading stored events: lists by keyset, counts, and exports in constant memory."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from app.db import Database
from app.feedback.schemas import CommentText, FeedbackItem
from app.feedback.store import to_out
from app.http.cursors import decode_instant_cursor, encode_instant_cursor, page
from app.selection.comments import INSIGHT_JOIN, TEXT_COLUMN, text_of
from app.selection.conditions import dimension_conditions
from app.selection.csv import csv_cell, csv_lines
from app.selection.filters import Selection
from app.selection.snapshot import CUSTOM_PLANS, snapshot
from app.sql import Params
from app.vocabulary import EVENT_COLUMNS


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


def _event_conditions(filters: Selection, query: EventQuery, params: Params) -> list[str]:
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


# Each list query is planned for its own values (CUSTOM_PLANS): whether the
# (occurred_at, id) order or the comment index finds a page first depends on how common
# the searched words are, and the generic plan that asyncpg's prepared statements get
# after five runs cannot know. At 1M events, `q=warranty` (1.4 % of the events): 4.9 ms
# a page instead of 268 ms.


def _from(filters: Selection, *, with_text: bool = False) -> str:
    """The events, and with `with_text` their enriched comments (TEXT_COLUMN)."""
    region = "region" in filters.dimensions
    return (
        "feedback_events e"
        + (" LEFT JOIN locations l ON l.id = e.location_id" if region else "")
        + (f" {INSIGHT_JOIN}" if with_text else "")
    )


def _item(record: asyncpg.Record) -> FeedbackItem:
    """An event as lists show it: `to_out`'s fields (validated there) and its `text`."""
    text = text_of(record["text"])
    return FeedbackItem.model_construct(
        **dict(to_out(record)), text=None if text is None else CommentText.model_validate(text)
    )


async def list_events(
    conn: asyncpg.Connection,
    filters: Selection,
    query: EventQuery,
    *,
    limit: int,
    cursor: str | None,
) -> tuple[list[FeedbackItem], str | None]:
    """Events in the window, oldest `occurred_at` first, by (occurred_at, id) keyset."""
    params = Params()
    where = _event_conditions(filters, query, params)
    if cursor:
        after, after_id = decode_instant_cursor(cursor, "feedback")
        where.append(f"(e.occurred_at, e.id) > ({params(after)}, {params(after_id)})")
    sql = (
        f"SELECT e.id, {', '.join(f'e.{n}' for n, _ in EVENT_COLUMNS)}, {TEXT_COLUMN} "
        f"FROM {_from(filters, with_text=True)} WHERE {' AND '.join(where)} "
        f"ORDER BY e.occurred_at, e.id LIMIT {params(limit + 1)}"
    )
    async with snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        records = await conn.fetch(sql, *params.values)
    rows, next_cursor = page(
        records,
        limit,
        lambda last: encode_instant_cursor("feedback", last["occurred_at"], last["id"]),
    )
    return [_item(r) for r in rows], next_cursor


# The export's columns, in this order, for CSV and NDJSON alike (documented in the README):
# the event's, then `text`, what its comment says (an object, JSON in CSV, as `attributes`).
EVENT_EXPORT_COLUMNS = tuple(
    name for name, _ in EVENT_COLUMNS if name not in ("source_key_id", "sent_at")
)
EXPORT_COLUMNS = (*EVENT_EXPORT_COLUMNS, "text")
EXPORT_BATCH = 1000  # rows fetched from the server-side cursor at a time


async def count_events(
    conn: asyncpg.Connection, filters: Selection, query: EventQuery, *, up_to: int
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
    filters: Selection,
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
        for n in EVENT_EXPORT_COLUMNS
    )
    sql = (
        f"SELECT {', '.join(columns)}, {TEXT_COLUMN} FROM {_from(filters, with_text=True)} "
        f"WHERE {' AND '.join(where)} ORDER BY e.occurred_at, e.id"
    )
    encode = _csv if as_csv else _ndjson
    if as_csv:
        yield csv_lines([EXPORT_COLUMNS])
    async with db.connection() as conn, snapshot(conn):
        await conn.execute(CUSTOM_PLANS)
        batch: list[asyncpg.Record] = []
        async for record in conn.cursor(sql, *params.values, prefetch=EXPORT_BATCH):
            batch.append(record)
            if len(batch) == EXPORT_BATCH:
                yield encode(batch)
                batch = []
        if batch:
            yield encode(batch)


def _exported(record: asyncpg.Record) -> dict[str, Any]:
    """A row of the export: EXPORT_COLUMNS, in order."""
    row = {name: record[name] for name in EVENT_EXPORT_COLUMNS}
    row["text"] = text_of(record["text"])
    return row


def _csv(batch: list[asyncpg.Record]) -> bytes:
    return csv_lines([map(csv_cell, _exported(r).values()) for r in batch])


def _ndjson(batch: list[asyncpg.Record]) -> bytes:
    return b"".join(orjson.dumps(_exported(r)) + b"\n" for r in batch)
