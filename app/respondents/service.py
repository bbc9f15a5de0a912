"""Data rights of one respondent: read everything stored about them, or erase it.

A respondent is the `respondent.id` their events carry (`feedback_events.respondent_id`);
their contact data hangs off those events, and their follow-up cases copy it.

Erasure, in one transaction (docs/architecture.md, "Data rights"):

1. waits for the rollup lock (`rollups.hold`), so no round moves the watermark W
   meanwhile, and no round can deadlock with it: both take that lock first;
2. takes the respondent's events with id <= W out of every rollup cell they were
   added to (the round's own aggregation, negated) and deletes cells left empty,
   so every metric stays exactly what a recomputation from the remaining events gives;
3. deletes the events (any id), their contact rows, follow-up cases (with
   their history, by cascade) and webhook messages about them, and turns their
   ledger rows into tombstones (event_id only), so a device replaying one of them
   stores nothing again;
4. writes the audit row (counts and the admin key, nothing of the respondent).
"""

import logging
import uuid
from typing import Any

import asyncpg

from app.errors import NotFound
from app.feedback.normalize import to_out
from app.feedback.store import EVENT_COLUMNS
from app.follow_ups.service import CASE_COLUMNS, change_out
from app.metrics.service import snapshot
from app.rollups import service as rollups

log = logging.getLogger(__name__)

EVENTS_SQL = f"""
SELECT e.id, {", ".join(f"e.{n}" for n, _ in EVENT_COLUMNS)},
       c.event_pk IS NOT NULL AS contact_kept, c.name, c.email, c.phone
FROM feedback_events e LEFT JOIN feedback_contacts c ON c.event_pk = e.id
WHERE e.respondent_id = $1
ORDER BY e.occurred_at, e.id
"""
CASES_SQL = f"""
SELECT {CASE_COLUMNS} FROM follow_ups WHERE event_pk = ANY($1::bigint[]) ORDER BY opened_at, id
"""
CHANGES_SQL = """
SELECT follow_up_id, at, kind, key_id::text AS key_id, from_status, to_status, assignee,
       contact_channel, contact_outcome, note, resolution
FROM follow_up_changes WHERE follow_up_id = ANY($1::bigint[]) ORDER BY follow_up_id, id
"""


async def get_data(conn: asyncpg.Connection, respondent_id: str) -> dict[str, Any]:
    """Everything stored about the respondent, from one snapshot; NotFound if nothing is."""
    async with snapshot(conn):
        events = await conn.fetch(EVENTS_SQL, respondent_id)
        if not events:
            raise NotFound("Nothing is stored about this respondent.")
        cases = await conn.fetch(CASES_SQL, [e["id"] for e in events])
        changes = await conn.fetch(CHANGES_SQL, [c["id"] for c in cases])
    history: dict[int, list[dict[str, Any]]] = {c["id"]: [] for c in cases}
    for change in changes:
        history[change["follow_up_id"]].append(change_out(change))
    return {
        "respondent_id": respondent_id,
        "events": [
            {
                **to_out(e).model_dump(),
                "contact": {"name": e["name"], "email": e["email"], "phone": e["phone"]}
                if e["contact_kept"]
                else None,
            }
            for e in events
        ],
        "follow_ups": [{**dict(c), "history": history[c["id"]]} for c in cases],
    }


# The respondent's events with id <= $2 (the watermark): those the rollup cells hold.
ROLLED_EVENTS = "SELECT * FROM feedback_events WHERE respondent_id = $1 AND id <= $2"

ERASE_SQL = """
WITH events AS (
    DELETE FROM feedback_events WHERE respondent_id = $1
    RETURNING id, event_id, comment IS NOT NULL AND comment <> '' AS had_comment
), contacts AS (
    DELETE FROM feedback_contacts c USING events e WHERE c.event_pk = e.id RETURNING 1
), tombstones AS (
    UPDATE feedback_event_ids l SET event_pk = NULL, occurred_at = NULL, body_hash = NULL
    FROM events e WHERE l.event_id = e.event_id AND l.event_pk = e.id
    RETURNING 1
), cases AS (
    -- Their history goes with them (ON DELETE CASCADE, at the end of this statement);
    -- it is counted below from the statement's snapshot, which still has it.
    DELETE FROM follow_ups f USING events e WHERE f.event_pk = e.id RETURNING f.id
), messages AS (
    -- Webhook bodies about the events or their cases (every type names the event_id),
    -- pending or sent; their delivery log goes with them (ON DELETE CASCADE).
    DELETE FROM webhook_messages m USING events e
    WHERE m.payload -> 'data' ->> 'event_id' = e.event_id
    RETURNING 1
)
INSERT INTO erasures (key_id, events, contacts, comments, follow_ups, follow_up_changes,
                      ledger_tombstones, webhook_messages)
SELECT $2, (SELECT count(*) FROM events), (SELECT count(*) FROM contacts),
       (SELECT count(*) FROM events WHERE had_comment), (SELECT count(*) FROM cases),
       (SELECT count(*) FROM follow_up_changes WHERE follow_up_id IN (SELECT id FROM cases)),
       (SELECT count(*) FROM tombstones), (SELECT count(*) FROM messages)
RETURNING id AS erasure_id, at, events, contacts, comments, follow_ups, follow_up_changes,
          ledger_tombstones, webhook_messages
"""


async def erase(
    conn: asyncpg.Connection, respondent_id: str, key_id: uuid.UUID | None
) -> dict[str, Any]:
    """Erase the respondent (see the module doc); idempotent: again, it erases nothing.

    An event of theirs that commits after this transaction is new data and stays.
    """
    async with conn.transaction():
        watermark, zones = await rollups.hold(conn)
        cells = 0
        if watermark > 0:
            cells = await rollups.subtract(conn, zones, ROLLED_EVENTS, respondent_id, watermark)
        erased = dict(await conn.fetchrow(ERASE_SQL, respondent_id, key_id))
    # Counts only: never the respondent's id, contact data or comments.
    log.info(
        "erasure %d by key %s: %d events, %d contacts, %d comments, %d follow-up cases "
        "(%d history entries), %d ledger tombstones, %d webhook messages, "
        "%d empty rollup cells removed",
        erased["erasure_id"], key_id, erased["events"], erased["contacts"], erased["comments"],
        erased["follow_ups"], erased["follow_up_changes"], erased["ledger_tombstones"],
        erased["webhook_messages"], cells,
    )  # fmt: skip
    return erased
