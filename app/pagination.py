"""Opaque keyset cursors: the sort key of the last row, base64url(JSON). Pure functions."""

import base64
import binascii
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
