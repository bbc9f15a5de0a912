"""Data rights of one person: read everything stored about them, or erase it.

A person is named by a respondent id (`feedback_events.respondent_id`), an e-mail or a
phone number (matched as app/respondents/matching says). Their events are those with
the respondent id (or a respondent id that is the e-mail) and those whose contact data
has the e-mail or phone, a widget answer without respondent id included; the e-mails
and numbers of the contact data found on their events are theirs too, followed up to
FOLLOW_CONTACTS rounds. Their follow-up cases, history and webhook messages hang off
those events. Any other text naming the e-mail or phone is a mention: another event's
comment or attributes, a case resolution or note, a webhook body, a delivery error.

Erasure, in one transaction (docs/architecture.md, "Data rights"):

1. waits for the rollup lock (`rollups.hold`), so no round moves the watermark W
   meanwhile, and no round can deadlock with it: both take that lock first;
2. finds their events, then takes those with id <= W out of every rollup cell they
   were added to (the round's own aggregation, negated) and deletes cells left empty,
   so every metric stays exactly what a recomputation from the remaining events gives;
3. deletes the events, their contact rows, follow-up cases (with their history, by
   cascade) and webhook messages about them, and turns their ledger rows into
   tombstones (event_id only), so a device replaying one of them stores nothing again;
4. redacts every mention (the matched text becomes `[erased]`, the row stays: the
   scores of others' events count in the metrics, JSON stays valid JSON);
5. writes the audit row (counts and the admin key, nothing of the person).
"""

import contextlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson

from app.errors import NotFound
from app.feedback.store import to_out
from app.follow_ups.service import CASE_COLUMNS, change_out
from app.respondents import matching
from app.rollups import service as rollups
from app.selection.snapshot import snapshot
from app.vocabulary import EVENT_COLUMNS

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


# --- Finding and erasing a person: by respondent id, e-mail or phone (app/respondents/matching).


@dataclass(frozen=True, slots=True)
class Person:
    """Whom a request names: a respondent id, e-mail addresses and phone digits (normalised)."""

    respondent_id: str | None = None
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()

    def pattern(self, *, json_text: bool = False) -> str | None:
        return matching.text_pattern(list(self.emails), list(self.phones), json_text=json_text)


# Their events: the respondent id's, a respondent id that is one of the e-mails, and every
# event whose contact has one of the e-mails or phone numbers. With the contact data
# found on them (followed: see `_theirs`).
THEIR_EVENTS_SQL = f"""
SELECT e.id, c.email, c.phone
FROM feedback_events e LEFT JOIN feedback_contacts c ON c.event_pk = e.id
WHERE e.respondent_id = $1 OR {matching.EMAIL_SQL.format("e.respondent_id")} = ANY($2::text[])
UNION
SELECT c.event_pk, c.email, c.phone FROM feedback_contacts c
WHERE {matching.EMAIL_SQL.format("c.email")} = ANY($2::text[])
   OR {matching.PHONE_SQL.format("c.phone")} = ANY($3::text[])
"""
FOLLOW_CONTACTS = 3  # rounds: contact data found on their events is theirs too


async def _theirs(conn: asyncpg.Connection, person: Person) -> tuple[Person, list[int]]:
    """Their events' ids, and the person widened by the contact data found on them."""
    pks: set[int] = set()
    for _ in range(FOLLOW_CONTACTS):
        rows = await conn.fetch(
            THEIR_EVENTS_SQL, person.respondent_id, sorted(person.emails), sorted(person.phones)
        )
        pks = {r["id"] for r in rows}
        emails, phones = set(person.emails), set(person.phones)
        for r in rows:  # a stored value that cannot be matched (a short number) is skipped
            if r["email"] is not None:
                with contextlib.suppress(ValueError):
                    emails.add(matching.normalize_email(r["email"]))
            if r["phone"] is not None:
                with contextlib.suppress(ValueError):
                    phones.add(matching.normalize_phone(r["phone"]))
        if emails == person.emails and phones == person.phones:
            break
        person = Person(person.respondent_id, frozenset(emails), frozenset(phones))
    return person, sorted(pks)


# Free text (and JSON) outside their own events and cases that names them: $1 the text
# pattern, $2 the pattern over JSON text, $3 their events' ids.
MENTIONS_SQL = """
SELECT 'feedback_events.comment' AS place, event_id AS ref, comment AS text
FROM feedback_events WHERE comment IS NOT NULL AND comment ~* $1 AND NOT id = ANY($3::bigint[])
UNION ALL
SELECT 'feedback_events.attributes', event_id, attributes::text
FROM feedback_events WHERE attributes::text ~* $2 AND NOT id = ANY($3::bigint[])
UNION ALL
SELECT 'follow_ups.resolution', id::text, resolution
FROM follow_ups WHERE resolution ~* $1 AND NOT event_pk = ANY($3::bigint[])
UNION ALL
SELECT 'follow_up_changes.' || t.place, ch.follow_up_id::text, t.text
FROM follow_up_changes ch JOIN follow_ups f ON f.id = ch.follow_up_id
CROSS JOIN LATERAL (VALUES ('note', ch.note), ('resolution', ch.resolution)) AS t(place, text)
WHERE t.text ~* $1 AND NOT f.event_pk = ANY($3::bigint[])
UNION ALL
SELECT 'webhook_messages.payload', msg_id::text, payload::text
FROM webhook_messages WHERE payload::text ~* $2
UNION ALL
SELECT 'webhook_attempts.error', message_id::text, error FROM webhook_attempts WHERE error ~* $1
"""

THEIR_EVENTS_DATA_SQL = EVENTS_SQL.replace("WHERE e.respondent_id = $1", "WHERE e.id = ANY($1)")


async def search(conn: asyncpg.Connection, asked: Person) -> dict[str, Any]:
    """Everything stored about the person, from one snapshot; NotFound if nothing is."""
    async with snapshot(conn):
        person, pks = await _theirs(conn, asked)
        events = await conn.fetch(THEIR_EVENTS_DATA_SQL, pks)
        cases = await conn.fetch(CASES_SQL, pks)
        changes = await conn.fetch(CHANGES_SQL, [c["id"] for c in cases])
        pattern = person.pattern()
        mentions = (
            await conn.fetch(MENTIONS_SQL, pattern, person.pattern(json_text=True), pks)
            if pattern
            else []
        )
    if not events and not mentions:
        raise NotFound("Nothing is stored about this person.")
    history: dict[int, list[dict[str, Any]]] = {c["id"]: [] for c in cases}
    for change in changes:
        history[change["follow_up_id"]].append(change_out(change))
    return {
        "matched": {
            "respondent_id": person.respondent_id,
            "emails": sorted(person.emails),
            "phones": sorted(person.phones),
        },
        "events": [_event_out(e) for e in events],
        "follow_ups": [{**dict(c), "history": history[c["id"]]} for c in cases],
        "mentions": [dict(m) for m in mentions],
    }


def _event_out(e: asyncpg.Record) -> dict[str, Any]:
    contact = {"name": e["name"], "email": e["email"], "phone": e["phone"]}
    return {**to_out(e).model_dump(), "contact": contact if e["contact_kept"] else None}


# Their events with id <= $2 (the watermark): those the rollup cells hold.
ROLLED_EVENTS = "SELECT * FROM feedback_events WHERE id = ANY($1::bigint[]) AND id <= $2"

ERASE_SQL = """
WITH events AS (
    DELETE FROM feedback_events WHERE id = ANY($1::bigint[])
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
SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM contacts) AS contacts,
       (SELECT count(*) FROM events WHERE had_comment) AS comments,
       (SELECT count(*) FROM cases) AS follow_ups,
       (SELECT count(*) FROM follow_up_changes WHERE follow_up_id IN (SELECT id FROM cases))
           AS follow_up_changes,
       (SELECT count(*) FROM tombstones) AS ledger_tombstones,
       (SELECT count(*) FROM messages) AS webhook_messages
"""

# What stays (others' events, cases and messages) loses the text that names them: $1 the
# pattern. One UPDATE per table, so no row is updated twice in one statement.
REDACT_TEXT_SQL = f"""
WITH events AS (
    UPDATE feedback_events SET comment = regexp_replace(comment, $1, '{matching.REDACTED}', 'gi')
    WHERE comment IS NOT NULL AND comment ~* $1 RETURNING 1
), cases AS (
    UPDATE follow_ups
    SET resolution = regexp_replace(resolution, $1, '{matching.REDACTED}', 'gi')
    WHERE resolution ~* $1 RETURNING 1
), changes AS (
    UPDATE follow_up_changes
    SET note = regexp_replace(note, $1, '{matching.REDACTED}', 'gi'),
        resolution = regexp_replace(resolution, $1, '{matching.REDACTED}', 'gi')
    WHERE note ~* $1 OR resolution ~* $1 RETURNING 1
), attempts AS (
    UPDATE webhook_attempts SET error = regexp_replace(error, $1, '{matching.REDACTED}', 'gi')
    WHERE error ~* $1 RETURNING 1
)
SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM cases)
       + (SELECT count(*) FROM changes) + (SELECT count(*) FROM attempts)
"""
# JSON documents are redacted value by value (app/respondents/matching.redact_json), so a
# number or a key that matches cannot break the document: found with $1 over their text.
JSON_PLACES = (("feedback_events", "attributes"), ("webhook_messages", "payload"))
FIND_JSON_SQL = (
    "SELECT id, {column}::text AS doc FROM {table} WHERE {column}::text ~* $1 FOR UPDATE"
)
SET_JSON_SQL = "UPDATE {table} SET {column} = $2::text::jsonb WHERE id = $1"

AUDIT_SQL = """
INSERT INTO erasures (key_id, events, contacts, comments, follow_ups, follow_up_changes,
                      ledger_tombstones, webhook_messages)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
RETURNING id AS erasure_id, at
"""
COUNTS = (
    "events", "contacts", "comments", "follow_ups", "follow_up_changes", "ledger_tombstones",
    "webhook_messages",
)  # fmt: skip


async def _redact(conn: asyncpg.Connection, person: Person) -> int:
    """Redact every text and JSON document that names the person; the rows changed."""
    pattern = person.pattern()
    if pattern is None:
        return 0
    changed = int(await conn.fetchval(REDACT_TEXT_SQL, pattern))
    found_by = person.pattern(json_text=True)
    for table, column in JSON_PLACES:
        rows = await conn.fetch(FIND_JSON_SQL.format(table=table, column=column), found_by)
        for row in rows:
            doc = orjson.dumps(matching.redact_json(orjson.loads(row["doc"]), pattern))
            update = SET_JSON_SQL.format(table=table, column=column)
            await conn.execute(update, row["id"], doc.decode())
        changed += len(rows)
    return changed


async def erase(
    conn: asyncpg.Connection, respondent_id: str, key_id: uuid.UUID | None
) -> dict[str, Any]:
    """Erase the respondent by id (see `erase_person`)."""
    return await erase_person(conn, Person(respondent_id=respondent_id), key_id)


async def erase_person(
    conn: asyncpg.Connection, asked: Person, key_id: uuid.UUID | None
) -> dict[str, Any]:
    """Erase the person (see the module doc); idempotent: again, it erases nothing.

    An event of theirs that commits after this transaction is new data and stays.
    """
    async with conn.transaction():
        watermark, zones = await rollups.hold(conn)
        person, pks = await _theirs(conn, asked)
        cells = 0
        if watermark > 0 and pks:
            cells = await rollups.subtract(conn, zones, ROLLED_EVENTS, pks, watermark)
        counts = dict(await conn.fetchrow(ERASE_SQL, pks))
        redacted = await _redact(conn, person)
        audit = await conn.fetchrow(AUDIT_SQL, key_id, *(counts[c] for c in COUNTS))
    erased = {**dict(audit), **counts, "redacted": redacted}
    # Counts only: never the respondent's id, contact data or comments.
    log.info(
        "erasure %d by key %s: %d events, %d contacts, %d comments, %d follow-up cases "
        "(%d history entries), %d ledger tombstones, %d webhook messages, "
        "%d texts redacted elsewhere, %d empty rollup cells removed",
        erased["erasure_id"], key_id, erased["events"], erased["contacts"], erased["comments"],
        erased["follow_ups"], erased["follow_up_changes"], erased["ledger_tombstones"],
        erased["webhook_messages"], redacted, cells,
    )  # fmt: skip
    return erased
