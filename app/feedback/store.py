"""The ingest statement: exactly once by event_id, set-based, one transaction.

Used by the batch route and by the group-commit writer of single events.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import asyncpg
import orjson

from app.feedback.normalize import Prepared, to_out
from app.feedback.schemas import FeedbackOut
from app.webhooks.payloads import (
    FEEDBACK_CREATED,
    FOLLOW_UP_OPENED,
    case_sql,
    feedback_sql,
    message_sql,
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

# The event's copy on its follow-up case; event_pk first (it is `pk` in the input).
_CASE_COLUMNS = (
    "event_pk, event_id, occurred_at, received_at, channel, touchpoint, location_id, "
    "employee_id, respondent_id, respondent_type, segment, acquisition_source, tags, nps, csat, ces"
)

# The webhook bodies, built in SQL from the input row (i) and the new case (k).
_CREATED_MESSAGE = message_sql(FEEDBACK_CREATED, "i.received_at", feedback_sql("i"))
_OPENED_MESSAGE = message_sql(FOLLOW_UP_OPENED, "k.opened_at", case_sql("k"))

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
), cases AS (
    -- A follow-up case for every new event that an enabled rule matches, in this same
    -- statement: no qualifying event is ever stored without its case (app/follow_ups).
    INSERT INTO follow_ups ({_CASE_COLUMNS}, reasons)
    SELECT i.pk, {", ".join(f"i.{n}" for n in _CASE_COLUMNS.split(", ")[1:])}, m.reasons
    FROM input i JOIN claimed c ON c.event_pk = i.pk
    CROSS JOIN LATERAL (
        SELECT array_agg(r.name ORDER BY r.name) AS reasons
        FROM follow_up_rules r
        WHERE r.enabled AND i.respondent_type = ANY (r.respondent_types) AND CASE r.score
            WHEN 'nps' THEN i.nps BETWEEN r.min_score AND r.max_score
            WHEN 'csat' THEN i.csat BETWEEN r.min_score AND r.max_score
            WHEN 'ces' THEN i.ces BETWEEN r.min_score AND r.max_score
            ELSE i.follow_up_requested
        END
    ) m
    WHERE $2::boolean AND m.reasons IS NOT NULL  -- $2: false only for an import that asks so
    RETURNING *
), opened AS (
    INSERT INTO follow_up_changes (follow_up_id, at, kind, to_status)
    SELECT id, opened_at, 'opened', 'open' FROM cases
), created_messages AS (
    -- The webhook outbox (app/webhooks): one message per new event and enabled
    -- subscription to its type, committed with the event or not at all. With no
    -- subscription the join is empty and no JSON is built. $3: as $2.
    INSERT INTO webhook_messages (subscription_id, event_type, payload)
    SELECT s.id, '{FEEDBACK_CREATED}', {_CREATED_MESSAGE}
    FROM webhook_subscriptions s
    JOIN input i ON true
    JOIN claimed c ON c.event_pk = i.pk
    WHERE $3::boolean AND s.enabled AND '{FEEDBACK_CREATED}' = ANY (s.event_types)
), opened_messages AS (
    INSERT INTO webhook_messages (subscription_id, event_type, payload)
    SELECT s.id, '{FOLLOW_UP_OPENED}', {_OPENED_MESSAGE}
    FROM webhook_subscriptions s
    JOIN cases k ON true
    WHERE $3::boolean AND s.enabled AND '{FOLLOW_UP_OPENED}' = ANY (s.event_types)
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
    before, a second to read their stored fingerprints. The API always opens the
    rules' follow-up cases and queues webhook messages; `feedback import` may
    leave either out for history (`--no-follow-ups`, `--no-webhooks`).
    """
    if not prepared:
        return {}
    inserted = await conn.fetch(INSERT_SQL, _payload(prepared), follow_ups, webhooks)
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


async def get_event(conn: asyncpg.Connection, event_id: str) -> FeedbackOut | None:
    record = await conn.fetchrow(GET_SQL, event_id)
    return to_out(record) if record else None
