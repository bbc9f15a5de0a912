from typing import Literal

Scope = Literal["admin", "cases", "ingest", "read"]

SCOPE_VALUES: set[Scope] = {
    "admin",
    "cases",
    "ingest",
    "read",
}


def check_scope(value: str) -> Scope:
    if value in SCOPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {SCOPE_VALUES!r}")
