"""SQL building helpers for every part of the service: bound parameters, and JSON built
in SQL as the API spells it. Pure functions."""

from typing import Any


class Params:
    """Collects bound values and hands out their `$n` placeholders."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any, cast: str = "") -> str:
        self.values.append(value)
        return f"${len(self.values)}{cast}"


def timestamp_sql(column: str) -> str:
    """A timestamptz as the API writes it: `2026-11-24T08:30:02.125000Z` (NULL stays NULL)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"(to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"extract(microseconds FROM {utc})::bigint % 1000000 = 0 THEN '' "
        f"ELSE to_char({utc}, '.US') END || 'Z')"
    )


def json_object_sql(pairs: list[tuple[str, str]]) -> str:
    return "jsonb_build_object(" + ", ".join(f"'{k}', {v}" for k, v in pairs) + ")"
