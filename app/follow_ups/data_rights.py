"""A person's follow-up cases, as data access and erasure read, delete and redact them: the
parts of those statements that touch the case and history tables (composed by
app.respondents.service). The cases of a person are those of their events.
"""

from app.follow_ups.service import CASE_COLUMNS

# The cases of the events $1 (ids), oldest first, and the history of the cases $1 (ids),
# in the columns of `service.change_out`.
CASES_OF_EVENTS_SQL = f"""
SELECT {CASE_COLUMNS} FROM follow_ups WHERE event_pk = ANY($1::bigint[]) ORDER BY opened_at, id
"""
CHANGES_OF_CASES_SQL = """
SELECT follow_up_id, at, kind, key_id::text AS key_id, from_status, to_status, assignee,
       contact_channel, contact_outcome, note, resolution
FROM follow_up_changes WHERE follow_up_id = ANY($1::bigint[]) ORDER BY follow_up_id, id
"""


def mentions_sql(pattern: str, theirs: str) -> str:
    """Branches of a UNION ALL of mentions (`place`, `ref`, `text`): the case resolutions,
    history notes and history resolutions that `pattern` finds, of the cases of events
    other than `theirs` (an array of event ids)."""
    return f"""SELECT 'follow_ups.resolution' AS place, id::text AS ref, resolution AS text
FROM follow_ups WHERE resolution ~* {pattern} AND NOT event_pk = ANY({theirs})
UNION ALL
SELECT 'follow_up_changes.' || t.place AS place, ch.follow_up_id::text AS ref, t.text AS text
FROM follow_up_changes ch JOIN follow_ups f ON f.id = ch.follow_up_id
CROSS JOIN LATERAL (VALUES ('note', ch.note), ('resolution', ch.resolution)) AS t(place, text)
WHERE t.text ~* {pattern} AND NOT f.event_pk = ANY({theirs})"""


def erasure_cte(events: str) -> str:
    """A CTE `cases` deleting the cases of the events `events` names (a CTE of the same
    statement with their `id`), answering their `id`. Counted by ERASURE_COUNTS."""
    return f"""cases AS (
    -- Their history goes with them (ON DELETE CASCADE, at the end of this statement);
    -- it is counted below from the statement's snapshot, which still has it.
    DELETE FROM follow_ups f USING {events} e WHERE f.event_pk = e.id RETURNING f.id
)"""


# What `erasure_cte` removed, by name: each a scalar subquery of the same statement.
ERASURE_COUNTS = {
    "follow_ups": "(SELECT count(*) FROM cases)",
    "follow_up_changes": (
        "(SELECT count(*) FROM follow_up_changes WHERE follow_up_id IN (SELECT id FROM cases))"
    ),
}


def redaction_ctes(pattern: str, replacement: str) -> str:
    """CTEs `cases` and `changes` replacing what `pattern` (a case-insensitive regex) finds
    in the resolutions of cases, and in the notes and resolutions of their history, with
    `replacement`; one row (`RETURNING 1`) per row changed. One UPDATE per table, so no
    row is updated twice in one statement."""
    return f"""cases AS (
    UPDATE follow_ups
    SET resolution = regexp_replace(resolution, {pattern}, {replacement}, 'gi')
    WHERE resolution ~* {pattern} RETURNING 1
), changes AS (
    UPDATE follow_up_changes
    SET note = regexp_replace(note, {pattern}, {replacement}, 'gi'),
        resolution = regexp_replace(resolution, {pattern}, {replacement}, 'gi')
    WHERE note ~* {pattern} OR resolution ~* {pattern} RETURNING 1
)"""
