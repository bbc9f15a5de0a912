"""Opaque keyset cursors: the list's name and the sort key of the last row,
base64url(JSON). Pure functions.

The name makes a cursor of one list (or of one order) a 422 on every other, where it
could fit the keyset and page through something else (a feedback cursor on the
follow-ups, a webhooks cursor, ascending, on the deliveries, descending)."""

import base64
import binascii
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson

from app.errors import FieldError, ValidationFailed

T = TypeVar("T")


def encode_cursor(kind: str, *key: Any) -> str:
    """The cursor after `key` in the list named `kind`."""
    return base64.urlsafe_b64encode(orjson.dumps([kind, *key])).decode().rstrip("=")


def decode_cursor(cursor: str, kind: str, arity: int) -> list[Any]:
    """The `arity` key values of a cursor that `encode_cursor(kind, ...)` issued, else a 422."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = orjson.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise invalid_cursor() from exc
    if not isinstance(key, list) or len(key) != arity + 1 or key[0] != kind:
        raise invalid_cursor()
    return key[1:]


def encode_instant_cursor(kind: str, at: datetime, row_id: int) -> str:
    """The cursor of a list ordered by (a timestamp, id)."""
    return encode_cursor(kind, at.isoformat(), row_id)


def decode_instant_cursor(cursor: str, kind: str) -> tuple[datetime, int]:
    at, row_id = decode_cursor(cursor, kind, 2)
    return cursor_instant(at), cursor_id(row_id)


# A forged cursor must be refused here, as a 422, never reach the database as a value
# it cannot take (an id of 2**63, a NUL in a text, a time without its offset: 500s before).
INT64_MAX = 2**63 - 1


def cursor_id(value: Any) -> int:
    """A row id from a cursor: an integer the database's bigint can hold."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= INT64_MAX:
        raise invalid_cursor()
    return value


def cursor_text(value: Any) -> str:
    """A text key from a cursor: what an id column can hold (no NUL, 128 characters)."""
    if not isinstance(value, str) or "\x00" in value or len(value) > 128:
        raise invalid_cursor()
    return value


def cursor_instant(value: Any) -> datetime:
    """An instant from a cursor: RFC 3339 with its offset."""
    if not isinstance(value, str):
        raise invalid_cursor()
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise invalid_cursor() from exc
    if at.tzinfo is None:
        raise invalid_cursor()
    try:
        return at.astimezone(UTC)  # year 1 at +14:00 is before year 1 in UTC
    except OverflowError as exc:
        raise invalid_cursor() from exc


def invalid_cursor() -> ValidationFailed:
    return ValidationFailed(
        "The cursor is not one this service issued.",
        errors=[
            FieldError(
                pointer="",
                loc=["query", "cursor"],
                type="cursor_invalid",
                message="Pass back next_cursor unchanged.",
            )
        ],
    )


def page(
    rows: Sequence[T], limit: int, cursor_after: Callable[[T], str]
) -> tuple[list[T], str | None]:
    """A keyset page: the first `limit` of `rows` (fetched as `limit + 1`), and the cursor
    after the last of them when more follow (None on the last page)."""
    items = list(rows[:limit])
    return items, cursor_after(items[-1]) if len(rows) > limit else None
