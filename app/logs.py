"""What the service may write to its logs about an unexpected error.

Never the exception's message: database errors quote the data they choke on
(asyncpg's `DETAIL: Failing row contains (...)`, `invalid input for query
argument $1: 'alice@example.com'`, SQLAlchemy's `[parameters: (...)]`), and
that data is comments and contact details. What is kept is enough to find the
fault: the exception types down the chain, the SQLSTATE and the names of the
schema objects involved, and the stack frames (file, line, function, code).
"""

import traceback

# Attributes of asyncpg's PostgresError that name schema objects, never row values.
_SCHEMA_FIELDS = ("sqlstate", "schema_name", "table_name", "column_name", "constraint_name")


def redacted(exc: BaseException) -> str:
    """A multi-line description of `exc` (and its causes) without any message text."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        fields = [
            f"{name}={value}"
            for name in _SCHEMA_FIELDS
            if (value := getattr(current, name, None)) is not None
        ]
        described = f" ({', '.join(fields)})" if fields else ""
        parts.append(f"{kind.__module__}.{kind.__qualname__}{described}")
        frames = traceback.extract_tb(current.__traceback__)
        parts.extend(line.rstrip("\n") for line in traceback.format_list(frames))
        current = current.__cause__ or current.__context__
        if current is not None:
            parts.append("caused by:")
    return "\n".join(parts)
