"""The location registry."""

from typing import Any

import asyncpg

from app.http.cursors import cursor_text, decode_cursor, encode_cursor, page
from app.locations.schemas import LocationIn

COLUMNS = "id, name, region, timezone, created_at, updated_at"

# xmax is 0 for a freshly inserted row version, not for an updated one.
PUT_SQL = f"""
INSERT INTO locations (id, name, region, timezone) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET name = $2, region = $3, timezone = $4, updated_at = now()
RETURNING {COLUMNS}, xmax = 0 AS created
"""


async def put_location(
    conn: asyncpg.Connection, location_id: str, spec: LocationIn
) -> tuple[dict[str, Any], bool]:
    """Create or replace; return the location and whether it is new."""
    row = await conn.fetchrow(PUT_SQL, location_id, spec.name, spec.region, spec.timezone)
    location = dict(row)
    created = bool(location.pop("created"))
    return location, created


async def get_location(conn: asyncpg.Connection, location_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM locations WHERE id = $1", location_id)
    return None if row is None else dict(row)


async def list_locations(
    conn: asyncpg.Connection, *, limit: int, cursor: str | None, region: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    conditions: list[str] = []
    args: list[Any] = []
    if region is not None:
        args.append(region)
        conditions.append(f"region = ${len(args)}")
    if cursor:
        (after,) = decode_cursor(cursor, "locations", 1)
        args.append(cursor_text(after))
        conditions.append(f"id > ${len(args)}")
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    rows = await conn.fetch(
        f"SELECT {COLUMNS} FROM locations {where}ORDER BY id LIMIT ${len(args) + 1}",
        *args, limit + 1,
    )  # fmt: skip
    return page([dict(r) for r in rows], limit, lambda last: encode_cursor("locations", last["id"]))


async def zones(conn: asyncpg.Connection) -> dict[str, str]:
    """Each registered location's time zone, by id (the alerts' local days)."""
    return {r["id"]: r["timezone"] for r in await conn.fetch("SELECT id, timezone FROM locations")}
