"""The ingest statement: exactly once by event_id, set-based, one transaction.

One statement, whatever the number of events, composed of the parts each domain
supplies for its own tables: the events, their ledger and contact data
(app.feedback.store), the follow-up cases the rules open (app.follow_ups.opening),
and the webhook messages about both (app.webhooks.payloads). Each part commits with
the others or not at all. Used by the batch route, the group-commit writer of single
events, `feedback import` and the demo.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import asyncpg
import orjson

from app.errors import ServiceUnavailable
from app.feedback import partitions
from app.feedback.store import (
    INPUT_CTE,
    LEDGER_SQL,
    NEW_EVENTS,
    STORE_CTES,
    STORED_IDS,
    event_json_sql,
)
from app.follow_ups.opening import case_json_sql, opening_ctes
from app.ingest.normalize import Prepared
from app.webhooks.payloads import FEEDBACK_CREATED, FOLLOW_UP_OPENED, outbox_cte

# Webhook messages: one per new event, and one per case opened, for each enabled
# subscription to their type.
_CREATED_MESSAGES = outbox_cte(
    "created_messages",
    FEEDBACK_CREATED,
    "JOIN input i ON true JOIN claimed c ON c.event_pk = i.pk",
    at="i.received_at",
    data=event_json_sql("i"),
    when="$3::boolean",
)
_OPENED_MESSAGES = outbox_cte(
    "opened_messages",
    FOLLOW_UP_OPENED,
    "JOIN cases k ON true",
    at="k.opened_at",
    data=case_json_sql("k"),
    when="$3::boolean",
)

# $2: open the rules' cases; $3: write webhook messages (either false only for an
# import that asks so). Answers the event_ids stored now.
INSERT_SQL = f"""
WITH {INPUT_CTE},
{STORE_CTES},
{opening_ctes(NEW_EVENTS, when="$2::boolean")},
{_CREATED_MESSAGES},
{_OPENED_MESSAGES}
{STORED_IDS}
"""


class Outcome(Enum):
    accepted = "accepted"
    duplicate = "duplicate"
    conflict = "conflict"
    erased = "erased"  # the event_id's event was erased (a ledger tombstone): nothing stored


@dataclass(frozen=True, slots=True)
class Stored:
    """What became of one event_id: its outcome and the fingerprint now stored for it
    (None: a tombstone, the event was erased and its fingerprint with it)."""

    outcome: Outcome
    body_hash: bytes | None


def _payload(prepared: Sequence[Prepared]) -> str:
    return orjson.dumps([p.row for p in prepared]).decode()


async def store(
    conn: asyncpg.Connection,
    prepared: Sequence[Prepared],
    *,
    follow_ups: bool = True,
    webhooks: bool = True,
) -> dict[str, Stored]:
    """Insert the events whose event_id is new; classify the others as replay or conflict.

    `prepared` must not repeat an event_id (`first_of_each` sorts those out).
    One statement (its own transaction) and, only when some ids were seen
    before, a second to read their stored fingerprints. An event of a month that
    has no partition yet fails the statement as a whole: the months are made and the
    statement runs once more (app/feedback/partitions.py). The API always opens the
    rules' follow-up cases and queues webhook messages; `feedback import` may
    leave either out for history (`--no-follow-ups`, `--no-webhooks`).
    """
    if not prepared:
        return {}
    payload = _payload(prepared)
    try:
        inserted = await _insert(conn, payload, follow_ups, webhooks)
    except asyncpg.CheckViolationError as exc:
        if not partitions.is_missing(exc):
            raise
        # A month without a partition (a backfill, an old import): nothing was written.
        # Make the partitions of every month of the statement, and run it once more.
        await partitions.ensure(conn, [p.row["occurred_at"] for p in prepared])
        try:
            inserted = await _insert(conn, payload, follow_ups, webhooks)
        except asyncpg.CheckViolationError as again:
            if not partitions.is_missing(again):
                raise
            # Its month's partition is being detached by retention (an expired month):
            # made again once the detach is over.
            raise ServiceUnavailable(
                "A partition of these events is being changed; retry shortly."
            ) from again
    new = {record["event_id"] for record in inserted}
    result = {
        p.event_id: Stored(Outcome.accepted, p.body_hash) for p in prepared if p.event_id in new
    }
    others = [p for p in prepared if p.event_id not in new]
    if others:
        ledger = await conn.fetch(LEDGER_SQL, [p.event_id for p in others])
        stored_hash = {
            r["event_id"]: None if r["body_hash"] is None else bytes(r["body_hash"]) for r in ledger
        }
        for p in others:
            winner = stored_hash[p.event_id]  # present: the insert skipped it for this row
            result[p.event_id] = Stored(_outcome(p.body_hash, winner), winner)
    return result


async def _insert(
    conn: asyncpg.Connection, payload: str, follow_ups: bool, webhooks: bool
) -> list[asyncpg.Record]:
    if not conn.is_in_transaction():
        rows: list[asyncpg.Record] = await conn.fetch(INSERT_SQL, payload, follow_ups, webhooks)
        return rows
    async with conn.transaction():  # the caller's: a savepoint, so a failure can be retried
        rows = await conn.fetch(INSERT_SQL, payload, follow_ups, webhooks)
    return rows


def _outcome(body_hash: bytes, stored: bytes | None) -> Outcome:
    """A seen event_id: the same body, another body, or an erased event (a tombstone keeps
    no fingerprint, so whatever the body, nothing is stored again and nothing is told)."""
    if stored is None:
        return Outcome.erased
    return Outcome.duplicate if stored == body_hash else Outcome.conflict


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


def repeat_outcome(repeat: Prepared, stored: Stored) -> Outcome:
    """A later copy of an event_id within one statement: compared with what is now stored."""
    return _outcome(repeat.body_hash, stored.body_hash)
