"""Retention of the follow-up cases: the statements that clear the free text of cases
older than the cutoff (run in batches by app.respondents.retention). Each takes $1 the
last id of the previous batch (0 at first), $2 the cutoff and $3 the batch size, and
answers `n` (rows cleared) and `last` (the batch's last id; NULL: nothing was left)."""

NOTES_SQL = """
WITH batch AS MATERIALIZED (
    SELECT id FROM follow_up_changes
    WHERE id > $1 AND at < $2 AND (note IS NOT NULL OR resolution IS NOT NULL)
    ORDER BY id LIMIT $3
), cleared AS (
    UPDATE follow_up_changes h SET note = NULL, resolution = NULL
    FROM batch b WHERE h.id = b.id RETURNING 1
)
SELECT (SELECT count(*) FROM cleared) AS n, (SELECT max(id) FROM batch) AS last
"""
"""History entries made before the cutoff: contact-attempt notes and resolutions."""

RESOLUTIONS_SQL = """
WITH batch AS MATERIALIZED (
    SELECT id FROM follow_ups
    WHERE id > $1 AND closed_at < $2 AND resolution IS NOT NULL
    ORDER BY id LIMIT $3
), cleared AS (
    UPDATE follow_ups f SET resolution = NULL FROM batch b WHERE f.id = b.id RETURNING 1
)
SELECT (SELECT count(*) FROM cleared) AS n, (SELECT max(id) FROM batch) AS last
"""
"""The resolution of cases closed before the cutoff."""
