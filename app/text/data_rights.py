"""What the text enrichment keeps of events that go (erasure, the retention of whole
months): the statement parts that delete it, composed by app.respondents.

These rows went with their event by foreign key (ON DELETE CASCADE) until
`feedback_events` was partitioned: a foreign key into a partitioned table must name a
unique key holding the partition key, (id, occurred_at), which these tables do not
carry. So whoever deletes events deletes these rows too, by the events' ids.
"""


def erasure_ctes(events: str) -> str:
    """CTEs deleting the insights, training examples and queued re-enrichments of the
    events `events` names (a CTE or table of the same statement with their `id`):
    `insights`, `examples`, `pending`. Counted by ERASURE_COUNTS."""
    return f"""insights AS (
    DELETE FROM comment_insights c USING {events} e WHERE c.event_pk = e.id RETURNING 1
), examples AS (
    DELETE FROM text_examples x USING {events} e WHERE x.event_pk = e.id RETURNING 1
), pending AS (
    DELETE FROM text_pending p USING {events} e WHERE p.event_pk = e.id RETURNING 1
)"""


# What `erasure_ctes` removed, by name: each a scalar subquery of the same statement.
ERASURE_COUNTS = {
    "insights": "(SELECT count(*) FROM insights)",
    "examples": "(SELECT count(*) FROM examples)",
    "pending": "(SELECT count(*) FROM pending)",
}

# The rows of the events whose ids are $1, in a statement of their own. Erasure runs it
# after the statement that deleted the events, not within it: that statement waited for
# an enrichment that held the events (FOR SHARE) to commit, and only a later statement's
# snapshot sees what that enrichment wrote; one that comes after the delete finds no
# event to write for (app/text/service.py, WRITE_SQL).
FORGET_SQL = f"""
WITH events AS (SELECT unnest($1::bigint[]) AS id),
{erasure_ctes("events")}
SELECT {", ".join(f"{sql} AS {name}" for name, sql in ERASURE_COUNTS.items())}
"""
