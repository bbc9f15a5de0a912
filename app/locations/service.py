"""The location registry."""

from sqlalchemy import Result, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.http.cursors import cursor_text, decode_cursor, encode_cursor
from app.locations.models import Location
from app.locations.schemas import LocationIn


async def put_location(
    session: AsyncSession, location_id: str, spec: LocationIn
) -> tuple[Location, bool]:
    """Create or replace; return the location and whether it is new."""
    values = spec.model_dump()
    result: Result[Location, bool] = await session.execute(
        insert(Location)
        .values(id=location_id, **values)
        .on_conflict_do_update(
            index_elements=[Location.id], set_={**values, "updated_at": func.now()}
        )
        # xmax is 0 for a freshly inserted row version, not for an updated one.
        .returning(Location, literal_column("xmax = 0")),
        execution_options={"populate_existing": True},
    )
    row = result.one()
    return row[0], bool(row[1])


async def get_location(session: AsyncSession, location_id: str) -> Location | None:
    return await session.get(Location, location_id)


async def list_locations(
    session: AsyncSession, *, limit: int, cursor: str | None, region: str | None
) -> tuple[list[Location], str | None]:
    query = select(Location).order_by(Location.id).limit(limit + 1)
    if region is not None:
        query = query.where(Location.region == region)
    if cursor:
        (after,) = decode_cursor(cursor, "locations", 1)
        query = query.where(Location.id > cursor_text(after))
    rows = list((await session.scalars(query)).all())
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], encode_cursor("locations", rows[limit - 1].id)
