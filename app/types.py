"""Constrained string types shared by the request schemas.

Every client string goes through one of these: NUL characters are refused
(PostgreSQL text cannot store them), and lengths are bounded.
"""

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
