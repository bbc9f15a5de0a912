"""Constrained string types shared by the request schemas.

Every client string goes through one of these: NUL characters are refused
(PostgreSQL text cannot store them), and lengths are bounded.
"""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, StringConstraints


def reject_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


NoNul = AfterValidator(reject_nul)

Slug = Annotated[
    str,
    StringConstraints(strict=True, pattern=r"^[a-z0-9][a-z0-9_-]*$", min_length=1, max_length=64),
]
"""Lower-case letters, digits, `_` and `-`, starting with a letter or digit; at most 64."""

Identifier = Annotated[
    str,
    # The pattern already refuses NUL and other control characters (checked in Rust,
    # cheaper than a Python validator on the hot path).
    StringConstraints(strict=True, pattern=r"^[^\x00-\x1f\x7f]+$", min_length=1, max_length=128),
]
"""Any printable string of 1..128 characters (your own ids: branches, employees, customers)."""


Name = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200), NoNul]
"""A human-readable name of at most 200 characters."""

Note = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=2000), NoNul]
"""Free text of at most 2,000 characters (notes, resolutions)."""


# Instants a query may name: wide enough for any feedback, narrow enough that every
# computation on them (zone conversion, the default window before `to`, the comparison
# window, bucket starts before and after the window) stays within what Python and
# PostgreSQL represent.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)


def bounded_instant(value: datetime) -> datetime:
    """An aware instant between 1900 and 3000 in UTC (year 1 at +14:00 is year 0 in
    UTC, which neither Python nor the database driver can hold: a 500 before)."""
    if value.tzinfo is None:
        raise ValueError("needs its UTC offset, e.g. 2026-11-01T00:00:00+01:00")
    try:
        instant = value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("lies outside the years 1900..3000 in UTC") from exc
    if not EARLIEST <= instant <= LATEST:
        raise ValueError("lies outside the years 1900..3000 in UTC")
    return instant


Instant = Annotated[datetime, AfterValidator(bounded_instant)]
"""A query instant: RFC 3339 with offset, within 1900..3000 (UTC)."""
