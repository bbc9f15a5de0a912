"""Webhooks: subscriptions, the outbox (enqueue, claim, record) and the delivery log.

Messages for new events and new cases are written by the ingest statement
itself (app/feedback/store.py); `enqueue` writes them for the changes of a
case, inside the PATCH's transaction.
"""

from datetime import datetime, timedelta
from typing import Any

import asyncpg
import orjson
from pydantic import TypeAdapter

from app.errors import FieldError, NotFound, ValidationFailed
from app.http.cursors import cursor_id, decode_cursor, encode_cursor, page
from app.webhooks import schedule, signing, targets
from app.webhooks.delivery import Message, Result, stored_error
from app.webhooks.schemas import WebhookIn, WebhookPatch

# A claimed message is due again after this long if its worker never reports back
# (it died); longer than the request timeout (at most 30 s) plus resolving.
LEASE = timedelta(seconds=60)

COLUMNS = (
    "id, url, event_types, description, enabled, disabled_at, disabled_reason, created_at, "
    "updated_at"
)


def checked_url(url: str, *, allow_private: bool) -> str:
    try:
        targets.check_url(url, allow_private=allow_private)
    except ValueError as exc:
        raise ValidationFailed(
            "The webhook URL is not acceptable.",
            errors=[FieldError(pointer="#/url", loc=["body", "url"], type="url", message=str(exc))],
        ) from exc
    return url


async def create(
    conn: asyncpg.Connection, spec: WebhookIn, *, allow_private: bool
) -> dict[str, Any]:
    """The new subscription with its secret (which no other answer contains)."""
    url = checked_url(spec.url, allow_private=allow_private)
    secret = signing.new_secret()
    row = await conn.fetchrow(
        f"INSERT INTO webhook_subscriptions (url, event_types, description, secret) "
        f"VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}",
        url, spec.event_types, spec.description, secret,
    )  # fmt: skip
    return {**dict(row), "secret": secret}


async def list_subscriptions(
    conn: asyncpg.Connection, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    after = _id_cursor(cursor, "webhooks") if cursor else 0
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM webhook_subscriptions WHERE id > $1 ORDER BY id LIMIT $2",
        after, limit + 1,
    )  # fmt: skip
    return page([dict(r) for r in rows], limit, lambda last: encode_cursor("webhooks", last["id"]))


async def get(conn: asyncpg.Connection, webhook_id: int) -> dict[str, Any]:
    row = await conn.fetchrow(
        f"SELECT {COLUMNS} FROM webhook_subscriptions WHERE id = $1", webhook_id
    )
    if row is None:
        raise NotFound(f"No webhook subscription {webhook_id}.")
    return dict(row)


async def patch(
    conn: asyncpg.Connection, webhook_id: int, change: WebhookPatch, *, allow_private: bool
) -> dict[str, Any]:
    async with conn.transaction():
        row = await conn.fetchrow(
            "SELECT url, event_types, description, enabled FROM webhook_subscriptions "
            "WHERE id = $1 FOR UPDATE",
            webhook_id,
        )
        if row is None:
            raise NotFound(f"No webhook subscription {webhook_id}.")
        given = change.model_fields_set
        url = checked_url(change.url, allow_private=allow_private) if change.url else row["url"]
        types = change.event_types if change.event_types is not None else row["event_types"]
        description = change.description if "description" in given else row["description"]
        await conn.execute(
            "UPDATE webhook_subscriptions SET url = $2, event_types = $3, description = $4, "
            "updated_at = now() WHERE id = $1",
            webhook_id, url, types, description,
        )  # fmt: skip
        if change.enabled is True and not row["enabled"]:
            await conn.execute(
                "UPDATE webhook_subscriptions SET enabled = true, disabled_at = NULL, "
                "disabled_reason = NULL, failing_since = NULL WHERE id = $1",
                webhook_id,
            )
            # What waited while it was disabled goes out now, on its remaining attempts.
            await conn.execute(
                "UPDATE webhook_messages SET next_attempt_at = now() "
                "WHERE subscription_id = $1 AND status = 'pending'",
                webhook_id,
            )
        elif change.enabled is False and row["enabled"]:
            await conn.execute(
                "UPDATE webhook_subscriptions SET enabled = false, disabled_at = now(), "
                "disabled_reason = 'Disabled through the API.' WHERE id = $1",
                webhook_id,
            )
        return await get(conn, webhook_id)


async def delete(conn: asyncpg.Connection, webhook_id: int) -> None:
    """Removes the subscription, its pending messages and its log: nothing more is sent."""
    deleted = await conn.fetchval(
        "DELETE FROM webhook_subscriptions WHERE id = $1 RETURNING id", webhook_id
    )
    if deleted is None:
        raise NotFound(f"No webhook subscription {webhook_id}.")


async def deliveries(
    conn: asyncpg.Connection, webhook_id: int, *, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """The delivery log, newest attempt first, by id keyset."""
    await get(conn, webhook_id)  # 404 for an unknown subscription
    before = _id_cursor(cursor, "deliveries") if cursor else 2**63 - 1
    rows = await conn.fetch(
        "SELECT a.id, 'msg_' || replace(m.msg_id::text, '-', '') AS message_id, m.event_type, "
        "a.attempt, a.at, a.status_code, a.error, a.duration_ms "
        "FROM webhook_attempts a JOIN webhook_messages m ON m.id = a.message_id "
        "WHERE a.subscription_id = $1 AND a.id < $2 ORDER BY a.id DESC LIMIT $3",
        webhook_id, before, limit + 1,
    )  # fmt: skip
    return page(
        [dict(r) for r in rows], limit, lambda last: encode_cursor("deliveries", last["id"])
    )


def _id_cursor(cursor: str, kind: str) -> int:
    (value,) = decode_cursor(cursor, kind, 1)
    return cursor_id(value)


# ---------------------------------------------------------------- outbox


_INSTANT = TypeAdapter(datetime)


async def enqueue(conn: asyncpg.Connection, event_type: str, at: datetime, data: Any) -> None:
    """One message per enabled subscription to `event_type`, in the caller's transaction.
    `data` is JSON-ready (`model_dump(mode="json")`)."""
    timestamp = _INSTANT.dump_python(at, mode="json")
    body = orjson.dumps({"type": event_type, "timestamp": timestamp, "data": data}).decode()
    await conn.execute(
        "INSERT INTO webhook_messages (subscription_id, event_type, payload) "
        "SELECT id, $1::text, $2::jsonb FROM webhook_subscriptions "
        "WHERE enabled AND $1::text = ANY (event_types)",
        event_type, body,
    )  # fmt: skip


CLAIM_SQL = """
WITH due AS (
    SELECT m.id FROM webhook_messages m
    WHERE m.status = 'pending' AND m.next_attempt_at <= $1
      AND EXISTS (SELECT FROM webhook_subscriptions s WHERE s.id = m.subscription_id AND s.enabled)
    ORDER BY m.next_attempt_at
    LIMIT $3
    FOR UPDATE OF m SKIP LOCKED  -- another worker's claim in progress: leave its rows to it
)
UPDATE webhook_messages m
SET attempts = m.attempts + 1, next_attempt_at = $1 + $2::interval  -- the lease
FROM due, webhook_subscriptions s
WHERE m.id = due.id AND s.id = m.subscription_id
RETURNING m.id, 'msg_' || replace(m.msg_id::text, '-', '') AS msg_id, m.subscription_id,
          m.event_type, m.payload::text AS body, m.attempts, s.url, s.secret
"""


async def claim(conn: asyncpg.Connection, now: datetime, limit: int) -> list[Message]:
    """Take up to `limit` due messages for one lease; one statement, its own transaction."""
    rows = await conn.fetch(CLAIM_SQL, now, LEASE, limit)
    return [
        Message(
            r["id"],
            r["msg_id"],
            r["subscription_id"],
            r["event_type"],
            r["body"].encode(),
            r["attempts"],
            r["url"],
            r["secret"],
        )
        for r in rows
    ]


async def record(
    conn: asyncpg.Connection, message: Message, result: Result, now: datetime, rand: float
) -> None:
    """Log the attempt and move the message on: delivered, due again later, or failed.

    The message is only updated if no other worker claimed it since (its lease ran
    out): `attempts` still being this attempt's number is the fence. A failure
    that ends 24 hours without a success disables the subscription.
    """
    error = stored_error(result.error)
    async with conn.transaction():
        await conn.execute(
            "INSERT INTO webhook_attempts (message_id, subscription_id, attempt, at, "
            "status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            message.id, message.subscription_id, message.attempt, now, result.status_code,
            error, result.duration_ms,
        )  # fmt: skip
        await settle(conn, message, delivered=result.ok, now=now, rand=rand)
        if result.ok:
            await conn.execute(
                "UPDATE webhook_subscriptions SET failing_since = NULL "
                "WHERE id = $1 AND failing_since IS NOT NULL",
                message.subscription_id,
            )
            return
        sub = await conn.fetchrow(
            "UPDATE webhook_subscriptions SET failing_since = coalesce(failing_since, $2) "
            "WHERE id = $1 RETURNING enabled, failing_since",
            message.subscription_id, now,
        )  # fmt: skip
        if (
            sub is not None
            and sub["enabled"]
            and schedule.should_disable(sub["failing_since"], now)
        ):
            hours = schedule.DISABLE_AFTER.total_seconds() / 3600
            await conn.execute(
                "UPDATE webhook_subscriptions SET enabled = false, disabled_at = $2, "
                "disabled_reason = $3, updated_at = $2 WHERE id = $1",
                message.subscription_id, now,
                f"Every delivery failed for {hours:g} hours (since "
                f"{sub['failing_since']:%Y-%m-%d %H:%M:%S} UTC); last error: {error}",
            )  # fmt: skip


async def settle(
    conn: asyncpg.Connection, message: Message, *, delivered: bool, now: datetime, rand: float
) -> None:
    """Move the message on after an attempt: delivered, due again after its back-off, or
    failed when the schedule is exhausted. Part of `record`; alone when the attempt
    could not be logged, so that message still keeps to its schedule (fenced likewise)."""
    if delivered:
        await conn.execute(
            "UPDATE webhook_messages SET status = 'delivered', finished_at = $3 "
            "WHERE id = $1 AND attempts = $2",
            message.id, message.attempt, now,
        )  # fmt: skip
        return
    delay = schedule.retry_delay(message.attempt, rand)
    if delay is None:
        await conn.execute(
            "UPDATE webhook_messages SET status = 'failed', finished_at = $3 "
            "WHERE id = $1 AND attempts = $2",
            message.id, message.attempt, now,
        )  # fmt: skip
    else:
        await conn.execute(
            "UPDATE webhook_messages SET next_attempt_at = $3 WHERE id = $1 AND attempts = $2",
            message.id, message.attempt, now + delay,
        )  # fmt: skip
