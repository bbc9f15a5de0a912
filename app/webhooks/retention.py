"""Retention of the outbox: the statement that deletes the webhook messages written
before the cutoff that are done (run in batches by app.respondents.retention). Their
bodies carry the event, comment included."""

DONE_MESSAGES_SQL = """
WITH batch AS MATERIALIZED (
    SELECT id FROM webhook_messages
    WHERE id > $1 AND created_at < $2 AND status <> 'pending'
    ORDER BY id LIMIT $3
), deleted AS (
    DELETE FROM webhook_messages m USING batch b WHERE m.id = b.id RETURNING 1
)
SELECT (SELECT count(*) FROM deleted) AS n, (SELECT max(id) FROM batch) AS last
"""
"""Done messages only: one still being retried (at most about 32 hours) goes in a
later run, once delivered or failed. Their attempts go with them (ON DELETE CASCADE).
$1 the last id of the previous batch (0 at first), $2 the cutoff, $3 the batch size;
answers `n` (messages deleted) and `last` (the batch's last id; NULL: nothing was left)."""
