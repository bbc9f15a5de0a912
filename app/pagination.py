"""Opaque keyset cursors: the sort key of the last row, base64url(JSON). Pure functions."""

import base64
import binascii
from datetime import datetime
from typing import Any

import orjson

from app.errors import FieldError, ValidationFailed


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = orjson.loads(raw)
    except (binascii.Error, ValueError) as exc:
        raise invalid_cursor() from exc
    if not isinstance(key, list) or len(key) != arity:
        raise invalid_cursor()
    return key


def encode_instant_cursor(at: datetime, row_id: int) -> str:
    """The cursor of a list ordered by (a timestamp, id)."""
    return encode_cursor(at.isoformat(), row_id)


def decode_instant_cursor(cursor: str) -> tuple[datetime, int]:
    at, row_id = decode_cursor(cursor, 2)
    if not isinstance(at, str) or not isinstance(row_id, int):
        raise invalid_cursor()
    try:
        return datetime.fromisoformat(at), row_id
    except ValueError as exc:
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
