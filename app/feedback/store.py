"""The stored events: the parts of the ingest statement that write the event, ledger and
contact tables (composed by app.ingest.statement), and an event read back as the API
shows it, in Python (`to_out`) and in SQL (`event_json_sql`, for webhook bodies)."""

from collections.abc import Mapping
from typing import Any

import asyncpg

from app.feedback.schemas import FeedbackOut
from app.sql import json_object_sql, timestamp_sql
from app.vocabulary import EVENT_COLUMNS, SERVQUAL_DIMENSIONS

_NAMES = ", ".join(name for name, _ in EVENT_COLUMNS)
_RECORD = ", ".join(f"{name} {type_}" for name, type_ in EVENT_COLUMNS)

# The statement's input: the rows travel as one JSON array ($1; json, not jsonb: parsed
# once, ~10 % faster here), each given its new id (`pk`) up front.
INPUT_CTE = f"""input AS MATERIALIZED (
    SELECT nextval(pg_get_serial_sequence('feedback_events', 'id')) AS pk, r.*
    FROM json_to_recordset($1::json)
        AS r({_RECORD}, body_hash text, contact_name text, contact_email text, contact_phone text)
)"""

# The ledger insert decides which events are new (ON CONFLICT DO NOTHING waits for a
# concurrent insert of the same event_id to commit or roll back), and only those reach
# the event and contact tables. `claimed` joined to `input` gives the new events.
STORE_CTES = f"""claimed AS (
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
)"""
NEW_EVENTS = "input i JOIN claimed c ON c.event_pk = i.pk"  # rows `i`, after STORE_CTES
STORED_IDS = "SELECT i.event_id FROM input i JOIN events e ON e.id = i.pk"

LEDGER_SQL = """
SELECT event_id, body_hash FROM feedback_event_ids WHERE event_id = ANY($1::text[])
"""

GET_SQL = f"""
SELECT e.id, {", ".join(f"e.{n}" for n, _ in EVENT_COLUMNS)}
FROM feedback_event_ids l
JOIN feedback_events e ON e.id = l.event_pk AND e.occurred_at = l.occurred_at
WHERE l.event_id = $1
"""


async def get_event(conn: asyncpg.Connection, event_id: str) -> FeedbackOut | None:
    record = await conn.fetchrow(GET_SQL, event_id)
    return to_out(record) if record else None


def to_out(row: Mapping[Any, Any]) -> FeedbackOut:
    """A stored row (or a prepared one) as the API returns it."""
    servqual = {
        d: {"perception": row[f"sq_{d}_p"], "expectation": row[f"sq_{d}_e"]}
        for d in SERVQUAL_DIMENSIONS
        if row[f"sq_{d}_p"] is not None or row[f"sq_{d}_e"] is not None
    }
    return FeedbackOut.model_validate(
        {
            **{k: row[k] for k in _PLAIN_FIELDS},
            "respondent": {
                "id": row["respondent_id"],
                "type": row["respondent_type"],
                "segment": row["segment"],
            },
            "servqual": servqual or None,
            "source": row["source_key_id"],
        }
    )


_PLAIN_FIELDS = (
    "event_id", "occurred_at", "received_at", "sent_at", "channel", "touchpoint", "location_id",
    "employee_id", "acquisition_source", "nps", "csat", "ces", "comment", "language", "tags",
    "attributes", "follow_up_requested", "has_contact",
)  # fmt: skip


def event_json_sql(e: str) -> str:
    """The event `e` (columns as in `feedback_events`) as `GET /v1/feedback/{event_id}`."""

    def dimension(d: str) -> str:
        p, x = f"{e}.sq_{d}_p", f"{e}.sq_{d}_e"
        item = json_object_sql([("perception", p), ("expectation", x)])
        return f"CASE WHEN {p} IS NOT NULL OR {x} IS NOT NULL THEN {item} END"

    any_sq = " OR ".join(
        f"{e}.sq_{d}_{pe} IS NOT NULL" for d in SERVQUAL_DIMENSIONS for pe in ("p", "e")
    )
    servqual = json_object_sql([(d, dimension(d)) for d in SERVQUAL_DIMENSIONS])
    plain = ("event_id", "channel", "touchpoint", "location_id", "employee_id")
    scores = ("acquisition_source", "nps", "csat", "ces")
    return json_object_sql(
        [
            *((c, f"{e}.{c}") for c in plain[:1]),
            *((c, timestamp_sql(f"{e}.{c}")) for c in ("occurred_at", "received_at", "sent_at")),
            *((c, f"{e}.{c}") for c in plain[1:]),
            (
                "respondent",
                json_object_sql(
                    [
                        ("id", f"{e}.respondent_id"),
                        ("type", f"{e}.respondent_type"),
                        ("segment", f"{e}.segment"),
                    ]
                ),
            ),
            *((c, f"{e}.{c}") for c in scores),
            ("servqual", f"CASE WHEN {any_sq} THEN {servqual} END"),
            *((c, f"{e}.{c}") for c in ("comment", "language", "tags", "attributes")),
            *((c, f"{e}.{c}") for c in ("follow_up_requested", "has_contact")),
            ("source", f"{e}.source_key_id"),
        ]
    )
