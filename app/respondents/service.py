"""Data rights of one person: read everything stored about them, or erase it.

A person is named by a respondent id (`feedback_events.respondent_id`), an e-mail or a
phone number (matched as app/respondents/matching says). Their events are those with
the respondent id (or a respondent id that is the e-mail) and those whose contact data
has the e-mail or phone, a widget answer without respondent id included; the e-mails
and numbers of the contact data found on their events are theirs too, followed up to
FOLLOW_CONTACTS rounds. Their follow-up cases, history and webhook messages hang off
those events. Any other text naming the e-mail or phone is a mention: another event's
comment or attributes, a case resolution or note, a webhook body, a delivery error.

The SQL of each domain's tables is that domain's (app/feedback/data_rights.py,
app/follow_ups/data_rights.py, app/webhooks/data_rights.py); this module composes
it into its statements, as app.ingest.statement composes the ingest statement.

Erasure, in one transaction (docs/architecture.md, "Data rights"):

1. waits for the rollup lock (`rollups.hold`), so no round moves the watermark W
   meanwhile, and no round can deadlock with it: both take that lock first;
2. finds their events, then takes those with id <= W out of every rollup cell they
   were added to (the round's own aggregation, negated) and deletes cells left empty,
   so every metric stays exactly what a recomputation from the remaining events gives;
3. deletes the events (in whichever monthly partitions they are), their contact rows,
   follow-up cases (with their history, by cascade) and webhook messages about them,
   and turns their ledger rows into tombstones (event_id only), so a device replaying
   one of them stores nothing again; then, in a statement of its own, what the text
   enrichment derived from their comments (app/text/data_rights.py);
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
from app.feedback import data_rights as feedback
from app.feedback.store import to_out
from app.follow_ups import data_rights as follow_ups
from app.follow_ups.service import change_out
from app.respondents import matching
from app.rollups import service as rollups
from app.selection.comments import text_of
from app.selection.snapshot import snapshot
from app.text import data_rights as text
from app.webhooks import data_rights as webhooks

log = logging.getLogger(__name__)


async def get_data(conn: asyncpg.Connection, respondent_id: str) -> dict[str, Any]:
    """Everything stored about the respondent, from one snapshot; NotFound if nothing is."""
    async with snapshot(conn):
        events = await conn.fetch(feedback.RESPONDENT_EVENTS_SQL, respondent_id)
        if not events:
            raise NotFound("Nothing is stored about this respondent.")
        cases = await conn.fetch(follow_ups.CASES_OF_EVENTS_SQL, [e["id"] for e in events])
        changes = await conn.fetch(follow_ups.CHANGES_OF_CASES_SQL, [c["id"] for c in cases])
    history: dict[int, list[dict[str, Any]]] = {c["id"]: [] for c in cases}
    for change in changes:
        history[change["follow_up_id"]].append(change_out(change))
    return {
        "respondent_id": respondent_id,
        "events": [_event_out(e) for e in events],
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
THEIR_EVENTS_SQL = feedback.matching_events_sql(matching.EMAIL_SQL, matching.PHONE_SQL)
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
MENTIONS_SQL = f"""
{feedback.mentions_sql("$1", "$2", theirs="$3::bigint[]")}
UNION ALL
{follow_ups.mentions_sql("$1", theirs="$3::bigint[]")}
UNION ALL
{webhooks.mentions_sql("$1", "$2")}
"""


async def search(conn: asyncpg.Connection, asked: Person) -> dict[str, Any]:
    """Everything stored about the person, from one snapshot; NotFound if nothing is."""
    async with snapshot(conn):
        person, pks = await _theirs(conn, asked)
        events = await conn.fetch(feedback.EVENTS_BY_ID_SQL, pks)
        cases = await conn.fetch(follow_ups.CASES_OF_EVENTS_SQL, pks)
        changes = await conn.fetch(follow_ups.CHANGES_OF_CASES_SQL, [c["id"] for c in cases])
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
    return {
        **to_out(e).model_dump(),
        "contact": contact if e["contact_kept"] else None,
        "text": text_of(e["text"]),
    }


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

# Their events ($1, ids) go, and with them their contact rows, ledger rows (tombstones),
# cases (with their history) and webhook messages: one statement, answering COUNTS.
_ERASED = {**feedback.ERASURE_COUNTS, **follow_ups.ERASURE_COUNTS, **webhooks.ERASURE_COUNTS}
ERASE_SQL = f"""
WITH {feedback.erasure_ctes("$1::bigint[]")},
{follow_ups.erasure_cte("events")},
{webhooks.erasure_cte("events")}
SELECT {", ".join(f"{_ERASED[name]} AS {name}" for name in COUNTS)}
"""

# What stays (others' events, cases and messages) loses the text that names them: $1 the
# pattern. One UPDATE per table, so no row is updated twice in one statement.
_REDACTED = f"'{matching.REDACTED}'"
REDACT_TEXT_SQL = f"""
WITH {feedback.redaction_cte("$1", _REDACTED)},
{follow_ups.redaction_ctes("$1", _REDACTED)},
{webhooks.redaction_cte("$1", _REDACTED)}
SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM cases)
       + (SELECT count(*) FROM changes) + (SELECT count(*) FROM attempts)
"""
# JSON documents are redacted value by value (app/respondents/matching.redact_json), so a
# number or a key that matches cannot break the document: found with $1 over their text.
JSON_PLACES = feedback.JSON_PLACES + webhooks.JSON_PLACES
FIND_JSON_SQL = (
    "SELECT id, {column}::text AS doc FROM {table} WHERE {column}::text ~* $1 FOR UPDATE"
)
SET_JSON_SQL = "UPDATE {table} SET {column} = $2::text::jsonb WHERE id = $1"


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
            cells = await rollups.subtract(conn, zones, feedback.ROLLED_EVENTS_SQL, pks, watermark)
        counts = dict(await conn.fetchrow(ERASE_SQL, pks))
        await conn.fetchrow(text.FORGET_SQL, pks)  # after the events went: see FORGET_SQL
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
