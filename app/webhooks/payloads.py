"""Webhook message bodies built inside SQL, so that a statement of another part of the
service (the ingest statement, app.ingest.statement) writes them to the outbox in its
own transaction: committed with what they report, or not at all.

The data of a body is what the API returns for the same row, built in SQL by the
part that owns the row (app.feedback.store.event_json_sql,
app.follow_ups.opening.case_json_sql), with timestamps spelled as the API spells them.
The tests compare both byte for byte after parsing.
"""

from app.sql import json_object_sql, timestamp_sql

FEEDBACK_CREATED = "feedback.created"
FOLLOW_UP_OPENED = "follow_up.opened"
FOLLOW_UP_UPDATED = "follow_up.updated"
FOLLOW_UP_RESOLVED = "follow_up.resolved"
ALERT_OPENED = "alert.opened"
ALERT_RESOLVED = "alert.resolved"
EVENT_TYPES = (
    FEEDBACK_CREATED, FOLLOW_UP_OPENED, FOLLOW_UP_UPDATED, FOLLOW_UP_RESOLVED, ALERT_OPENED,
    ALERT_RESOLVED,
)  # fmt: skip


def message_sql(event_type: str, at: str, data: str) -> str:
    """The body of a message: `{"type", "timestamp", "data"}`."""
    return json_object_sql(
        [("type", f"'{event_type}'"), ("timestamp", timestamp_sql(at)), ("data", data)]
    )


def outbox_cte(name: str, event_type: str, rows: str, *, at: str, data: str, when: str) -> str:
    """A CTE `name` writing one message of `event_type` per row that `rows` (joins after
    the subscriptions `s`) gives and enabled subscription to that type, when `when`
    holds. With no subscription the join is empty and no JSON is built."""
    return f"""{name} AS (
    INSERT INTO webhook_messages (subscription_id, event_type, payload)
    SELECT s.id, '{event_type}', {message_sql(event_type, at, data)}
    FROM webhook_subscriptions s
    {rows}
    WHERE {when} AND s.enabled AND '{event_type}' = ANY (s.event_types)
)"""
