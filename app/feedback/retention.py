"""Retention of the events: the statements that find the events received in a span and
clear their comments and contact data (run in batches by app.respondents.retention).
Every score and dimension stays, and the ledger row (its fingerprint still tells a
replay from a conflict)."""


def received_ids_sql(span: str) -> str:
    """A query of the events received in `span` (a CTE of one row: `since`, `cutoff`):
    its `cutoff`, and the first and last id of those events (`first_id`, `last_id`; NULL
    when there are none). After a first run, `since` is an hour ago or so: the events
    are found through the BRIN index on `received_at`."""
    return f"""SELECT {span}.cutoff, min(e.id) AS first_id, max(e.id) AS last_id
FROM {span} LEFT JOIN feedback_events e
    ON e.received_at >= {span}.since AND e.received_at < {span}.cutoff
GROUP BY {span}.cutoff"""


CLEAR_SQL = """
WITH batch AS MATERIALIZED (
    SELECT id, comment IS NOT NULL AS had_comment
    FROM feedback_events
    WHERE id >= $1 AND id < $2 AND received_at < $3 AND (comment IS NOT NULL OR has_contact)
), cleared AS (
    UPDATE feedback_events e SET comment = NULL, has_contact = false
    FROM batch b WHERE e.id = b.id
    RETURNING e.id
), contacts AS (
    DELETE FROM feedback_contacts c USING batch b WHERE c.event_pk = b.id RETURNING 1
)
SELECT (SELECT count(*) FROM batch WHERE had_comment) AS comments,
       (SELECT count(*) FROM contacts) AS contacts,
       (SELECT count(*) FROM cleared) AS events
"""
"""The events with ids from $1 up to (not including) $2 received before $3 lose their
comment and their contact rows (`has_contact` becomes false). Ids follow arrival
closely but not exactly, so every row's `received_at` is checked again; one outside
the range is never in need (cleared before, or too new). Answers how many comments,
contact rows and events it cleared."""
