"""A person's events, as data access and erasure read, find, delete and redact them: the
statements and statement parts that touch the event, ledger and contact tables (composed
by app.respondents.service, which matches the person and runs them).

A part takes its parameters as SQL from the statement it is composed into (`ids`,
`pattern`, `theirs`: "$1", "$3::bigint[]"); a whole statement says which it takes.
"""

from app.selection.comments import INSIGHT_JOIN, TEXT_COLUMN
from app.vocabulary import EVENT_COLUMNS


def _events_sql(where: str) -> str:
    return f"""
SELECT e.id, {", ".join(f"e.{n}" for n, _ in EVENT_COLUMNS)},
       c.event_pk IS NOT NULL AS contact_kept, c.name, c.email, c.phone, {TEXT_COLUMN}
FROM feedback_events e LEFT JOIN feedback_contacts c ON c.event_pk = e.id {INSIGHT_JOIN}
WHERE {where}
ORDER BY e.occurred_at, e.id
"""


# The events of a respondent id ($1) or of the ids $1, oldest first, each with its
# contact data (`contact_kept`: the contact row is still there) and what the text
# enrichment derived from its comment (`text`): derived data is theirs to see too.
RESPONDENT_EVENTS_SQL = _events_sql("e.respondent_id = $1")
EVENTS_BY_ID_SQL = _events_sql("e.id = ANY($1)")


def matching_events_sql(email: str, phone: str) -> str:
    """The events of a person (`id`), with the contact data found on them (`email`,
    `phone`): the respondent id's ($1), those whose respondent id is one of the e-mails
    ($2), and every event whose contact has one of the e-mails or phone numbers ($3).
    `email` and `phone` normalise a stored value as $2 and $3 are (`{}` the column)."""
    return f"""
SELECT e.id, c.email, c.phone
FROM feedback_events e LEFT JOIN feedback_contacts c ON c.event_pk = e.id
WHERE e.respondent_id = $1 OR {email.format("e.respondent_id")} = ANY($2::text[])
UNION
SELECT c.event_pk, c.email, c.phone FROM feedback_contacts c
WHERE {email.format("c.email")} = ANY($2::text[])
   OR {phone.format("c.phone")} = ANY($3::text[])
"""


def mentions_sql(pattern: str, json_pattern: str, theirs: str) -> str:
    """Branches of a UNION ALL of mentions (`place`, `ref`, `text`): the comments that
    `pattern` finds and the attributes that `json_pattern` finds (over their JSON text),
    of the events other than `theirs` (an array of event ids)."""
    return f"""SELECT 'feedback_events.comment' AS place, event_id AS ref, comment AS text
FROM feedback_events
WHERE comment IS NOT NULL AND comment ~* {pattern} AND NOT id = ANY({theirs})
UNION ALL
SELECT 'feedback_events.attributes' AS place, event_id AS ref, attributes::text AS text
FROM feedback_events WHERE attributes::text ~* {json_pattern} AND NOT id = ANY({theirs})"""


# The events of the ids $1 with id <= $2 (the watermark): those the rollup cells hold.
ROLLED_EVENTS_SQL = "SELECT * FROM feedback_events WHERE id = ANY($1::bigint[]) AND id <= $2"


def erasure_ctes(ids: str) -> str:
    """CTEs deleting the events whose ids the array `ids` gives (from every partition):
    `events` (the deleted events: `id`, `event_id`, `had_comment`), `contacts` (their
    contact rows), and `tombstones` (their ledger rows, now event_id only, so a device
    replaying one of them stores nothing again). Counted by ERASURE_COUNTS."""
    return f"""events AS (
    DELETE FROM feedback_events WHERE id = ANY({ids})
    RETURNING id, event_id, comment IS NOT NULL AND comment <> '' AS had_comment
), {_GONE_CTES}"""


def expiry_ctes(table: str) -> str:
    """The CTEs of `erasure_ctes` for the events of `table`, a partition the retention of
    whole months has detached (app/feedback/partitions.py, `detach`): it is dropped
    afterwards, so its rows are read, not deleted."""
    return f"""events AS MATERIALIZED (
    SELECT id, event_id, comment IS NOT NULL AND comment <> '' AS had_comment FROM {table}
), {_GONE_CTES}"""


_GONE_CTES = """contacts AS (
    DELETE FROM feedback_contacts c USING events e WHERE c.event_pk = e.id RETURNING 1
), tombstones AS (
    UPDATE feedback_event_ids l SET event_pk = NULL, occurred_at = NULL, body_hash = NULL
    FROM events e WHERE l.event_id = e.event_id AND l.event_pk = e.id
    RETURNING 1
)"""


def expired_rolled_sql(table: str) -> str:
    """The events of `table` (a detached partition) with id <= $1, the watermark: those
    the rollup cells hold (app/rollups/service.py, `subtract`)."""
    return f"SELECT * FROM {table} WHERE id <= $1"


# What `erasure_ctes` removed, by name: each a scalar subquery of the same statement.
ERASURE_COUNTS = {
    "events": "(SELECT count(*) FROM events)",
    "contacts": "(SELECT count(*) FROM contacts)",
    "comments": "(SELECT count(*) FROM events WHERE had_comment)",
    "ledger_tombstones": "(SELECT count(*) FROM tombstones)",
}


def redaction_cte(pattern: str, replacement: str) -> str:
    """A CTE `events` replacing what `pattern` (a case-insensitive regex) finds in the
    comments of the events with `replacement`, one row (`RETURNING 1`) per event changed."""
    return f"""events AS (
    UPDATE feedback_events SET comment = regexp_replace(comment, {pattern}, {replacement}, 'gi')
    WHERE comment IS NOT NULL AND comment ~* {pattern} RETURNING 1
)"""


# The JSON documents (table, column; the table's key is `id`) that may name a person.
JSON_PLACES = (("feedback_events", "attributes"),)
