"""A person's webhook messages, as data access and erasure find, delete and redact them:
the parts of those statements that touch the outbox and its delivery log (composed by
app.respondents.service). Every message body names the event_id it is about
(app.webhooks.payloads), which is how the messages of a person's events are found.
"""


def mentions_sql(pattern: str, json_pattern: str) -> str:
    """Branches of a UNION ALL of mentions (`place`, `ref`, `text`): the message bodies
    that `json_pattern` finds (over their JSON text), and the delivery errors that
    `pattern` finds."""
    return f"""SELECT 'webhook_messages.payload' AS place, msg_id::text AS ref,
       payload::text AS text
FROM webhook_messages WHERE payload::text ~* {json_pattern}
UNION ALL
SELECT 'webhook_attempts.error' AS place, message_id::text AS ref, error AS text
FROM webhook_attempts WHERE error ~* {pattern}"""


def erasure_cte(events: str) -> str:
    """A CTE `messages` deleting the messages about the events `events` names (a CTE of
    the same statement with their `event_id`). Counted by ERASURE_COUNTS."""
    return f"""messages AS (
    -- Webhook bodies about the events or their cases (every type names the event_id),
    -- pending or sent; their delivery log goes with them (ON DELETE CASCADE).
    DELETE FROM webhook_messages m USING {events} e
    WHERE m.payload -> 'data' ->> 'event_id' = e.event_id
    RETURNING 1
)"""


# What `erasure_cte` removed, by name: a scalar subquery of the same statement.
ERASURE_COUNTS = {"webhook_messages": "(SELECT count(*) FROM messages)"}


def redaction_cte(pattern: str, replacement: str) -> str:
    """A CTE `attempts` replacing what `pattern` (a case-insensitive regex) finds in the
    delivery errors with `replacement`, one row (`RETURNING 1`) per attempt changed.
    (Message bodies are JSON: see JSON_PLACES.)"""
    return f"""attempts AS (
    UPDATE webhook_attempts SET error = regexp_replace(error, {pattern}, {replacement}, 'gi')
    WHERE error ~* {pattern} RETURNING 1
)"""


# The JSON documents (table, column; the table's key is `id`) that may name a person.
JSON_PLACES = (("webhook_messages", "payload"),)
